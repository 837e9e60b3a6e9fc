"""Huey tasks of the accounts app."""

from huey.contrib.djhuey import db_task


@db_task(retries=2, retry_delay=30)
def password_reset_mail(email: str) -> None:
    """Queued for every reset request, known address or not: the decision is made here, off
    the request path, so the response's timing cannot tell whether the address exists."""
    from .services import password_reset_send

    password_reset_send(email=email)

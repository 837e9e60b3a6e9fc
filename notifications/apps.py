from django.apps import AppConfig
from django.conf import settings


class NotificationsConfig(AppConfig):
    name = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # `make run` sets HUEY_IN_PROCESS for the daphne process only: with the in-memory
        # channel layer a separate consumer process could never reach daphne's sockets.
        if settings.HUEY_IN_PROCESS:
            from .embedded import consumer_start_in_process

            consumer_start_in_process()

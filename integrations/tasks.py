"""Huey tasks (autodiscovered by `run_huey` and by the in-process consumer)."""

from huey.contrib.djhuey import db_task

from .services.imports import import_run


# No retries: a job that failed has cleaned up and said why; running it again would not
# change the document.
@db_task()
def import_board(job_id: int) -> None:
    import_run(job_id=job_id)

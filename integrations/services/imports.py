"""An import's life: checked and queued by the request (import_start), built by a Huey job
(import_run, integrations/tasks.py).

The board is built through the services, each write its own transaction: the importer's
poll sees progress, and other writers are not held behind one long lock. A failure deletes
the half-built board (board_delete) in the same job, so a failed import leaves no board.
"""

from __future__ import annotations

import logging
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from board import services
from board.models import Board
from board.services import Actor

from ..models import ImportJob, ImportState
from .builder import Build, board_build
from .document import MESSAGES_MAX, document_validate
from .trello import is_trello, trello_document

log = logging.getLogger(__name__)


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {m}" for field, errors in exc.message_dict.items() for m in errors]
    return list(exc.messages)


def document_read(*, user: Any, document: Any) -> tuple[dict[str, Any], list[str]]:
    """Our format as it will be built, and the warnings of a conversion; ValidationError
    (the 400's messages) when the document cannot be imported."""
    if not isinstance(document, dict):
        raise ValidationError("The document must be a JSON object.")
    warnings: list[str] = []
    if is_trello(document):
        tz = zoneinfo.ZoneInfo(user.timezone)
        document, warnings = trello_document(document, tz=tz, today=timezone.localdate(timezone=tz))
    elif "format" not in document:
        raise ValidationError(
            "Unknown document: expected our export (format realtime-scrum/1) or a Trello "
            "board's JSON export."
        )
    return document_validate(document), warnings


def import_start(*, user: Any, document: Any) -> ImportJob:
    """Check the document and queue its job (once the row has committed: the worker reads it)."""
    from ..tasks import import_board  # the job module imports this one

    checked, warnings = document_read(user=user, document=document)
    job = ImportJob.objects.create(owner=user, document=checked, errors=warnings)
    transaction.on_commit(lambda: import_board(job.pk))
    return job


def _progress(job_id: int) -> Any:
    return lambda percent: ImportJob.objects.filter(pk=job_id).update(progress=percent)


def import_run(*, job_id: int) -> ImportJob | None:
    """Build the board of a queued job. Run twice (a retried job), the second run finds the
    job no longer queued and does nothing: one job, one board."""
    claimed = ImportJob.objects.filter(pk=job_id, state=ImportState.QUEUED).update(
        state=ImportState.RUNNING, updated_at=timezone.now()
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    build = Build(importer=job.owner, document=job.document, progress=_progress(job.pk))
    try:
        board = board_build(build)
    except (ValidationError, Board.DoesNotExist) as exc:
        _cleanup(build)
        return _finish(job, ImportState.FAILED, [*job.errors, *build.warnings, *_fault(exc)])
    except Exception:
        log.exception("import %s failed", job_id)
        _cleanup(build)
        message = "The import stopped on an unexpected error; nothing was kept."
        return _finish(job, ImportState.FAILED, [*job.errors, *build.warnings, message])
    return _finish(job, ImportState.DONE, [*job.errors, *build.warnings], board=board)


def _fault(exc: Exception) -> list[str]:
    detail = _messages(exc) if isinstance(exc, ValidationError) else [str(exc)]
    return ["The board was not imported: " + "; ".join(detail[:MESSAGES_MAX])]


def _cleanup(build: Build) -> None:
    if build.board is not None:
        services.board_delete(actor=Actor(user=build.importer), board_id=build.board.pk)


def _finish(job: ImportJob, state: str, errors: list[str], board: Board | None = None) -> ImportJob:
    job.state = state
    job.errors = errors
    job.board = board
    job.document = {}  # the board is what is kept, not the upload
    fields = ["state", "errors", "board", "document", "updated_at"]
    if state == ImportState.DONE:
        job.progress = 100
        fields.append("progress")  # a failed job keeps how far it got
    else:
        job.refresh_from_db(fields=["progress"])
    job.save(update_fields=fields)
    return job

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from huey.contrib.djhuey import HUEY

from notifications import embedded
from notifications.services import DigestReport, digest_send_for_date


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}") from None


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise CommandError(f"--wait must be a number of seconds from 0 to 3600, not {value!r}")
    return seconds


class Command(BaseCommand):
    help = (
        "Send every user their 'due today' digest now, whatever the hour: for --date, or for "
        "each user's own local today. Still at most once per user and date. On the embedded "
        "default (no REDIS_URL) the running server sends it, so its open pages are notified."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_date, help="local date YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--wait",
            type=_seconds,
            default=embedded.PICKUP_WAIT_S,
            help="embedded default: seconds to wait for the running server to take the job "
            "before sending from this process (default %(default)s)",
        )

    def handle(self, *args, date: dt.date | None = None, wait: float = 0, **options):
        # With Redis every process's pushes reach every server; in immediate mode (tests)
        # there is no queue to hand anything to.
        if settings.REDIS_URL or HUEY.immediate:
            self._report(digest_send_for_date(local_date=date))
            return
        try:
            handoff = embedded.digest_send_in_server(local_date=date, wait=wait)
        except embedded.HandOffFailed as exc:
            raise CommandError(str(exc)) from exc
        self._report(handoff.report)
        if handoff.by_server:
            self.stdout.write("Sent by the running server: its open pages got the notification.")
        else:
            self.stdout.write(
                f"No server took the job within {wait:g} s (is `make run` running?): sent from "
                "this process. Mail and notifications are stored; no open page was notified."
            )

    def _report(self, report: DigestReport) -> None:
        self.stdout.write(
            f"{report.digests} digests sent, {report.emailed} mailed, "
            f"{report.mail_failed} mail failures, {report.mail_retried} mail retries"
        )

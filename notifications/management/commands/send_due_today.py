import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from notifications.services import digest_send_for_date


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = (
        "Send every user their 'due today' digest now, whatever the hour: for --date, or for "
        "each user's own local today. Still at most once per user and date."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_date, help="local date YYYY-MM-DD (default: today)")

    def handle(self, *args, date: dt.date | None = None, **options):
        report = digest_send_for_date(local_date=date)
        self.stdout.write(
            f"{report.digests} digests sent, {report.emailed} mailed, "
            f"{report.mail_failed} mail failures, {report.mail_retried} mail retries"
        )

"""Delete for good the tasks in the trash for longer than TRASH_DAYS, now."""

from django.conf import settings
from django.core.management.base import BaseCommand

from board.services.trash import trash_purge


class Command(BaseCommand):
    help = (
        "Delete the tasks deleted more than TRASH_DAYS ago (what the hourly job does). "
        "Tasks deleted since stay restorable."
    )

    def handle(self, *args, **options):
        count = trash_purge()
        self.stdout.write(
            f"{count} task(s) deleted for good (trash keeps {settings.TRASH_DAYS} days)."
        )

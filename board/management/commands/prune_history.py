"""Prune board history older than HISTORY_RETENTION_DAYS into compaction checkpoints, now."""

from django.core.management.base import BaseCommand, CommandError

from board.history import jobs
from board.history.compaction import compact


class Command(BaseCommand):
    help = (
        "Compact each board's events older than HISTORY_RETENTION_DAYS into a checkpoint and "
        "delete them (what the hourly job does). Without a retention nothing is pruned."
    )

    def add_arguments(self, parser):
        parser.add_argument("--board", type=int, help="Only this board (its id).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be pruned, change nothing."
        )

    def handle(self, *args, board=None, dry_run=False, **options):
        keep = jobs.retention()
        if keep is None:
            self.stdout.write("HISTORY_RETENTION_DAYS is not set: history is kept, nothing pruned.")
            return
        if board is not None and not 1 <= board < 2**63:
            raise CommandError("--board must be a board id.")
        due = jobs.due_boards(board_id=board)
        verb = "would prune" if dry_run else "pruned"
        done = 0
        for row in due:
            if not dry_run and not compact(board_id=row.board_id, through_seq=row.through_seq):
                continue
            done += 1
            self.stdout.write(
                f"board {row.board_id}: {verb} {row.events} events through seq {row.through_seq}"
            )
        self.stdout.write(f"{done} board(s) {verb} (retention {keep.days} days).")

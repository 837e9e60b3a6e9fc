"""Each board keeps the days of a time zone (SPEC section 3): existing boards take their
owner's, as a board created now takes its creator's."""

from django.db import migrations, models

import realtime_scrum.accounts.models


def take_the_owners_zone(apps, schema_editor):
    Board = apps.get_model("board", "Board")
    for board in Board.objects.select_related("owner").only("pk", "owner__timezone"):
        Board.objects.filter(pk=board.pk).update(timezone=board.owner.timezone or "UTC")


class Migration(migrations.Migration):
    dependencies = [("board", "0003_event_domain_values")]

    operations = [
        migrations.AddField(
            model_name="board",
            name="timezone",
            field=models.CharField(
                default="UTC",
                max_length=64,
                validators=[realtime_scrum.accounts.models.validate_timezone],
            ),
        ),
        migrations.RunPython(take_the_owners_zone, migrations.RunPython.noop),
    ]

import secrets

from django.db import migrations, models

import board.models


def give_each_board_its_own_epoch(apps, schema_editor):
    # AddField evaluates a callable default once for every existing row.
    Board = apps.get_model("board", "Board")
    for board in Board.objects.only("pk"):
        Board.objects.filter(pk=board.pk).update(epoch=secrets.token_hex(8))


class Migration(migrations.Migration):
    dependencies = [("board", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="board",
            name="epoch",
            field=models.CharField(default=board.models.new_epoch, editable=False, max_length=32),
        ),
        migrations.RunPython(give_each_board_its_own_epoch, migrations.RunPython.noop),
    ]

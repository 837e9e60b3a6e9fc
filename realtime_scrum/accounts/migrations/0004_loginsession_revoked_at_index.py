from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_loginsession_generation"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="loginsession",
            index=models.Index(fields=["revoked_at"], name="accounts_session_revoked_idx"),
        ),
    ]

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "realtime_scrum.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import schema, tasks  # noqa: F401  (register the schema extension and tasks)

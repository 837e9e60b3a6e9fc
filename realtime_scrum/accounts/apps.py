from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def _forget_cached_user(sender, instance, **kwargs) -> None:
    from . import user_cache

    user_cache.forget(instance.pk)


class AccountsConfig(AppConfig):
    name = "realtime_scrum.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import schema, tasks  # noqa: F401  (register the schema extension and tasks)
        from .models import User

        # The token check caches the user row (user_cache.py): a saved or deleted user is
        # read afresh by the next request.
        post_save.connect(_forget_cached_user, sender=User, dispatch_uid="accounts-user-cache")
        post_delete.connect(_forget_cached_user, sender=User, dispatch_uid="accounts-user-cache")

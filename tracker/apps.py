from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"

    def ready(self):
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        from . import secret_key  # noqa: F401 (registers the deploy check of the key)
        from .signals import update_last_login_unless_locked

        # Signing in must never wait for SQLite's write lock (an import may hold it for
        # minutes): Django's receiver saves last_login unconditionally; ours skips it then.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(
            update_last_login_unless_locked, dispatch_uid="update_last_login_unless_locked"
        )

"""Receivers of Django's signals that belong to the site itself (connected in ``apps``)."""

from django.utils import timezone

from .locking import write_unless_locked


def update_last_login_unless_locked(sender, user, **kwargs):
    """Stamp ``last_login`` on sign-in, unless an import holds SQLite's write lock right now.

    The stamp is bookkeeping (the admin's user list shows it; it also retires password-reset
    links once used to sign in, which expire after PASSWORD_RESET_TIMEOUT anyway): losing one
    is harmless, making the sign-in wait or fail is not.
    """
    previous = user.last_login
    user.last_login = timezone.now()
    if not write_unless_locked(lambda: user.save(update_fields=["last_login"]), "last_login"):
        user.last_login = previous

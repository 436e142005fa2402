"""Password authentication that never waits for SQLite's write lock."""

from django.contrib.auth import backends, get_user_model
from django.contrib.auth.hashers import check_password

from .locking import write_unless_locked


class ModelBackend(backends.ModelBackend):
    """Django's username/password backend, except for one write.

    Checking a password whose hash uses an outdated algorithm or iteration count rehashes it
    and saves the new hash (Django does it on every Django upgrade that raises the PBKDF2
    iterations). While an import holds SQLite's write lock that save would make the sign-in
    wait and fail; here it is skipped instead: the old hash stays valid and the next sign-in
    upgrades it.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        user_model = get_user_model()
        if username is None:
            username = kwargs.get(user_model.USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            user = user_model._default_manager.get_by_natural_key(username)
        except user_model.DoesNotExist:
            # Hash once anyway, so that a missing user takes as long as a wrong password.
            user_model().set_password(password)
            return None
        if password_matches(user, password) and self.user_can_authenticate(user):
            return user
        return None


def password_matches(user, raw_password) -> bool:
    """``user.check_password``, with the hash upgrade done only if the lock is free."""

    def upgrade(raw):
        old_hash = user.password
        user.set_password(raw)
        user._password = None  # an upgrade is not a password change
        if not write_unless_locked(
            lambda: user.save(update_fields=["password"]), "password hash upgrade"
        ):
            # Keep the hash the database has: the session is signed with it.
            user.password = old_hash

    return check_password(raw_password, user.password, upgrade)

"""With DEBUG off, nothing that serves starts without a real SECRET_KEY.

The settings themselves load without one, so that tools which never sign anything run in a bare
environment (``makemigrations --check``, ``migrate``, ``compilemessages``, a CI's schema check);
an empty key still makes anything that signs fail (Django refuses to read an empty
``SECRET_KEY``). What serves or signs refuses to start instead: the WSGI application (gunicorn,
``runserver``), the Celery worker, and ``check --deploy`` reports it as an error.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

# The key ``make run`` and the tests use (DEBUG on); never acceptable in production.
DEV_SECRET_KEY = "django-insecure-dev-only-pilot-tracker-key-do-not-use-in-production"  # noqa: S105
MIN_LENGTH = 50
REFUSAL = "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off."


def is_acceptable(key: str, debug: bool) -> bool:
    """Any key while DEBUG is on; otherwise a key of 50+ characters that is not the dev key."""
    return debug or (len(key) >= MIN_LENGTH and key != DEV_SECRET_KEY)


def _configured_key() -> str:
    try:
        return settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to read an empty key
        return ""


def refuse_without_real_key() -> None:
    """Called where the application starts serving: raise unless the key is acceptable."""
    if not is_acceptable(_configured_key(), settings.DEBUG):
        raise ImproperlyConfigured(REFUSAL)


@checks.register(checks.Tags.security, deploy=True)
def check_real_secret_key(app_configs=None, **kwargs):
    """``check --deploy``: the same rule as an error, so a deployment check fails on it."""
    if is_acceptable(_configured_key(), settings.DEBUG):
        return []
    return [checks.Error(REFUSAL, id="tracker.E001")]

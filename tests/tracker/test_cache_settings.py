"""Where sessions, login-failure counters and report figures are kept: Redis with REDIS_URL,
otherwise files under the installation's CACHE_DIR; never the database (see settings.py)."""

import json
import socket

import pytest

from tests.tracker.test_settings import manage

SHOW_CACHES = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'caches': {k: [v['BACKEND'], str(v['LOCATION'])] "
    "for k, v in s.CACHES.items()}, 'session': [s.SESSION_ENGINE, s.SESSION_CACHE_ALIAS], "
    "'axes': [s.AXES_HANDLER, s.AXES_CACHE]}))"
)


def settings_from(**env):
    result = manage("shell", "-c", SHOW_CACHES, **{"DEBUG": "1", **env})  # DEBUG is off unless set
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_redis_the_caches_are_files_in_the_installations_directory(tmp_path):
    shown = settings_from(REDIS_URL="", CACHE_DIR=str(tmp_path / "cache"))
    assert shown["caches"] == {
        "default": [
            "django.core.cache.backends.filebased.FileBasedCache",
            str(tmp_path / "cache" / "default"),
        ],
        "sessions": [
            "django.core.cache.backends.filebased.FileBasedCache",
            str(tmp_path / "cache" / "sessions"),
        ],
    }


def test_with_redis_url_both_caches_are_in_redis():
    shown = settings_from(REDIS_URL="redis://127.0.0.1:6379/15")
    for alias in ("default", "sessions"):
        assert shown["caches"][alias] == [
            "django.core.cache.backends.redis.RedisCache",
            "redis://127.0.0.1:6379/15",
        ]


def test_sessions_and_login_failures_are_kept_in_the_sessions_cache():
    shown = settings_from()
    assert shown["session"] == ["django.contrib.sessions.backends.cache", "sessions"]
    assert shown["axes"] == ["tracker.throttling.LoginFailureHandler", "sessions"]


def redis_is_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_is_reachable(), reason="no Redis at 127.0.0.1:6379")
def test_a_session_round_trips_through_redis():
    script = (
        "from importlib import import_module; from django.conf import settings; "
        "store = import_module(settings.SESSION_ENGINE).SessionStore(); "
        "store['probe'] = 'ok'; store.save(); "
        "print(type(store).__module__, "
        "import_module(settings.SESSION_ENGINE).SessionStore(store.session_key)['probe']); "
        "store.delete()"
    )
    result = manage("shell", "-c", script, DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/15")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.contrib.sessions.backends.cache ok"

"""Production settings come from the environment and refuse to start insecurely."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_debug_off_without_a_secret_key_refuses_to_start():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="tracker.example.cn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_off_with_the_development_key_refuses_to_start():
    from tracker.settings import DEV_SECRET_KEY

    result = manage("check", DEBUG="0", SECRET_KEY=DEV_SECRET_KEY, ALLOWED_HOSTS="x.cn")
    assert result.returncode != 0


def test_deploy_check_is_clean_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="tracker.example.cn",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_language_and_time_zone_defaults():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ


def test_debug_is_off_unless_set():
    shown = "from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE)"
    production = {"SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "tracker.example.cn"}
    result = manage("shell", "-c", shown, **production)  # DEBUG not in the environment
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["False", "True"]
    assert manage("shell", "-c", shown, DEBUG="1").stdout.split()[-2:] == ["True", "False"]


def test_without_debug_and_without_a_secret_key_nothing_starts():
    result = manage("check")  # neither DEBUG nor SECRET_KEY set: fails safe, not open
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_deploy_check_is_clean_with_debug_simply_unset():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="tracker.example.cn",
    )
    assert result.returncode == 0, result.stderr


def test_uploads_live_under_the_installations_media_root_not_a_shared_temporary_folder():
    shown = (
        "from django.conf import settings as s; "
        "print(s.MEDIA_ROOT, s.STORAGES['imports']['OPTIONS']['location'])"
    )
    result = manage("shell", "-c", shown, DEBUG="1")
    media_root, location = result.stdout.split()[-2:]
    assert media_root == str(ROOT / "var" / "media")
    assert location == str(ROOT / "var" / "media" / "imports")
    custom = manage("shell", "-c", shown, DEBUG="1", MEDIA_ROOT="/srv/tracker/media")
    assert custom.stdout.split()[-1] == "/srv/tracker/media/imports"

"""Production settings come from the environment and refuse to start insecurely."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

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


def python(code: str, **env):
    """``python -c code`` in the checkout with exactly this environment for the settings."""
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_debug_off_without_a_secret_key_refuses_to_serve():
    result = python("import tracker.wsgi", DEBUG="0", ALLOWED_HOSTS="tracker.example.cn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_off_with_the_development_key_refuses_to_serve():
    from tracker.secret_key import DEV_SECRET_KEY

    result = python(
        "import tracker.wsgi", DEBUG="0", SECRET_KEY=DEV_SECRET_KEY, ALLOWED_HOSTS="x.cn"
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr
    deploy = manage("check", "--deploy", DEBUG="0", SECRET_KEY=DEV_SECRET_KEY, ALLOWED_HOSTS="x.cn")
    assert deploy.returncode != 0 and "tracker.E001" in deploy.stderr


def test_a_real_key_serves():
    result = python(
        "import tracker.wsgi; print('serving')",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="tracker.example.cn",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "serving"


def test_the_worker_refuses_to_start_without_a_real_key(settings):
    from tracker.celery import _refuse_without_real_key

    settings.DEBUG = False
    settings.SECRET_KEY = "short"
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        _refuse_without_real_key()
    settings.SECRET_KEY = secrets.token_urlsafe(64)
    _refuse_without_real_key()


def test_schema_tools_run_in_a_bare_environment():
    """No DEBUG, no SECRET_KEY: makemigrations --check (a CI's schema check) still works, as it
    signs nothing; only what serves refuses."""
    result = manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


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


def test_without_debug_and_without_a_secret_key_nothing_serves():
    result = python("import tracker.wsgi")  # neither DEBUG nor SECRET_KEY set: fails safe
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr
    deploy = manage("check", "--deploy")
    assert deploy.returncode != 0 and "tracker.E001" in deploy.stderr


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

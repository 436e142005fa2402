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

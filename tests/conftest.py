"""Shared fixtures: a small two-platform world with one user per role.

Platform A and B are in zone 1; platform C in zone 2. ``staff_a`` edits A, ``staff_b`` edits B,
``manager`` reads zone 1, ``other_manager`` reads zone 2, ``admin_user`` is a superuser.
"""

import pytest
from django.conf import settings as django_settings
from django.test.utils import override_settings

from tests import factories
from tests.report_fixtures import (  # noqa: F401 (fixtures of the report tests)
    empty_report_cache,
    fast_passwords,
    report_world,
)

# Sessions, login-failure counters and cached reports live in a process-local cache while testing:
# nothing is written under the checkout's cache directory, and ``cache.clear()`` is instant.
override_settings(
    CACHES={
        alias: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"tests-{alias}",
        }
        for alias in django_settings.CACHES
    }
).enable()

# A writer waits this long (seconds) for SQLite's write lock in tests, instead of the production
# busy timeout: the lock tests then answer in a fraction of a second.
TEST_BUSY_TIMEOUT = 0.2


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, test in a database *file* (not Django's shared in-memory database), so that
    WAL and the write lock behave as in production and a second connection can hold the lock
    (tests/tracker/test_sqlite_locking.py); and make the busy timeout short."""
    database = django_settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        directory = tmp_path_factory.mktemp("database")
        database.setdefault("TEST", {})["NAME"] = str(directory / "test.sqlite3")
        options = database.setdefault("OPTIONS", {})
        options["timeout"] = TEST_BUSY_TIMEOUT
        # A test database need not survive a power cut: no fsync on every commit, which would
        # double the suite's time (flushes between transactional tests commit a lot).
        options["init_command"] = options.get("init_command", "") + ";PRAGMA synchronous=OFF"


@pytest.fixture(autouse=True)
def empty_caches():
    """Every test starts with no session, no login-failure count and no reset-request count
    left by another test (they all live in the caches)."""
    from django.core.cache import caches

    for alias in django_settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2's deliberate slowness protects real passwords, not test users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    zone1 = factories.ZoneFactory(name="成都高新区")
    zone2 = factories.ZoneFactory(name="昆山高新区")
    platform_a = factories.PlatformFactory(zone=zone1, name="蜂鸟平台")
    platform_b = factories.PlatformFactory(zone=zone1, name="另一平台")
    platform_c = factories.PlatformFactory(zone=zone2, name="昆山平台")
    users = {
        "staff_a": factories.PlatformMembershipFactory(platform=platform_a).user,
        "staff_b": factories.PlatformMembershipFactory(platform=platform_b).user,
        "manager": factories.ZoneMembershipFactory(zone=zone1).user,
        "other_manager": factories.ZoneMembershipFactory(zone=zone2).user,
        "admin_user": factories.UserFactory(username="root", is_superuser=True, is_staff=True),
    }
    return {
        "zone1": zone1,
        "zone2": zone2,
        "platform_a": platform_a,
        "platform_b": platform_b,
        "platform_c": platform_c,
        **users,
    }

"""Shared fixtures: a small two-platform world with one user per role, and the demo data.

Platform A and B are in zone 1; platform C in zone 2. ``staff_a`` edits A, ``staff_b`` edits B,
``manager`` reads zone 1, ``other_manager`` reads zone 2, ``admin_user`` is a superuser.

``demo`` is the demo data set (``seed_demo``), loaded once per test session for the tests that
read it; see its docstring for how they share it without other tests seeing it.
"""

import io
import tempfile

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import transaction
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

# Uploaded files (period-return evidence) go to a directory of this test run, never to the
# checkout's var/media.
TEST_MEDIA_ROOT = tempfile.mkdtemp(prefix="tracker-test-media-")
override_settings(
    MEDIA_ROOT=TEST_MEDIA_ROOT,
    STORAGES={
        **django_settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": TEST_MEDIA_ROOT, "base_url": None},
        },
    },
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


@pytest.fixture(autouse=True)
def import_storage(settings, tmp_path):
    """Uploads and evidence of each test in its own directory, never under the checkout's
    var/media (the default storage's location is fixed when settings load, so it is set too)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media", "base_url": None},
        },
        "imports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media" / "imports", "base_url": None},
        },
    }
    return tmp_path / "media" / "imports"


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


# The password of the demo accounts in the tests that read the demo data.
DEMO_PASSWORD = "seed-demo-pw"


@pytest.fixture(scope="session")
def demo(django_db_setup, django_db_blocker):
    """The demo data set, loaded once per session; the value is what ``seed_demo`` printed.

    Loading it takes seconds, and the tests that use it only read it (or write inside their own
    transaction, which is rolled back), so it is loaded once, inside an outer transaction that
    is rolled back when the session ends; every test runs in a savepoint on top of it. Other
    tests must never see it, so ``pytest_collection_modifyitems`` below runs its readers last,
    after every other test, and refuses a reader that needs a real commit (``transactional_db``
    would flush the demo away and commit through the outer transaction).
    """
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    fast_hashing.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            output = io.StringIO()
            call_command("seed_demo", password=DEMO_PASSWORD, stdout=output)
            yield output.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            fast_hashing.disable()


TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_serialized_rollback"}


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool(TRANSACTIONAL_FIXTURES & set(item.fixturenames))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the tests that read the demo data last, one after the other (after pytest-django has
    put the database tests first): the session's demo data then exists only while they run."""
    readers = [item for item in items if "demo" in getattr(item, "fixturenames", ())]
    for item in readers:
        if _is_transactional(item):
            raise pytest.UsageError(
                f"{item.nodeid}: a test that reads the session's demo data cannot be "
                "transactional; load the demo inside the test instead."
            )
    others = [item for item in items if "demo" not in getattr(item, "fixturenames", ())]
    items[:] = others + readers

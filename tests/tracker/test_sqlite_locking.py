"""While one connection writes (an import of 30,000 projects holds SQLite's write lock for
about 14 s), nobody gets a 500: sign-in needs no write lock at all, pages keep answering (WAL
readers), and a writer that cannot get the lock in time is told to come back in a minute, with
everything it typed still in the form and nothing written.

The lock is held by a second sqlite3 connection to the test database *file* (see
``tests/conftest.py``), exactly as the import's connection would hold it; the busy timeout is
cut to a fraction of a second in tests.
"""

import sqlite3
from contextlib import contextmanager

import pytest
from django.contrib.auth.hashers import PBKDF2SHA1PasswordHasher
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Enterprise, Financing, Project
from tests import factories
from tests.conftest import TEST_BUSY_TIMEOUT
from tests.workspace import add_financing, add_run, english, new_project_data

PASSWORD = "pw-for-tests"
BUSY = "An import is being written; try again in a minute."
ON_SQLITE = connection.vendor == "sqlite"
sqlite_only = pytest.mark.skipif(not ON_SQLITE, reason="SQLite's database-wide write lock")


class QuickPBKDF2SHA1PasswordHasher(PBKDF2SHA1PasswordHasher):
    """An outdated algorithm, cheap to compute in a test."""

    iterations = 10


@contextmanager
def write_lock_held():
    """Another connection takes the write lock (BEGIN IMMEDIATE, as every write transaction
    does), writes without committing, and lets go when the block ends."""
    holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("UPDATE auth_user SET last_name = last_name")
        yield
    finally:
        holder.rollback()
        holder.close()


def writes_in(queries):
    return [
        query["sql"]
        for query in queries
        if query["sql"].lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


# --- the settings -----------------------------------------------------------------------------


@sqlite_only
@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions_and_a_busy_timeout():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == int(TEST_BUSY_TIMEOUT * 1000)
    assert connection.transaction_mode == "IMMEDIATE"


def test_production_waits_five_seconds_for_the_lock_unless_told_otherwise():
    from tracker.settings import sqlite_options

    assert sqlite_options()["timeout"] == 5
    assert sqlite_options()["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in sqlite_options()["init_command"]


# --- what a sign-in writes (both databases) ---------------------------------------------------


@pytest.mark.django_db
def test_a_sign_in_writes_nothing_but_a_last_login_it_may_skip(client):
    """No session row, no axes access log, no attempt row: only ``last_login``, which is
    skipped when the lock is taken (see the locked tests below)."""
    factories.UserFactory(username="zhang")
    with CaptureQueriesContext(connection) as captured:
        assert sign_in(client, "zhang").status_code == 302
    writes = writes_in(captured.captured_queries)
    assert len(writes) == 1 and "last_login" in writes[0], writes


@pytest.mark.django_db
def test_a_failed_sign_in_and_a_sign_out_write_nothing(client):
    user = factories.UserFactory(username="zhang")
    with CaptureQueriesContext(connection) as captured:
        assert sign_in(client, "zhang", "wrong").status_code == 200
        client.force_login(user)
        assert client.post(reverse("logout")).status_code == 302
    assert [sql for sql in writes_in(captured.captured_queries) if "last_login" not in sql] == []


# --- while another connection holds the write lock -------------------------------------------


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_sign_in_succeeds_while_the_write_lock_is_held(client):
    user = factories.UserFactory(username="zhang")
    with write_lock_held():
        response = sign_in(client, "zhang")
        assert response.status_code == 302
        assert response["Location"] == reverse("home")
        assert client.get(reverse("home")).status_code == 200
        assert client.post(reverse("logout")).status_code == 302
    user.refresh_from_db()
    assert user.last_login is None  # skipped, not waited for


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_failed_sign_in_is_still_counted_while_the_write_lock_is_held(client):
    factories.UserFactory(username="zhang")
    english(client)
    with write_lock_held():
        for _ in range(4):
            assert sign_in(client, "zhang", "wrong").status_code == 200
        assert sign_in(client, "zhang", "wrong").status_code == 429


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_sign_in_does_not_wait_for_a_password_hash_upgrade(client, settings):
    """An outdated hash is upgraded on sign-in, a write: skipped under the lock, done next time."""
    settings.PASSWORD_HASHERS = [
        "tests.tracker.test_sqlite_locking.QuickPBKDF2SHA1PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    user = factories.UserFactory(username="zhang")
    assert user.password.startswith("pbkdf2_sha1$")
    settings.PASSWORD_HASHERS = settings.PASSWORD_HASHERS[::-1]  # MD5 is now preferred
    with write_lock_held():
        assert sign_in(client, "zhang").status_code == 302
        # Still signed in on the next page: the session was signed with the hash kept.
        assert client.get(reverse("home")).status_code == 200
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha1$")
    client.post(reverse("logout"))
    assert sign_in(client, "zhang").status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("md5$")


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_project_save_under_the_lock_answers_503_keeps_every_typed_value_and_writes_nothing(
    client, world
):
    client.force_login(world["staff_a"])
    english(client)
    data = new_project_data(client, world["platform_a"], title="锁定期间录入的项目")
    add_run(data, "DVT", 1, "2024-02-01", 137, 59)
    add_financing(data, "4,321,000", date="2024-06-01")
    data[f"financing-{int(data['financing-TOTAL_FORMS']) - 1}-investor"] = "锁期投资人"
    with write_lock_held():
        response = client.post(reverse("projects:project_create"), data)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert BUSY in page
    for typed in ("锁定期间录入的项目", 'value="137"', 'value="59"', "锁期投资人", "4,321,000"):
        assert typed in page, typed
    assert "成都臻识科技发展有限公司" in page  # the new enterprise's name, also kept
    assert not Project.objects.exists()
    assert not Enterprise.objects.exists()
    assert not Financing.objects.exists()
    # Once the lock is gone, the same submission saves.
    assert client.post(reverse("projects:project_create"), data).status_code == 302
    assert Project.objects.get().title == "锁定期间录入的项目"


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_project_edit_under_the_lock_keeps_the_typed_values(client, world):
    project = factories.ProjectFactory(platform=world["platform_a"], title="原标题")
    client.force_login(world["staff_a"])
    english(client)
    url = reverse("projects:project_update", args=[project.pk])
    from tests.workspace import form_data

    data = form_data(client.get(url))
    data["title"] = "改过的标题"
    with write_lock_held():
        response = client.post(url, data)
    assert response.status_code == 503
    assert "改过的标题" in response.content.decode()
    project.refresh_from_db()
    assert project.title == "原标题"


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_pages_keep_answering_while_the_write_lock_is_held(client, world):
    factories.ProjectFactory(platform=world["platform_a"], title="可读的项目")
    client.force_login(world["staff_a"])
    with write_lock_held():
        assert client.get(reverse("home")).status_code == 200
        listing = client.get(reverse("projects:project_list"))
        assert listing.status_code == 200
        assert "可读的项目" in listing.content.decode()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_any_other_write_under_the_lock_gets_a_friendly_503_page_in_the_site_layout(client, world):
    project = factories.ProjectFactory(platform=world["platform_a"])
    client.force_login(world["staff_a"])
    english(client)
    with write_lock_held():
        response = client.post(reverse("projects:project_delete", args=[project.pk]))
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert BUSY in page
    assert 'class="topbar"' in page  # the site's own layout, signed in
    assert world["staff_a"].username in page
    assert Project.objects.filter(pk=project.pk).exists()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_the_busy_page_is_translated(client, world):
    project = factories.ProjectFactory(platform=world["platform_a"])
    client.force_login(world["staff_a"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    with write_lock_held():
        response = client.post(reverse("projects:project_delete", args=[project.pk]))
    assert response.status_code == 503
    assert "正在写入导入数据，请一分钟后再试" in response.content.decode()


@pytest.mark.django_db
def test_other_database_errors_are_not_mistaken_for_the_lock(client, world):
    """Only "database is locked" becomes a 503; anything else stays a real error."""
    from django.db import OperationalError
    from django.test import RequestFactory

    from tracker.middleware import DatabaseLockedMiddleware

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    middleware = DatabaseLockedMiddleware(lambda request: None)
    assert middleware.process_exception(request, OperationalError("no such table: x")) is None
    response = middleware.process_exception(request, OperationalError("database is locked"))
    assert response.status_code == 503

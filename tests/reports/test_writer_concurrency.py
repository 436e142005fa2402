"""Writers never wait for each other's open transactions (PostgreSQL, two real connections).

The report data version used to be one row that every write updated, so every writing
transaction waited for every other until its commit. Now each platform has its own version,
bumped at the commit only (``reports.0003``). Each test opens real connections (psycopg, outside
Django's test transaction), gives them ``lock_timeout = 1s`` and checks that each commits while
the other's transaction is still open, and that the next report shows every write.
"""

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

import psycopg
import pytest
from django.db import connection

from projects.reports.models import PlatformVersion
from projects.reports.queries import Report
from projects.reports.scope import Scope, command_user
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL"
    ),
]


def open_writer():
    """A second connection to the test database, in a transaction, that gives up after 1 s."""
    settings = connection.settings_dict
    writer = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    )
    writer.execute("SET lock_timeout = '1s'")
    return writer


@contextmanager
def two_writers():
    first, second = open_writer(), open_writer()
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def revenue(writer, project, amount):
    writer.execute(
        "UPDATE projects_project SET service_revenue = %s WHERE id = %s", [amount, project.pk]
    )


def add_round(writer, project, amount):
    writer.execute(
        "INSERT INTO projects_financing (project_id, date, round, instrument, investor, "
        "investor_type, amount) VALUES (%s, %s, 'a', 'equity', '', 'vc_pe', %s)",
        [project.pk, dt.date(2025, 3, 1), amount],
    )


@pytest.fixture
def two_platforms():
    zone = factories.ZoneFactory()
    a, b = factories.PlatformFactory(zone=zone), factories.PlatformFactory(zone=zone)
    projects = {
        name: factories.ProjectFactory(platform=platform, service_revenue=Decimal("1.00"))
        for name, platform in [("a1", a), ("a2", a), ("b1", b), ("b2", b)]
    }
    return {"a": a, "b": b, **projects}


def nationwide():
    return Report(Scope(), command_user()).headline


def versions(*platforms):
    found = dict(PlatformVersion.objects.values_list("platform_id", "value"))
    return [found[platform.pk] for platform in platforms]


def test_writers_on_two_platforms_commit_while_the_other_is_open(two_platforms):
    w = two_platforms
    assert nationwide().service_revenue == Decimal("4.00")  # cached now
    before = versions(w["a"], w["b"])
    with two_writers() as (first, second):
        revenue(first, w["a1"], 100)  # platform A, left open
        revenue(second, w["b1"], 200)  # platform B: no wait for A (else lock timeout)
        add_round(second, w["b2"], 50)
        second.commit()
        assert nationwide().service_revenue == Decimal("203.00")  # B's commit, not A's
        revenue(first, w["a2"], 10)
        first.commit()

    headline = nationwide()
    assert (headline.service_revenue, headline.financing) == (Decimal("311.00"), Decimal("50.00"))
    assert versions(w["a"], w["b"]) == [before[0] + 1, before[1] + 1]


def test_two_writers_on_one_platform_touching_different_projects_do_not_wait(two_platforms):
    w = two_platforms
    with two_writers() as (first, second):
        revenue(first, w["a1"], 100)
        revenue(second, w["a2"], 200)  # the same platform: its version is bumped at commit only
        second.commit()
        first.commit()

    assert nationwide().service_revenue == Decimal("302.00")


def test_writers_crossing_platforms_in_opposite_orders_do_not_deadlock(two_platforms):
    w = two_platforms
    with two_writers() as (first, second):
        revenue(first, w["a1"], 100)
        revenue(second, w["b1"], 200)
        revenue(first, w["b2"], 300)  # the global version row made these two deadlock
        revenue(second, w["a2"], 400)
        first.commit()
        second.commit()

    assert nationwide().service_revenue == Decimal("1000.00")


def test_a_rolled_back_writer_moves_no_version(two_platforms):
    w = two_platforms
    before = versions(w["a"], w["b"])
    writer = open_writer()
    try:
        revenue(writer, w["a1"], 100)
        writer.rollback()
    finally:
        writer.close()

    assert versions(w["a"], w["b"]) == before
    assert nationwide().service_revenue == Decimal("4.00")


def test_the_bump_queue_is_empty_after_every_commit(two_platforms):
    writer = open_writer()
    try:
        revenue(writer, two_platforms["a1"], 100)
        writer.commit()
        pending = writer.execute("SELECT COUNT(*) FROM reports_pendingversionbump").fetchone()
    finally:
        writer.close()

    assert pending == (0,)

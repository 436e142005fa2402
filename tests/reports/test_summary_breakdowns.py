"""The breakdown tables added up from the per-platform summaries equal the record-based ones.

After random writes (see ``test_summaries``) every table — per platform, sector, zone and start
year — read from the summaries has exactly the rows, keys, values and order of the same table
computed from the projects, for several scopes and for a superuser, a zone manager and a
platform's staff (who see different platforms).
"""

import datetime as dt
import random
from types import SimpleNamespace

import pytest

from platforms.choices import Sector
from projects.reports.cache import read_versions
from projects.reports.queries import Report, by_platform, by_sector, by_start_year, by_zone
from projects.reports.queries import report as report_module
from projects.reports.queries.summaries import summary_rows
from projects.reports.queries.summary_breakdowns import (
    platform_attributes,
    summary_by_platform,
    summary_by_sector,
    summary_by_start_year,
    summary_by_zone,
)
from projects.reports.scope import Scope, command_user
from tests import factories
from tests.reports.test_summaries import build, random_write

SCOPES = [
    {},
    {"zone": 0},
    {"zone": 1, "year_from": 2023},
    {"year_from": 2022, "year_to": 2023},
    {"year_to": 2022},
    {"sector": Sector.INFORMATION_TECHNOLOGY},
    {"platform": 2},
]


def scope_of(spec, zones, platforms) -> Scope:
    values = {"zone": zones, "platform": platforms}
    return Scope(**{k: (values[k][v] if k in values else v) for k, v in spec.items()})


def tables_from_summaries(scope: Scope, user) -> dict:
    rows = summary_rows(read_versions(scope, user))
    attributes = platform_attributes(scope, user)
    return {
        "platforms": summary_by_platform(scope, attributes, rows),
        "sectors": summary_by_sector(scope, attributes, rows),
        "zones": summary_by_zone(scope, attributes, rows),
        "years": summary_by_start_year(scope, rows),
    }


def tables_from_records(scope: Scope, user) -> dict:
    return {
        "platforms": by_platform(scope, user),
        "sectors": by_sector(scope, user),
        "zones": by_zone(scope, user),
        "years": by_start_year(scope, user),
    }


def assert_same(expected: list[dict], actual: list[dict], context):
    assert [list(row) for row in actual] == [list(row) for row in expected], context
    assert actual == expected, context


def check_after_random_writes(seed):
    rng = random.Random(seed)
    zones, platforms, enterprises = build(rng)
    # A key platform, so that the key-platform counts are not all zero.
    factories.RecognitionFactory(platform=platforms[1])
    users = [
        command_user(),
        factories.ZoneMembershipFactory(zone=zones[0]).user,
        factories.PlatformMembershipFactory(platform=platforms[0]).user,
    ]
    for step in range(32):
        random_write(rng, platforms, enterprises)
        if step % 8 == 7:
            for spec in SCOPES:
                scope = scope_of(spec, zones, platforms)
                for user in users:
                    expected = tables_from_records(scope, user)
                    actual = tables_from_summaries(scope, user)
                    for name in expected:
                        assert_same(expected[name], actual[name], (step, spec, user, name))
    return users


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2])
def test_summary_tables_equal_the_record_tables_after_random_writes(seed):
    check_after_random_writes(seed)


@pytest.mark.django_db(transaction=True)
def test_summary_tables_equal_the_record_tables_after_committed_writes():
    users = check_after_random_writes(4)
    # The report's sections are the summary tables (and agree with the records).
    for user in users:
        report = Report(Scope(), user)
        expected = tables_from_records(Scope(), user)
        for name in expected:
            assert_same(expected[name], getattr(report, name), (user, name))


@pytest.mark.django_db
def test_tables_count_distinct_enterprises_and_exact_mean_gains():
    zone = factories.ZoneFactory()
    first, second = (
        factories.PlatformFactory(zone=zone, sector=Sector.EQUIPMENT) for _ in range(2)
    )
    shared = factories.EnterpriseFactory()
    for platform, year in [(first, 2023), (first, 2024), (second, 2024)]:
        factories.ProjectFactory(platform=platform, enterprise=shared, start_on=dt.date(year, 3, 1))
    factories.PlatformFactory(zone=zone, sector=Sector.EQUIPMENT)  # no project
    report = Report(Scope(zone=zone), command_user())

    assert [row["enterprises"] for row in report.sectors] == [1]
    assert [row["platforms"] for row in report.sectors] == [3]
    assert [(row["year"], row["projects"], row["enterprises"]) for row in report.years] == [
        (2023, 1, 1),
        (2024, 2, 1),
    ]
    assert sorted(row["projects"] for row in report.platforms) == [0, 1, 2]
    assert report.zones[0]["enterprises"] == 1


@pytest.mark.django_db
def test_a_period_scope_keeps_the_record_tables(monkeypatch):
    period = SimpleNamespace(pk=0, code="2024-TEST", end_on=dt.date(2024, 6, 30))
    factories.ProjectFactory(start_on=dt.date(2024, 3, 1))
    factories.ProjectFactory(start_on=dt.date(2024, 9, 1))  # after the period's last day

    def refuse(*args):
        raise AssertionError("a period's tables come from the records")

    for name in ("summary_by_platform", "summary_by_sector", "summary_by_zone"):
        monkeypatch.setattr(report_module, name, refuse)
    monkeypatch.setattr(report_module, "summary_by_start_year", refuse)
    scope = Scope(period=period)
    report = Report(scope, command_user())
    assert [row["projects"] for row in report.years] == [1]
    for name, expected in tables_from_records(scope, command_user()).items():
        assert getattr(report, name) == expected

"""Zone targets: the model's rules in the database, progress measured from the records, and
where progress is shown (JSON, command) and to whom."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from platforms.models import Zone
from projects.models import Project
from projects.reports.choices import TargetMetric
from projects.reports.models import Target
from projects.reports.queries import target_progress

M = TargetMetric
ROLLUP_JSON = reverse("reports:rollup_json")


def target(zone, metric, value, start=2024, end=2024):
    return Target.objects.create(
        zone=zone, metric=metric, start_year=start, end_year=end, value=Decimal(value)
    )


@pytest.mark.parametrize(
    ("fields", "rule"),
    [
        ({"start_year": 2026, "end_year": 2024}, "start_not_after_end"),
        ({"value": Decimal("0")}, "value_positive"),
        ({"value": Decimal("-5")}, "value_positive"),
        ({"value": Decimal("10") ** 12 + 1}, "value_positive"),
        ({"value": Decimal("20.5")}, "count_is_whole"),
        ({"metric": "bogus"}, "metric_valid"),
        ({"start_year": 1900}, "years_in_range"),
    ],
)
def test_the_database_refuses_a_bad_target(world, fields, rule):
    values = {
        "zone": world["zone1"],
        "metric": M.NEW_PLATFORMS,
        "start_year": 2024,
        "end_year": 2026,
        "value": Decimal(20),
        **fields,
    }
    with pytest.raises(IntegrityError, match=rule), transaction.atomic():
        Target.objects.create(**values)


def test_an_amount_target_may_have_fen(world):
    assert target(world["zone1"], M.FINANCING, "5000000000.50").pk


def test_one_target_per_zone_metric_and_years(world):
    target(world["zone1"], M.PROJECTS, 1000, 2024, 2026)
    target(world["zone1"], M.PROJECTS, 400, 2024, 2024)  # other years: fine
    target(world["zone2"], M.PROJECTS, 1000, 2024, 2026)  # other zone: fine

    duplicate = Target(
        zone=world["zone1"], metric=M.PROJECTS, start_year=2024, end_year=2026, value=5
    )
    with pytest.raises(ValidationError, match="该园区已有此指标、此年份区间的目标"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_model_validation_explains_the_rules(world):
    bad = Target(zone=world["zone1"], metric=M.PROJECTS, start_year=2026, end_year=2024, value=0)

    with pytest.raises(ValidationError) as error:
        bad.full_clean()

    text = str(error.value)
    assert "开始年份不能晚于截止年份" in text


def progress(report_world, user="manager"):
    zones = Zone.objects.filter(pk=report_world["zone1"].pk)
    return {row["metric"]: row for row in target_progress(zones, report_world[user])}


def test_progress_counts_the_zones_records_in_the_target_years(report_world):
    w = report_world
    zone = w["zone1"]
    w["platform_a"].established_on = dt.date(2024, 5, 1)
    w["platform_a"].save()
    w["platform_c"].established_on = dt.date(2024, 5, 1)  # another zone: not counted
    w["platform_c"].save()
    e1 = w["a1"].enterprise
    e1.founded_on = dt.date(2023, 2, 1)
    e1.save()
    target(zone, M.PROJECTS, 10)  # 2024: A2, A3, B1
    target(zone, M.NEW_PRODUCTS, 4, 2023, 2024)  # A1 (2023), B1 (2024)
    target(zone, M.ENTERPRISES, 4)  # E1 (A2), E2 (A3, B1)
    target(zone, M.FIRMS_INCUBATED, 4, 2023, 2024)  # E1, founded 2023, served from 2023
    target(zone, M.FINANCING, "1000", 2024, 2024)  # dated 2024: 0.02 + 300.00
    target(zone, M.NEW_PLATFORMS, 2, 2024, 2026)  # A
    target(zone, M.KEY_PLATFORMS, 2, 2024, 2026)  # A (B's recognition is revoked)
    target(zone, M.SERVICE_REVENUE, "2000")  # 200.20 + 0.30 + 1000.00

    rows = progress(w)

    assert rows[M.PROJECTS]["value"] == 3
    assert rows[M.PROJECTS]["share"] == Decimal("30.0")
    assert rows[M.NEW_PRODUCTS]["value"] == 2
    assert rows[M.ENTERPRISES]["value"] == 2
    assert rows[M.FIRMS_INCUBATED]["value"] == 1
    assert rows[M.FINANCING]["value"] == Decimal("300.02")
    assert rows[M.NEW_PLATFORMS]["value"] == 1
    assert rows[M.KEY_PLATFORMS]["value"] == 1
    assert rows[M.SERVICE_REVENUE]["value"] == Decimal("1200.50")
    assert rows[M.SERVICE_REVENUE]["share"] == Decimal("60.0")  # 60.025 → 60.0 (tenth)


def test_a_bar_stops_at_100_percent_when_the_target_is_passed(report_world):
    target(report_world["zone1"], M.PROJECTS, 2)

    row = progress(report_world)[M.PROJECTS]

    assert (row["value"], row["share"], row["bar"]) == (3, Decimal("150.0"), Decimal(100))


def test_platform_staff_do_not_see_the_zones_progress(report_world):
    target(report_world["zone1"], M.PROJECTS, 10)

    assert progress(report_world, "staff_a") == {}
    assert progress(report_world, "admin_user") != {}


def test_json_lists_the_targets_of_the_managers_zone(client, report_world):
    target(report_world["zone1"], M.PROJECTS, 10)
    target(report_world["zone1"], M.FINANCING, "5000000000", 2024, 2026)
    target(report_world["zone2"], M.PROJECTS, 10)  # not the manager's zone
    client.force_login(report_world["manager"])

    data = client.get(ROLLUP_JSON).json()

    assert data["targets"] == [
        {
            "zone": "成都高新区",
            "metric": "projects",
            "start_year": 2024,
            "end_year": 2024,
            "target": 10,
            "value": 3,
        },
        {
            "zone": "成都高新区",
            "metric": "financing",
            "start_year": 2024,
            "end_year": 2026,
            "target": "5000000000.00",
            "value": "300.02",
        },
    ]


def test_a_platform_or_sector_scope_has_no_targets(client, report_world):
    target(report_world["zone1"], M.PROJECTS, 10)
    client.force_login(report_world["manager"])

    by_platform = client.get(ROLLUP_JSON, {"platform": report_world["platform_a"].pk}).json()
    by_sector = client.get(ROLLUP_JSON, {"sector": "raw_materials"}).json()

    assert by_platform["targets"] == []
    assert by_sector["targets"] == []


def test_rollup_command_prints_targets_in_json_and_text(report_world):
    target(report_world["zone1"], M.PROJECTS, 10)
    out = StringIO()
    call_command("rollup", "--zone", "成都高新区", stdout=out)
    text = StringIO()
    call_command("rollup", "--zone", "成都高新区", "--format", "text", stdout=text)

    assert json.loads(out.getvalue())["targets"][0]["value"] == 3
    assert "成都高新区 · 服务中试项目数 2024–2024: 3 / 10 (30.0%)" in text.getvalue()


def test_only_administrators_open_the_targets_admin(client, report_world):
    url = reverse("admin:reports_target_changelist")
    client.force_login(report_world["manager"])
    assert client.get(url).status_code == 302
    client.force_login(report_world["admin_user"])
    assert client.get(url).status_code == 200


def test_demo_data_sets_chengdus_targets(db, demo):
    targets = Target.objects.filter(zone__name="成都高新区")

    assert {(t.metric, int(t.value)) for t in targets} == {
        ("new_platforms", 20),
        ("projects", 1000),
        ("new_products", 200),
        ("firms_incubated", 100),
        ("financing", 5_000_000_000),
    }
    assert Project.objects.exists()

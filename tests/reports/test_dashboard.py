"""The zone dashboard: a zone manager's home page, its figures, who sees it, its query count."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import Project
from projects.reports.models import Target
from projects.reports.queries.dashboard import change_pct, same_day_last_year
from tests import factories
from tests.reports.test_report_views import COLD_HEADLINE_QUERIES, add_targets, grow

HOME = reverse("home")
DASHBOARD = reverse("reports:dashboard")


def test_a_zone_managers_home_is_the_zone_dashboard(client, report_world):
    client.force_login(report_world["manager"])

    response = client.get(HOME)

    assert response.status_code == 200
    assert "reports/dashboard.html" in [t.name for t in response.templates]
    assert response.context["zone"] == report_world["zone1"]


@pytest.mark.parametrize("user", ["staff_a", "admin_user"])
def test_staff_and_administrators_keep_the_platform_cards(client, report_world, user):
    client.force_login(report_world[user])

    response = client.get(HOME)

    assert "home.html" in [t.name for t in response.templates]
    assert "reports/dashboard.html" not in [t.name for t in response.templates]


def test_anonymous_users_are_sent_to_sign_in(client, db):
    assert client.get(DASHBOARD).status_code == 302


def test_staff_have_no_zone_dashboard(client, report_world):
    client.force_login(report_world["staff_a"])

    assert client.get(DASHBOARD).status_code == 404


def test_another_managers_zone_does_not_exist_for_a_manager(client, report_world):
    client.force_login(report_world["manager"])

    assert client.get(DASHBOARD, {"zone": report_world["zone2"].pk}).status_code == 404
    assert client.get(DASHBOARD, {"zone": "x" * 50}).status_code == 404


def test_an_administrator_picks_any_zone(client, report_world):
    client.force_login(report_world["admin_user"])

    response = client.get(DASHBOARD, {"zone": report_world["zone2"].pk})

    assert response.context["zone"] == report_world["zone2"]
    assert len(response.context["zones"]) == 2


def test_year_on_year_compares_this_year_so_far_with_the_same_period_last_year(
    client, report_world
):
    today = timezone.localdate()
    platform = report_world["platform_a"]
    for start in (dt.date(today.year, 1, 1), dt.date(today.year, 1, 1), today):
        factories.ProjectFactory(platform=platform, start_on=start, service_revenue=100)
    factories.ProjectFactory(platform=platform, start_on=dt.date(today.year - 1, 1, 1))
    # After the same day last year: not in last year's period.
    later = same_day_last_year(today) + dt.timedelta(days=1)
    if later.year == today.year - 1:
        factories.ProjectFactory(platform=platform, start_on=later)
    client.force_login(report_world["manager"])

    rows = {row["name"]: row for row in client.get(DASHBOARD).context["year_on_year"]}

    assert (rows["projects"]["this"], rows["projects"]["last"]) == (3, 1)
    assert rows["projects"]["change"] == Decimal("200.0")
    assert rows["service_revenue"]["this"] == Decimal("300.00")


def test_change_is_unknown_when_last_year_was_zero():
    assert change_pct(5, 0) is None
    assert change_pct(3, 4) == Decimal("-25.0")
    assert same_day_last_year(dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)


def test_rankings_put_the_largest_first(client, report_world):
    client.force_login(report_world["manager"])

    rankings = {r["key"]: r["rows"] for r in client.get(DASHBOARD).context["rankings"]}

    assert [row["label"] for row in rankings["projects"]] == ["蜂鸟平台", "另一平台"]
    assert [row["label"] for row in rankings["service_revenue"]] == ["另一平台", "蜂鸟平台"]
    assert [row["label"] for row in rankings["yield_gain_pp_mean"]] == ["蜂鸟平台"]  # B: no gain


def test_quiet_platforms_have_no_new_or_changed_project_in_90_days(client, report_world):
    now = timezone.now()
    Project.objects.filter(platform=report_world["platform_b"]).update(
        updated_at=now - dt.timedelta(days=91)
    )
    Project.objects.filter(platform=report_world["platform_a"]).update(
        updated_at=now - dt.timedelta(days=89)
    )
    empty = factories.PlatformFactory(zone=report_world["zone1"], name="空平台")
    client.force_login(report_world["manager"])

    quiet = client.get(DASHBOARD).context["quiet"]

    assert [row["name"] for row in quiet] == [empty.name, "另一平台"]
    assert quiet[0]["last_change"] is None


def test_dashboard_shows_target_progress(client, report_world):
    Target.objects.create(
        zone=report_world["zone1"], metric="projects", start_year=2024, end_year=2024, value=10
    )
    client.force_login(report_world["manager"])

    body = client.get(HOME).content.decode()

    assert '<progress max="100" value="30.0"' in body
    assert "3 / 10" in body


# Queries: user (1); "a manager only?" (2: zone and platform memberships); the zones the user
# reviews (1); the platform versions (1); the headline, cold (tests.reports.test_report_views);
# the by-platform table (1: the platforms' attributes; its figures are the headline's summary
# rows); year on year: projects and financing (2); quiet platforms (1);
# targets: the list and the platforms', projects' and financing figures (4); navigation role (2).
DASHBOARD_QUERIES = 1 + 2 + 1 + 1 + COLD_HEADLINE_QUERIES + 1 + 2 + 1 + 4 + 2


@pytest.mark.parametrize("larger", [False, True])
def test_dashboard_runs_a_fixed_number_of_queries(
    client, report_world, django_assert_num_queries, larger
):
    add_targets(report_world["zone1"], 3 if larger else 1)
    if larger:
        grow(report_world, projects_per_platform=30)
    client.force_login(report_world["manager"])

    with django_assert_num_queries(DASHBOARD_QUERIES):
        assert client.get(HOME).status_code == 200

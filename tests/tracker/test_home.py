"""The home page: per visible platform, active projects, started this year, latest gains."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.workspace import english, populate

pytestmark = pytest.mark.django_db


def test_home_shows_each_visible_platform_with_its_figures(client, world):
    this_year = timezone.localdate().year
    factories.ProjectFactory(
        platform=world["platform_a"], status="in_progress", start_on=dt.date(this_year, 1, 2)
    )
    factories.ProjectFactory(platform=world["platform_a"], status="contracted")
    factories.ProjectFactory(platform=world["platform_a"], status="intent")  # not active
    gained = factories.ProjectFactory(platform=world["platform_b"], title="良率项目")
    factories.YieldRunFactory(project=gained, sequence=1, units_tested=10, units_passed=4)
    factories.YieldRunFactory(project=gained, sequence=2, units_tested=10, units_passed=9)
    # A manager who is also staff somewhere keeps the platform cards (the dashboard is the home
    # of managers only: tests/reports/test_dashboard.py).
    factories.PlatformMembershipFactory(user=world["manager"], platform=world["platform_c"])
    client.force_login(world["manager"])
    response = english(client).get(reverse("home"))
    platforms = {p.name: p for p in response.context["platforms"]}
    assert set(platforms) == {"蜂鸟平台", "另一平台", "昆山平台"}
    assert platforms["蜂鸟平台"].active_projects == 2  # contracted and in progress
    assert platforms["蜂鸟平台"].started_this_year == 1
    assert [p.title for p in platforms["另一平台"].latest_gains] == ["良率项目"]
    page = response.content.decode()
    assert "40% → 90% (+50 pp, +125%)" in page
    create = reverse("projects:project_create")
    assert f"{create}?platform={world['platform_c'].pk}" in page  # staff of C
    assert f"{create}?platform={world['platform_a'].pk}" not in page  # manager only of A


def test_staff_get_a_new_project_link_for_their_platform(client, world):
    client.force_login(world["staff_a"])
    page = client.get(reverse("home")).content.decode()
    assert f"{reverse('projects:project_create')}?platform={world['platform_a'].pk}" in page


@pytest.mark.parametrize("rows", [5, 50])
def test_home_runs_a_fixed_number_of_queries(client, world, rows, django_assert_num_queries):
    populate(world, rows)
    client.force_login(world["staff_a"])
    # user, "a manager only?" (the dashboard is their home), platforms with both counts, latest
    # gains (window function), "which may the user edit?", the user's open period returns,
    # navigation role ×2.
    with django_assert_num_queries(8):
        client.get(reverse("home"))

"""Who may do what with reporting rounds (platforms.access): anonymous → sign-in, another
platform's staff or another zone's manager → 404, a manager filling a return → 403, staff
reviewing → 403, administrators everything; and a fixed number of queries per page."""

import datetime as dt

import pytest
from django.urls import reverse

from projects.returns import services
from projects.returns.models import PeriodReturn
from tests import factories

pytestmark = pytest.mark.django_db

READ_PAGES = ["return_detail", "return_print"]


def url(name, world, code="2025"):
    return reverse(f"returns:{name}", args=[code, world["platform_a"].pk])


@pytest.mark.parametrize("name", READ_PAGES)
@pytest.mark.parametrize(
    ("user", "status"),
    [
        (None, 302),
        ("staff_a", 200),
        ("staff_b", 404),
        ("manager", 200),
        ("other_manager", 404),
        ("admin_user", 200),
    ],
)
def test_reading_a_return(client, round_2025, world, name, user, status):
    if user:
        client.force_login(world[user])
    response = client.get(url(name, world))
    assert response.status_code == status
    if user is None:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("return_detail", {"staff_headcount": "3"}),
        ("evidence_upload", {}),
        ("return_submit", {}),
        ("return_approve", {}),
        ("return_send_back", {"comment": "x"}),
        ("return_reopen", {"reason": "x"}),
    ],
)
@pytest.mark.parametrize(("user", "status"), [("staff_b", 404), ("other_manager", 404)])
def test_another_platform_or_zone_gets_404_on_every_action(
    client, round_2025, world, name, data, user, status
):
    client.force_login(world[user])
    assert client.post(url(name, world), data).status_code == status


@pytest.mark.parametrize(
    ("user", "name", "data"),
    [
        ("manager", "return_detail", {"staff_headcount": "3"}),
        ("manager", "evidence_upload", {}),
        ("manager", "return_submit", {}),
        ("staff_a", "return_approve", {}),
        ("staff_a", "return_send_back", {"comment": "x"}),
        ("staff_a", "return_reopen", {"reason": "x"}),
    ],
)
def test_the_wrong_role_gets_403(client, round_2025, world, user, name, data):
    client.force_login(world[user])
    assert client.post(url(name, world), data).status_code == 403


def test_csrf_is_required(round_2025, world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world["staff_a"])
    assert client.post(url("return_submit", world)).status_code == 403


@pytest.mark.parametrize(
    ("user", "platforms"),
    [("staff_a", ["蜂鸟平台"]), ("manager", ["另一平台", "蜂鸟平台"]), ("admin_user", None)],
)
def test_the_board_and_its_json_show_what_the_user_may_see(
    client, round_2025, world, user, platforms
):
    client.force_login(world[user])
    data = client.get(reverse("returns:round_status", args=["2025"])).json()
    names = sorted(item["platform"] for item in data["returns"])
    assert names == (platforms or ["另一平台", "蜂鸟平台"])
    assert data["due_on"] == "2026-01-31"
    assert {item["status"] for item in data["returns"]} == {"not_started"}


def test_another_zone_does_not_see_the_round(client, round_2025, world):
    client.force_login(world["other_manager"])
    assert client.get(reverse("returns:round_board", args=["2025"])).status_code == 404
    assert client.get(reverse("returns:round_export", args=["2025"])).status_code == 404


def test_overdue_returns_are_marked(client, round_2025, world):
    round_2025.due_on = dt.date(2025, 1, 1)
    round_2025.save()
    client.force_login(world["manager"])
    page = client.get(reverse("returns:round_board", args=["2025"])).content.decode()
    assert page.count('class="is-overdue"') == 2


def _more_platforms(world, n):
    for _ in range(n):
        platform = factories.PlatformFactory(zone=world["zone1"])
        PeriodReturn.objects.create(
            period=PeriodReturn.objects.first().period, platform=platform, status="draft"
        )


@pytest.mark.parametrize("extra", [0, 30])
def test_the_board_runs_a_fixed_number_of_queries(
    client, round_2025, world, extra, django_assert_num_queries
):
    _more_platforms(world, extra)
    client.force_login(world["manager"])
    # user (sessions are in the cache), the round, the returns with their platforms and
    # zones, and the menu's two role checks (base.html)
    with django_assert_num_queries(5):
        response = client.get(reverse("returns:round_board", args=["2025"]))
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 30])
def test_the_returns_roll_up_runs_a_fixed_number_of_queries(
    client, round_2025, world, extra, django_assert_num_queries
):
    _more_platforms(world, extra)
    data = {"grants": 0, "staff_headcount": 5, "incubated_firms": 1, "explanation": "说明"}
    ret = PeriodReturn.objects.select_related("period").get(platform=world["platform_a"])
    services.save_draft(ret, world["staff_a"], data)
    from .conftest import upload

    services.add_evidence(ret, world["staff_a"], upload())
    services.submit(ret, world["staff_a"])
    services.approve(ret, world["manager"])
    client.force_login(world["admin_user"])
    # user, the round (form), the returns' sums, the approved platforms, the list share,
    # the distinct enterprises of the frozen rows, the median gain over them
    with django_assert_num_queries(7):
        response = client.get(
            reverse("reports:rollup_json"), {"period": "2025", "basis": "returns"}
        )
    assert response.json()["returns_approved"] == 1
    assert response.json()["returns_expected"] == 2 + extra


ROLES = ["anonymous", "staff_a", "staff_b", "manager", "other_manager", "admin_user"]
ROUND_PAGES = {
    "returns:round_list": (False, [302, 200, 200, 200, 200, 200]),
    "returns:round_open": (False, [302, 403, 403, 200, 200, 200]),
    "returns:round_board": (True, [302, 200, 200, 200, 404, 200]),
    "returns:round_status": (True, [302, 200, 200, 200, 404, 200]),
    "returns:round_export": (True, [302, 200, 200, 200, 404, 200]),
}


@pytest.mark.parametrize("name", ROUND_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_the_round_pages_by_role(client, round_2025, world, name, role):
    with_code, statuses = ROUND_PAGES[name]
    if role != "anonymous":
        client.force_login(world[role])
    response = client.get(reverse(name, args=["2025"] if with_code else []))
    assert response.status_code == statuses[ROLES.index(role)]


def test_an_unknown_round_is_404(client, world):
    client.force_login(world["admin_user"])
    assert client.get(reverse("returns:round_board", args=["2031"])).status_code == 404
    assert client.get(reverse("returns:return_detail", args=["2031", 1])).status_code == 404


def test_the_board_escapes_platform_names(client, round_2025, world):
    world["platform_b"].name = '<script>alert("x")</script>'
    world["platform_b"].save()
    client.force_login(world["manager"])
    page = client.get(reverse("returns:round_board", args=["2025"])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page

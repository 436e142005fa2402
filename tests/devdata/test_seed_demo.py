"""``seed_demo`` reproduces the published figures of Chengdu High-tech Zone, the real cases and
the demo accounts, and a second run changes nothing.

The demo is loaded once per test session (``demo`` in ``tests/conftest.py``: it takes a few
seconds) inside an outer transaction that is rolled back at the end, so other tests never see
it; every test runs in its own savepoint on top of it.
"""

import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q, Sum
from django.urls import reverse

from platforms.models import (
    Platform,
    PlatformMembership,
    Province,
    ProvinceListTotal,
    Recognition,
    RecognitionList,
    Zone,
    ZoneMembership,
)
from projects.models import Enterprise, Financing, Project, YieldRun
from tests.conftest import DEMO_PASSWORD
from tracker.devdata import demo_data
from tracker.devdata.demo import build_plan
from tracker.validators import validate_uscc

BILLION = Decimal(10**9)


@pytest.fixture
def chengdu(demo, db):
    return Zone.objects.get(name="成都高新区")


@pytest.fixture
def hummingbird(demo, db):
    return Platform.objects.get(name="成都高新蜂鸟智能硬件中试平台")


def test_chengdu_zone_has_96_platforms_of_which_8_are_current_miit_key_platforms(chengdu):
    platforms = Platform.objects.filter(zone=chengdu)
    current_key = Recognition.objects.current().filter(
        recognition_list__level="miit_key", platform__zone=chengdu
    )
    assert platforms.count() == 96
    assert current_key.values("platform").distinct().count() == 8


def test_sichuan_has_16_entries_on_the_miit_first_list_so_8_is_half(chengdu):
    miit = RecognitionList.objects.get(level="miit_key", batch=1, issuer="工业和信息化部")
    total = ProvinceListTotal.objects.get(recognition_list=miit, province__code="51")
    assert total.entries == 16
    assert ProvinceListTotal.objects.get(recognition_list=miit, province__code="32").entries > 1
    assert chengdu.province.code == "51"
    assert Province.objects.filter(code__in=["51", "32"]).count() == 2


def test_revoked_recognitions_exist_but_do_not_count_as_current(chengdu):
    revoked = Recognition.objects.filter(revoked_on__isnull=False)
    assert revoked.filter(platform__zone=chengdu).exists()
    assert revoked.filter(recognition_list__level="miit_key").exists()
    # Counting every entry instead of current ones would break the published 8.
    all_key = Recognition.objects.filter(recognition_list__level="miit_key", platform__zone=chengdu)
    assert all_key.values("platform").distinct().count() == 8


def test_chengdu_zone_rollup_reproduces_the_published_figures(chengdu):
    projects = Project.objects.filter(platform__zone=chengdu)
    totals = projects.aggregate(revenue=Sum("service_revenue"), output=Sum("output_value"))
    financing = Financing.objects.filter(project__platform__zone=chengdu).aggregate(
        total=Sum("amount")
    )["total"]
    assert projects.count() == 4547
    assert Decimal("1.80") * BILLION < totals["revenue"] < Decimal("1.85") * BILLION
    assert Decimal("10.0") * BILLION <= totals["output"] <= Decimal("10.5") * BILLION
    assert Decimal("2.85") * BILLION <= financing <= Decimal("2.90") * BILLION


def test_hummingbird_platform_reproduces_its_published_figures(hummingbird):
    projects = hummingbird.projects.all()
    output = projects.aggregate(total=Sum("output_value"))["total"]
    assert hummingbird.sector == "information_technology"
    assert 600 <= projects.count() <= 649
    assert 380 <= projects.filter(new_product=True).count() <= 399
    assert Decimal("1.95") * BILLION <= output <= Decimal("2.05") * BILLION


def test_parking_patrol_device_yield_rises_from_40_to_90_percent_over_dvt_dvt_pvt(hummingbird):
    project = Project.objects.get(product="路内停车移动巡查设备")
    runs = list(project.yield_runs.order_by("measured_on", "sequence"))
    assert project.enterprise.name == "成都臻识科技发展有限公司"
    assert project.platform == hummingbird
    assert [run.label for run in runs] == ["DVT#1", "DVT#2", "PVT#1"]
    assert runs[0].yield_pct == Decimal("40.0000")
    assert Decimal(40) < runs[1].yield_pct < Decimal(90)
    assert runs[2].yield_pct == Decimal("90.0000")
    assert project.yield_first_pct == Decimal(40)
    assert project.yield_latest_pct == Decimal(90)
    assert project.yield_gain_pp == Decimal(50)
    assert project.yield_gain_relative_pct == Decimal("125.0")


def test_real_cases_are_recorded_under_their_real_names(demo, db):
    zhenshi = Enterprise.objects.get(name="成都臻识科技发展有限公司")
    assert zhenshi.projects.filter(product__contains="智能相机模组").exists()
    kunshan = Zone.objects.get(name="昆山高新区")
    assert kunshan.province.code == "32"
    gcl = Platform.objects.get(zone=kunshan, name__contains="钙钛矿")
    assert gcl.projects.filter(enterprise__name="昆山协鑫光电材料有限公司").count() == 2
    changying = Enterprise.objects.get(name="昆山长鹰硬质材料科技股份有限公司")
    assert changying.srdi_level == "little_giant"
    assert changying.projects.get().platform.zone == kunshan


def test_every_enterprise_and_operator_has_a_valid_uscc(demo, db):
    for uscc in Enterprise.objects.values_list("uscc", flat=True):
        validate_uscc(uscc)
    for uscc in Platform.objects.exclude(operator_uscc="").values_list("operator_uscc", flat=True):
        validate_uscc(uscc)


def test_synthetic_names_are_plausible_not_numbered(chengdu):
    names = list(Platform.objects.filter(zone=chengdu).values_list("name", flat=True))
    assert len(set(names)) == 96
    assert all(name.endswith(("平台", "基地", "中心")) for name in names)
    assert not any(name[-1].isdigit() for name in names)
    enterprises = Enterprise.objects.values_list("name", flat=True)
    assert all(name.endswith("公司") for name in enterprises)


def test_dates_lie_in_2019_to_2025_and_runs_follow_their_project(demo, db):
    assert not Project.objects.filter(
        Q(start_on__year__lt=2019) | Q(start_on__year__gt=2025) | Q(end_on__year__gt=2025)
    ).exists()
    assert not YieldRun.objects.filter(measured_on__lt=F("project__start_on")).exists()
    assert not YieldRun.objects.filter(measured_on__year__gt=2025).exists()
    assert not Financing.objects.filter(date__year__gt=2025).exists()


def test_projects_cover_both_tracks_every_status_and_have_one_to_a_few_runs(demo, db):
    projects = Project.objects.filter(code__regex=r"^(CD|FN)")
    assert set(projects.values_list("track", flat=True)) == {"discrete", "process"}
    assert set(projects.values_list("status", flat=True)) == {
        "intent",
        "contracted",
        "in_progress",
        "completed",
        "terminated",
    }
    runs = YieldRun.objects.filter(project__in=projects).count()
    assert 1.5 < runs / projects.count() < 3.5
    improved = projects.filter(yield_gain_pp__gt=0).count()
    assert improved > 0.7 * projects.filter(yield_run_count__gte=2).count()


def test_stored_yield_summaries_match_a_fresh_computation_from_the_runs(demo, db):
    fields = ("code", "yield_run_count", "yield_first_pct", "yield_latest_pct", "yield_gain_pp")
    stored = list(Project.objects.order_by("code").values_list(*fields))
    Project.objects.all().refresh_yield_summary()
    assert list(Project.objects.order_by("code").values_list(*fields)) == stored
    counts = dict(
        Project.objects.annotate(n=Count("yield_runs")).values_list("code", "n").order_by()
    )
    assert all(row[1] == counts[row[0]] for row in stored)


def test_demo_accounts_have_their_roles(hummingbird, chengdu):
    admin = apps.get_model("auth", "User").objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert ZoneMembership.objects.filter(user__username="manager", zone=chengdu).exists()
    assert PlatformMembership.objects.filter(user__username="staff", platform=hummingbird).exists()
    staff2 = PlatformMembership.objects.get(user__username="staff2").platform
    assert staff2.zone == chengdu
    assert staff2 != hummingbird


def test_the_command_prints_the_demo_accounts(demo):
    for username in ("admin", "manager", "staff", "staff2"):
        assert f"  {username} " in demo


@pytest.mark.parametrize("username", ["admin", "manager", "staff", "staff2"])
def test_demo_account_can_sign_in_with_the_given_password(demo, db, client, username):
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def _snapshot():
    """Row counts of every model (history tables included) and the values that matter."""
    counts = {model._meta.label: model.objects.count() for model in apps.get_models()}
    values = {
        "projects": list(
            Project.objects.order_by("code").values_list(
                "code", "title", "service_revenue", "output_value", "status", "yield_gain_pp"
            )
        ),
        "financing": Financing.objects.aggregate(Sum("amount"), Count("pk")),
        "passwords": list(
            apps.get_model("auth", "User").objects.order_by("username").values_list("password")
        ),
    }
    return counts, values


def test_a_second_run_writes_nothing_and_adds_no_history(demo, db):
    before = _snapshot()
    assert before[0]["projects.HistoricalProject"] > 0
    call_command("seed_demo", password=DEMO_PASSWORD, stdout=io.StringIO())
    assert _snapshot() == before


def test_the_plan_is_the_same_on_every_call(demo, db):
    first, second = build_plan(), build_plan()
    assert first == second
    real_chengdu_cases = 2
    assert len(first.projects) == (
        demo_data.CHENGDU_PROJECTS - real_chengdu_cases + demo_data.KUNSHAN_FILLER_PROJECTS
    )


def test_seed_demo_refuses_the_default_password_when_debug_is_off(db, settings):
    settings.DEBUG = False
    users = apps.get_model("auth", "User").objects.count()
    with pytest.raises(CommandError, match="--password"):
        call_command("seed_demo", stdout=io.StringIO())
    assert apps.get_model("auth", "User").objects.count() == users

"""The whole journey through the web views, on SQLite and PostgreSQL alike: open → staff
computes, uploads, submits → manager returns with a comment → staff fixes, resubmits →
manager approves → a project edited afterwards changes the live roll-up and not the official
one."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Project
from projects.returns.choices import ReturnStatus
from projects.returns.models import PeriodReturn, ReviewLogEntry

from .conftest import upload

pytestmark = pytest.mark.django_db


def url(name, platform, code="2025"):
    return reverse(f"returns:{name}", args=[code, platform.pk])


def draft(client, platform, **fields):
    data = {"grants": "0", "staff_headcount": "25", "incubated_firms": "2", "explanation": ""}
    data.update(fields)
    return client.post(url("return_detail", platform), data)


def test_the_whole_journey(client, world, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    a, staff, manager = world["platform_a"], world["staff_a"], world["manager"]
    # A manager opens the round from the web.
    client.force_login(manager)
    response = client.post(
        reverse("returns:round_open"),
        {"code": "2025", "due_on": "2026-01-31", "zone": world["zone1"].pk},
    )
    assert response.status_code == 302
    assert PeriodReturn.objects.filter(period__code="2025").count() == 2
    project = Project.objects.create(
        code="FN-1",
        platform=a,
        enterprise=__import__("tests.factories", fromlist=["x"]).EnterpriseFactory(),
        title="巡查设备",
        start_on=dt.date(2025, 3, 1),
        status="in_progress",
        service_revenue=Decimal("500000"),
        output_value=Decimal("1000000"),
    )
    # Staff see the live figures, save the draft, upload evidence, submit.
    client.force_login(staff)
    page = client.get(url("return_detail", a))
    assert page.status_code == 200
    assert "50万元" in page.content.decode(), page.content.decode()
    assert draft(client, a).status_code == 302
    assert client.post(url("evidence_upload", a), {"file": upload()}).status_code == 302
    assert client.post(url("return_submit", a)).status_code == 302
    ret = PeriodReturn.objects.get(period__code="2025", platform=a)
    assert ret.status == ReturnStatus.SUBMITTED
    assert ret.projects_cumulative == 1
    assert ret.service_revenue_cumulative == Decimal("500000.00")
    assert ret.project_rows.count() == 1
    # The manager sends it back with a comment.
    client.force_login(manager)
    assert client.post(url("return_send_back", a), {"comment": "请补充说明"}).status_code == 302
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.RETURNED
    assert ret.review_comment == "请补充说明"
    # Staff fix and resubmit.
    client.force_login(staff)
    page = client.get(url("return_detail", a))
    assert "请补充说明" in page.content.decode()
    assert draft(client, a, staff_headcount="26").status_code == 302
    assert client.post(url("return_submit", a)).status_code == 302
    # The manager approves.
    client.force_login(manager)
    assert client.post(url("return_approve", a)).status_code == 302
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.APPROVED
    assert ret.staff_headcount == 26
    actions = list(
        ReviewLogEntry.objects.filter(period_return=ret).values_list("action", flat=True)
    )
    assert actions == ["submit", "return", "submit", "approve"]
    # A project edited afterwards changes the live roll-up, never the official one.
    project.service_revenue = Decimal("900000")
    project.save()
    official = client.get(reverse("reports:rollup_json"), {"period": "2025", "basis": "returns"})
    live = client.get(reverse("reports:rollup_json"), {"period": "2025", "basis": "live"})
    assert official.json()["service_revenue"] == "500000.00"
    assert official.json()["returns_expected"] == 2
    assert official.json()["returns_approved"] == 1
    assert official.json()["as_of"] == "2025-12-31"
    assert live.json()["service_revenue"] == "900000.00"
    page = client.get(reverse("reports:rollup"), {"period": "2025", "basis": "returns"})
    assert "数据截至2025年12月31日，依据2家平台中1家已审核报表" in page.content.decode()


def test_staff_see_their_open_returns_with_the_due_date_on_the_home_page(client, world):
    from projects.returns import services

    services.open_round("2025Q4", dt.date(2026, 1, 15), world["zone1"], world["manager"])
    client.force_login(world["staff_a"])
    page = client.get(reverse("home")).content.decode()
    assert reverse("returns:return_detail", args=["2025Q4", world["platform_a"].pk]) in page
    assert reverse("returns:return_detail", args=["2025Q4", world["platform_b"].pk]) not in page
    assert "2026" in page
    client.force_login(world["manager"])
    assert 'id="open-returns"' not in client.get(reverse("home")).content.decode()

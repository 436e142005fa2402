"""The print layout, the Torch export, the frozen project rows (masked), reminders, the admin,
the history of a return and the status JSON through a return's life."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from projects.returns import services
from projects.returns.models import PeriodReturn
from tests import factories

from .conftest import upload

pytestmark = pytest.mark.django_db


def the_return(world, key="platform_a"):
    return PeriodReturn.objects.select_related("period", "platform").get(
        period__code="2025", platform=world[key]
    )


def submitted(world, **fields):
    data = {"grants": 0, "staff_headcount": 5, "incubated_firms": 1, "explanation": "说明"}
    services.save_draft(the_return(world), world["staff_a"], {**data, **fields})
    services.add_evidence(the_return(world), world["staff_a"], upload())
    return services.submit(the_return(world), world["staff_a"])


def test_the_print_layout_is_watermarked_until_approved(client, round_2025, world):
    client.force_login(world["staff_a"])
    print_url = reverse("returns:return_print", args=["2025", world["platform_a"].pk])
    page = client.get(print_url).content.decode()
    assert "草稿/DRAFT" in page and "returns-print.css" in page
    submitted(world)
    services.approve(the_return(world), world["manager"])
    page = client.get(print_url).content.decode()
    assert "草稿/DRAFT" not in page
    assert world["manager"].username in page  # the reviewer


def test_the_export_has_one_row_per_platform_in_thousand_yuan_and_is_formula_safe(
    client, round_2025, world
):
    world["platform_b"].name = "=HYPERLINK(1)"
    world["platform_b"].save()
    submitted(world, grants="12345.67")
    client.force_login(world["manager"])
    response = client.get(reverse("returns:round_export", args=["2025"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert len(rows) == 3
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert "'=HYPERLINK(1)" in by_name
    ours = by_name[world["platform_a"].name]
    assert ours["Service revenue, cumulative (thousand yuan)"] == 500  # 500,000 yuan
    assert ours["Grants received in the period (thousand yuan)"] == pytest.approx(12.3)
    assert ours["Projects, cumulative"] == 3
    assert by_name["'=HYPERLINK(1)"]["Projects, cumulative"] is None


def test_frozen_rows_mask_a_confidential_title_for_the_manager(client, round_2025, world):
    factories.ProjectFactory(
        platform=world["platform_a"],
        start_on=dt.date(2025, 5, 1),
        title="绝密新品",
        confidentiality="confidential",
    )
    submitted(world)
    detail = reverse("returns:return_detail", args=["2025", world["platform_a"].pk])
    client.force_login(world["staff_a"])
    assert "绝密新品" in client.get(detail).content.decode()
    client.force_login(world["manager"])
    page = client.get(detail).content.decode()
    assert "绝密新品" not in page
    assert "Confidential project" in page


def test_the_frozen_figures_do_not_move_when_a_project_changes(round_2025, world):
    submitted(world)
    project = world["platform_a"].projects.get(start_on=dt.date(2025, 4, 1))
    project.service_revenue = Decimal("999999")
    project.save()
    ret = the_return(world)
    assert ret.service_revenue_cumulative == Decimal("500000.00")
    assert ret.project_rows.get(code=project.code).service_revenue == Decimal("200000.00")


def test_submitting_twice_freezes_once(client, round_2025, world):
    submitted(world)
    client.force_login(world["staff_a"])
    url = reverse("returns:return_submit", args=["2025", world["platform_a"].pk])
    assert client.post(url).status_code == 409
    assert the_return(world).log.filter(action="submit").count() == 1


def test_the_history_records_each_change_of_status(round_2025, world):
    submitted(world)
    services.send_back(the_return(world), world["manager"], "补充")
    statuses = list(
        the_return(world).history.order_by("history_id").values_list("status", flat=True)
    )
    assert statuses[-2:] == ["submitted", "returned"]


def test_remind_returns_mails_the_staff_of_late_platforms(round_2025, world):
    world["staff_a"].email = "a@example.cn"
    world["staff_a"].save()
    world["staff_b"].email = "b@example.cn"
    world["staff_b"].save()
    submitted(world)
    out = io.StringIO()
    round_2025.due_on = dt.date(2025, 1, 1)
    round_2025.save()
    call_command("remind_returns", "2025", stdout=out)
    assert [message.to for message in mail.outbox] == [["b@example.cn"]]
    assert "“未填报”" in mail.outbox[0].body and "is not started:" in mail.outbox[0].body
    assert world["staff_b"].username in out.getvalue()
    assert world["staff_a"].username not in out.getvalue()


def test_remind_returns_before_the_due_date_reminds_nobody(round_2025, world):
    round_2025.due_on = dt.date(2100, 1, 1)
    round_2025.save()
    out = io.StringIO()
    call_command("remind_returns", "2025", stdout=out)
    assert mail.outbox == []
    assert "nobody" in out.getvalue()


def test_the_admin_shows_an_approved_return_read_only(client, round_2025, world):
    submitted(world)
    services.approve(the_return(world), world["manager"])
    client.force_login(world["admin_user"])
    change = reverse("admin:returns_periodreturn_change", args=[the_return(world).pk])
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = client.post(change, {"explanation": "改"})
    assert response.status_code == 403


def test_the_status_json_follows_the_return(client, round_2025, world):
    submitted(world)
    services.approve(the_return(world), world["manager"])
    client.force_login(world["manager"])
    data = client.get(reverse("returns:round_status", args=["2025"])).json()
    ours = next(r for r in data["returns"] if r["platform_id"] == world["platform_a"].pk)
    assert ours["status"] == "approved"
    assert ours["submitted_at"] and ours["approved_at"]
    assert set(ours) == {"platform_id", "platform", "status", "submitted_at", "approved_at"}


def test_the_cached_official_roll_up_moves_with_each_approval_and_reopening(
    client, round_2025, world
):
    client.force_login(world["admin_user"])
    url = reverse("reports:rollup_json")
    query = {"period": "2025", "basis": "returns"}
    assert client.get(url, query).json()["platforms"] == 0
    submitted(world)
    services.approve(the_return(world), world["manager"])
    first = client.get(url, query).json()
    assert (first["platforms"], first["enterprises"], first["returns_approved"]) == (1, 2, 1)
    assert first["yield_gain_pp_median"] == 50.0
    assert client.get(url, query).json() == first  # from the cache
    services.reopen(the_return(world), world["admin_user"], "更正")
    again = client.get(url, query).json()
    assert (again["platforms"], again["enterprises"], again["returns_approved"]) == (0, 0, 0)

"""Every refusal: submitting with errors, no evidence or an unexplained warning (every reason
listed, nothing frozen); hostile evidence files; reviewing in the wrong status; a locked
approved return; a closed round; two managers approving at once (one approval)."""

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from projects.returns import services
from projects.returns.choices import ReturnStatus, RoundStatus
from projects.returns.models import Evidence, PeriodReturn, ReviewLogEntry

from .conftest import JPEG, PDF, PNG, upload

pytestmark = pytest.mark.django_db


def url(name, platform, code="2025"):
    return reverse(f"returns:{name}", args=[code, platform.pk])


def the_return(world, key="platform_a"):
    return PeriodReturn.objects.select_related("period", "platform").get(
        period__code="2025", platform=world[key]
    )


def fill(world, **fields):
    ret = the_return(world)
    data = {"grants": 0, "staff_headcount": 5, "incubated_firms": 1, "explanation": ""}
    data.update(fields)
    return services.save_draft(ret, world["staff_a"], data)


def submitted(world):
    fill(world, explanation="年末集中签约")
    services.add_evidence(the_return(world), world["staff_a"], upload())
    return services.submit(the_return(world), world["staff_a"])


def test_submitting_lists_every_reason_and_freezes_nothing(client, round_2025, world):
    client.force_login(world["staff_a"])
    response = client.post(url("return_submit", world["platform_a"]))
    assert response.status_code == 400
    text = response.content.decode()
    for reason in ("No evidence file", "staff headcount", "grants received", "firms incubated"):
        assert reason in text
    ret = the_return(world)
    assert ret.status == ReturnStatus.NOT_STARTED
    assert ret.frozen_at is None and ret.projects_cumulative is None
    assert ret.project_rows.count() == 0


def test_an_unexplained_warning_refuses_submission_and_an_explanation_lifts_it(round_2025, world):
    fill(world, grants="99999999")  # grants above the revenue increment: a warning
    services.add_evidence(the_return(world), world["staff_a"], upload())
    with pytest.raises(services.Refused) as refusal:
        services.submit(the_return(world), world["staff_a"])
    assert any("Grants exceed" in reason for reason in refusal.value.reasons)
    fill(world, grants="99999999", explanation="省级专项资金一次到账")
    assert services.submit(the_return(world), world["staff_a"]).status == ReturnStatus.SUBMITTED


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.pdf", "empty"),
        (b"<html><body>hi</body></html>", "return.pdf", "not a PDF"),
        (b"MZ\x90\x00 renamed exe %%EOF", "return.pdf", "not a PDF"),
        (PNG, "return.pdf", "content is PNG"),
        (PDF, "return.html", "PDF, JPG or PNG"),
        (b"%PDF-1.4 truncated", "return.pdf", "not a PDF"),
    ],
)
def test_hostile_evidence_is_refused(client, round_2025, world, content, name, message):
    client.force_login(world["staff_a"])
    response = client.post(
        url("evidence_upload", world["platform_a"]), {"file": upload(content, name)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Evidence.objects.count() == 0


def test_an_oversize_file_is_refused(client, round_2025, world, settings):
    settings.RETURNS_EVIDENCE_MAX_BYTES = len(PDF) - 1
    client.force_login(world["staff_a"])
    response = client.post(url("evidence_upload", world["platform_a"]), {"file": upload()})
    assert response.status_code == 400
    assert "larger than" in response.content.decode()


@pytest.mark.parametrize(("content", "name"), [(PDF, "a.pdf"), (PNG, "a.png"), (JPEG, "a.JPG")])
def test_pdf_png_and_jpeg_are_taken_and_served_only_through_the_checked_view(
    client, round_2025, world, content, name, private_media
):
    client.force_login(world["staff_a"])
    response = client.post(
        url("evidence_upload", world["platform_a"]), {"file": upload(content, name)}
    )
    assert response.status_code == 302
    item = Evidence.objects.get()
    assert str(private_media) in item.file.path
    download = reverse("returns:evidence_download", args=["2025", world["platform_a"].pk, item.pk])
    assert b"".join(client.get(download).streaming_content) == content
    client.force_login(world["staff_b"])
    assert client.get(download).status_code == 404
    client.force_login(world["other_manager"])
    assert client.get(download).status_code == 404


def test_approving_a_draft_and_returning_without_a_comment_are_refused(client, round_2025, world):
    fill(world)
    client.force_login(world["manager"])
    response = client.post(url("return_approve", world["platform_a"]))
    assert response.status_code == 409
    assert "Only a submitted return" in response.content.decode()
    submitted(world)
    response = client.post(url("return_send_back", world["platform_a"]), {"comment": "   "})
    assert response.status_code == 400
    assert the_return(world).status == ReturnStatus.SUBMITTED


def test_an_approved_return_is_locked(client, round_2025, world):
    submitted(world)
    services.approve(the_return(world), world["manager"])
    client.force_login(world["staff_a"])
    a = world["platform_a"]
    assert client.post(url("return_detail", a), {"staff_headcount": "9"}).status_code == 409
    assert client.post(url("evidence_upload", a), {"file": upload()}).status_code == 409
    assert client.post(url("return_submit", a)).status_code == 409
    client.force_login(world["manager"])
    response = client.post(url("return_approve", a))
    assert response.status_code == 409
    assert "already approved" in response.content.decode()
    assert the_return(world).staff_headcount == 5
    assert ReviewLogEntry.objects.filter(action="approve").count() == 1


def test_only_an_administrator_reopens_with_a_reason(client, round_2025, world):
    submitted(world)
    services.approve(the_return(world), world["manager"])
    a = world["platform_a"]
    client.force_login(world["manager"])
    assert client.post(url("return_reopen", a), {"reason": "错报"}).status_code == 403
    client.force_login(world["admin_user"])
    assert client.post(url("return_reopen", a), {"reason": ""}).status_code == 400
    assert client.post(url("return_reopen", a), {"reason": "营收口径更正"}).status_code == 302
    ret = the_return(world)
    assert ret.status == ReturnStatus.RETURNED and ret.approved_at is None
    assert ReviewLogEntry.objects.get(action="reopen").text == "营收口径更正"


def test_a_closed_round_refuses_changes(client, round_2025, world):
    round_2025.status = RoundStatus.CLOSED
    round_2025.save()
    client.force_login(world["staff_a"])
    response = client.post(url("return_detail", world["platform_a"]), {"staff_headcount": "3"})
    assert response.status_code == 409
    assert "closed" in response.content.decode()


def test_open_period_refuses_malformed_and_overlapping_codes(world):
    with pytest.raises(CommandError) as error:
        call_command("open_period", "2025Q5", due="2026-01-31")
    assert error.value.returncode == 2
    call_command("open_period", "2025", due="2026-01-31", zone=world["zone1"].name)
    for code in ("2025", "2025Q3", "2025-06"):
        with pytest.raises(CommandError) as error:
            call_command("open_period", code, due="2026-01-31", zone=world["zone1"].name)
        assert error.value.returncode == 2
        assert "overlaps" in str(error.value)
    with pytest.raises(CommandError):  # every zone meets zone 1
        call_command("open_period", "2025H1", due="2026-01-31")
    for due in ("2023-12-31", "9999-12-31", "2025-02-30"):
        with pytest.raises(CommandError) as error:
            call_command("open_period", "2024", due=due)
        assert error.value.returncode == 2


def test_a_manager_cannot_open_a_round_for_another_zone(client, world):
    client.force_login(world["manager"])
    response = client.post(
        reverse("returns:round_open"),
        {"code": "2025", "due_on": "2026-01-31", "zone": world["zone2"].pk},
    )
    assert response.status_code == 400
    assert not PeriodReturn.objects.exists()


def test_absurd_manual_values_are_refused(client, round_2025, world):
    client.force_login(world["staff_a"])
    response = client.post(
        url("return_detail", world["platform_a"]),
        {"grants": "1e9", "staff_headcount": "-1", "incubated_firms": "99999999"},
    )
    assert response.status_code == 400
    assert the_return(world).status == ReturnStatus.NOT_STARTED


def test_two_approvals_at_once_make_one(round_2025, world):
    """The conditional UPDATE: the second approval finds the return no longer submitted."""
    submitted(world)
    ret = the_return(world)
    services.approve(ret, world["manager"])
    with pytest.raises(services.Refused):
        services.approve(ret, world["admin_user"])  # a stale copy, as a second request holds
    assert ReviewLogEntry.objects.filter(action="approve").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="threads need PostgreSQL")
def test_two_managers_approving_in_parallel_threads_make_one_approval(world):
    from tests import factories

    services.open_round("2025", dt.date(2026, 1, 31), world["zone1"], world["manager"])
    fill(world, explanation="说明")
    services.add_evidence(the_return(world), world["staff_a"], upload())
    services.submit(the_return(world), world["staff_a"])
    second = factories.ZoneMembershipFactory(zone=world["zone1"]).user
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        try:
            barrier.wait()
            services.approve(the_return(world), user)
            outcomes.append("approved")
        except services.Refused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (world["manager"], second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "refused"]
    assert ReviewLogEntry.objects.filter(action="approve").count() == 1

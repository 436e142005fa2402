"""The staff journey of a reporting round in a real browser, under the CSP: the open return on
the home page, the live figures, the draft, a refused submission listing every reason, the
evidence upload, the submission, the print layout; then the manager sends it back and the
staff see the comment.

Labels are looked up through Django's translation of the English msgids, so the test holds with
or without the zh-hans catalogue compiled.
"""

import datetime as dt
from decimal import Decimal

import pytest

from projects.returns import services
from projects.returns.models import PeriodReturn
from tests import factories
from tests.browser.test_staff_workflow import PASSWORD, exactly, sign_in, zh
from tests.returns.conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_fill_in_upload_and_submit_their_return(new_page, page_problems, world, tmp_path):
    factories.ProjectFactory(
        platform=world["platform_a"],
        start_on=dt.date(2025, 3, 1),
        status="in_progress",
        service_revenue=Decimal("850000"),
    )
    services.open_round("2025", dt.date(2026, 1, 31), world["zone1"], world["manager"])
    assert PASSWORD
    page = new_page()
    sign_in(page, world["staff_a"].username)

    # The home page lists the open return with its due date.
    page.locator("#open-returns").get_by_role("link").click()
    page.wait_for_url(f"**/returns/2025/{world['platform_a'].pk}/")
    figures = page.locator('[data-figure="service_revenue_cumulative"]')
    assert "85万元" in figures.inner_text()

    # Save the draft.
    form = page.locator("#draft-form")
    form.get_by_label(exactly(zh("Grants received (yuan)"))).fill("0")
    form.get_by_label(exactly(zh("Staff headcount"))).fill("30")
    form.get_by_label(exactly(zh("Incubated firms"))).fill("2")
    form.get_by_role("button", name=zh("Save draft")).click()
    page.wait_for_url(f"**/returns/2025/{world['platform_a'].pk}/")
    assert page.locator(".messages").inner_text().strip() == zh("The draft is saved.")

    # Submitting without evidence is refused (400), with the reason.
    page_problems.allow_http_errors()
    page.get_by_role("button", name=zh("Submit the return")).click()
    assert (
        zh("No evidence file: upload the signed and stamped return.")
        in page.locator("#refusal").inner_text()
    )

    # Upload the signed return and submit.
    scan = tmp_path / "2025年报.pdf"
    scan.write_bytes(PDF)
    page.locator("#evidence-form input[type=file]").set_input_files(str(scan))
    page.locator("#evidence-form").get_by_role("button", name=zh("Upload")).click()
    assert "2025年报.pdf" in page.locator("#evidence").inner_text()
    page.get_by_role("button", name=zh("Submit the return")).click()
    assert page.locator(".return-status").first.inner_text() == zh("Submitted")
    ret = PeriodReturn.objects.get(platform=world["platform_a"])
    assert ret.status == "submitted" and ret.staff_headcount == 30

    # The print layout carries the draft watermark until approval.
    page.get_by_role("link", name=zh("Print")).click()
    assert page.locator(".watermark").inner_text() == "草稿/DRAFT"

    # The manager sends it back; the staff read the comment.
    manager = new_page()
    sign_in(manager, world["manager"].username)
    manager.goto(f"/returns/2025/{world['platform_a'].pk}/")
    manager.get_by_label(exactly(zh("Comment for the platform"))).fill("请核对人员数")
    manager.get_by_role("button", name=zh("Send back to the platform")).click()
    assert manager.locator(".return-status").first.inner_text() == zh("Returned")
    page.goto(f"/returns/2025/{world['platform_a'].pk}/")
    assert "请核对人员数" in page.locator(".review-comment").inner_text()

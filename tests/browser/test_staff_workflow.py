"""The staff workspace in a real browser: sign in, create, check the gain, edit, switch
language, export; then the zone manager (read-only) and another platform's staff (404).

Fields are found by their labels, as a person would find them. Labels are looked up through
Django's own translation of the English msgids, so the test holds with or without the zh-hans
catalogue compiled.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from projects.models import Project, YieldRun

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests"
USCC = "91510100MA61R2XK4X"


def zh(msgid):
    with translation.override("zh-hans"):
        return str(translation.gettext(msgid))


def label(model, field):
    with translation.override("zh-hans"):
        return str(capfirst(model._meta.get_field(field).verbose_name))


def exactly(text):
    """A whole label, with or without Django's label suffix (":" or "："): "合格数量" must not
    also find "一次合格数量"."""
    return re.compile(rf"^\s*{re.escape(text)}\s*[:：]?\s*$")


def sign_in(page, username):
    page.goto("/")
    page.get_by_label(exactly(zh("Username"))).fill(username)
    page.get_by_label(exactly(zh("Password"))).fill(PASSWORD)
    page.get_by_role("button", name=zh("Sign in")).click()
    page.wait_for_url("**/")


def fill_run(page, index, stage, sequence, date, tested, passed):
    row = page.locator(f"#runs-{index}")
    row.get_by_label(exactly(label(YieldRun, "stage"))).select_option(stage)
    row.get_by_label(exactly(label(YieldRun, "sequence"))).fill(str(sequence))
    row.get_by_label(exactly(label(YieldRun, "measured_on"))).fill(date)
    row.get_by_label(exactly(label(YieldRun, "units_tested"))).fill(str(tested))
    row.get_by_label(exactly(label(YieldRun, "units_passed"))).fill(str(passed))


@pytest.fixture
def people(world):
    return {
        "staff": world["staff_a"],
        "staff2": world["staff_b"],
        "manager": world["manager"],
        "platform": world["platform_a"],
    }


def test_staff_workflow_and_what_others_see(new_page, people, page_problems):
    page = new_page()
    sign_in(page, people["staff"].username)

    # Create a project for a new enterprise with three runs: 40%, 65%, 90%.
    page.goto("/projects/")
    page.get_by_role("link", name=zh("New project")).click()
    fields = page.locator("#project-fields")
    fields.get_by_label(exactly(label(Project, "code"))).fill("ZS-PATROL-1")
    fields.get_by_label(exactly(label(Project, "platform"))).select_option(
        label=people["platform"].name
    )
    fields.get_by_label(exactly(label(Project, "title"))).fill("路内停车移动巡查设备")
    fields.get_by_label(exactly(label(Project, "stage"))).select_option("PVT")
    fields.get_by_label(exactly(label(Project, "status"))).select_option("in_progress")
    fields.get_by_label(exactly(label(Project, "start_on"))).fill("2024-01-01")
    revenue = fields.get_by_label(exactly(label(Project, "service_revenue")))
    revenue.fill("85万")  # as the import reads it (tracker.formatting.parse_amount)
    assert page.locator("output[data-wan-for=id_service_revenue]").inner_text() == "85万元"
    revenue.fill("1,234,567.89")
    assert page.locator("output[data-wan-for=id_service_revenue]").inner_text() == "123.46万元"
    page.get_by_label(exactly(zh("New enterprise: name"))).fill("成都臻识科技发展有限公司")
    page.get_by_label(exactly(zh("New enterprise: USCC"))).fill(USCC.lower())
    fill_run(page, 0, "DVT", 1, "2024-02-01", 100, 40)
    page.get_by_role("button", name=zh("Add a yield run")).click()
    fill_run(page, 1, "DVT", 2, "2024-03-01", 200, 130)
    page.get_by_role("button", name=zh("Add a yield run")).click()
    fill_run(page, 2, "PVT", 1, "2024-04-01", 1000, 900)
    page.get_by_role("button", name=zh("Save")).click()

    # Back on the list; open the project and read its gain.
    page.wait_for_url("**/projects/")
    page.get_by_role("link", name="路内停车移动巡查设备").click()
    assert "+50个百分点" in page.get_by_test_id("yield-gain").inner_text()
    assert "40% → 90%" in page.get_by_test_id("yield-gain").inner_text()
    project = Project.objects.get(code="ZS-PATROL-1")
    detail_url = f"/projects/{project.pk}/"

    # Edit the pilot run: 950 of 1000 passed.
    page.get_by_role("link", name=zh("Edit"), exact=True).click()
    page.locator("#runs-2").get_by_label(exactly(label(YieldRun, "units_passed"))).fill("950")
    page.get_by_role("button", name=zh("Save")).click()
    # Back on the project page, where the edit started (its way back to the list kept).
    page.wait_for_url(f"**{detail_url}?next=*")
    assert "+55个百分点" in page.get_by_test_id("yield-gain").inner_text()

    # Switch to English and export the list.
    page.goto("/projects/")
    page.locator("#language-select").select_option("en")
    # Polled from the test, not with wait_for_function: that evaluates a string in the page,
    # which the Content-Security-Policy (no 'unsafe-eval') rightly forbids.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.get_by_role("heading", name="Projects").is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Code"
    assert rows[1][:2] == ["ZS-PATROL-1", "路内停车移动巡查设备"]

    # The zone manager sees the project but no edit button.
    manager = new_page()
    sign_in(manager, people["manager"].username)
    response = manager.goto(detail_url)
    assert response.status == 200
    assert manager.get_by_text("路内停车移动巡查设备").first.is_visible()
    assert manager.locator(f'a[href^="/projects/{project.pk}/edit/"]').count() == 0

    # Staff of another platform: the project does not exist for them.
    other = new_page()
    sign_in(other, people["staff2"].username)
    page_problems.allow_http_errors()
    assert other.goto(detail_url).status == 404

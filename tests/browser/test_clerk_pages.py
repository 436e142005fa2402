"""A clerk's pages in Chromium under the strict CSP (issue 12): after a failed save the focus is
on the error summary and its links lead to the fields; the enterprise box suggests the user's
own clients and is usable from the keyboard; choosing a platform offers its next code; on a
390 × 844 phone the lists are cards, the menu folds, the form and the project page fit; the
error pages run their "Go back" button."""

import datetime as dt

import pytest
from django.utils import translation

from projects.models import Project
from tests import factories
from tests.browser.test_staff_workflow import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def zh(msgid):
    with translation.override("zh-hans"):
        return str(translation.gettext(msgid))


def focused_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id || ''")


def focused_is_summary(page) -> bool:
    return page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")


@pytest.fixture
def clients(world):
    ours = factories.EnterpriseFactory(name="成都臻识科技发展有限公司")
    theirs = factories.EnterpriseFactory(name="臻识另一平台的客户")
    factories.ProjectFactory(
        platform=world["platform_a"], enterprise=ours, code=f"FN-{dt.date.today().year}-0023"
    )
    factories.ProjectFactory(platform=world["platform_b"], enterprise=theirs)
    return {"ours": ours, "theirs": theirs}


def test_a_failed_save_moves_the_focus_to_the_error_summary(
    new_page, world, clients, page_problems
):
    page_problems.allow_http_errors()  # the refused save answers 400
    page = new_page()
    sign_in(page, world["staff_a"].username)
    page.goto("/projects/new/")
    page.locator("#id_title").fill("失败的保存")
    page.locator("#id_start_on").fill("2024-01-01")
    page.locator("#id_service_revenue").fill("十二万")
    page.locator("#id_enterprise_ref").fill(clients["ours"].uscc)
    row = page.locator("#runs-0")
    row.locator("select[name=runs-0-stage]").select_option("EVT")
    row.locator("input[name=runs-0-measured_on]").fill("2024-02-01")
    row.locator("input[name=runs-0-units_tested]").fill("10")
    row.locator("input[name=runs-0-units_passed]").fill("11")
    page.get_by_role("button", name=zh("Save")).click()
    page.wait_for_load_state()

    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert focused_is_summary(page)
    box = summary.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]  # in view, not below the fold
    # What was typed is still there.
    assert page.locator("#id_service_revenue").input_value() == "十二万"
    assert page.locator("#id_runs-0-units_passed").input_value() == "11"
    # A link of the summary leads to its field, focused.
    summary.get_by_role("link", name="良率记录第1行：合格数量").click()
    assert focused_id(page) == "id_runs-0-units_passed"
    assert not Project.objects.filter(title="失败的保存").exists()


def test_the_enterprise_box_suggests_own_clients_and_works_from_the_keyboard(
    new_page, world, clients
):
    page = new_page()
    sign_in(page, world["staff_a"].username)
    page.goto("/projects/new/")
    box = page.locator("#id_enterprise_ref")
    box.press_sequentially("臻识", delay=50)
    listbox = page.locator("#enterprise-suggestions")
    options = listbox.get_by_role("option")
    options.first.wait_for()
    assert options.count() == 1  # another platform's client is never offered
    assert "成都臻识科技发展有限公司" in options.first.inner_text()
    assert clients["ours"].uscc in options.first.inner_text()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    box.press("Enter")
    assert box.input_value() == f"{clients['ours'].name} {clients['ours'].uscc}"
    assert listbox.is_hidden() and box.get_attribute("aria-expanded") == "false"

    # The rest of the form, and the project is saved with that client.
    year = dt.date.today().year
    assert page.locator("#id_code").input_value() == f"FN-{year}-0024"  # offered, one platform
    page.locator("#id_title").fill("键盘选择的客户")
    page.locator("#id_start_on").fill("2024-01-01")
    page.get_by_role("button", name=zh("Save")).click()
    page.wait_for_load_state()
    project = Project.objects.get(title="键盘选择的客户")
    assert project.enterprise == clients["ours"] and project.code == f"FN-{year}-0024"


def test_choosing_a_platform_offers_its_next_code(new_page, world, clients):
    year = dt.date.today().year
    factories.ProjectFactory(platform=world["platform_b"], code=f"LT-{year}-007")
    page = new_page()
    sign_in(page, world["admin_user"].username)  # may pick any platform
    page.goto("/projects/new/")
    code = page.locator("#id_code")
    assert code.input_value() == ""
    page.locator("#id_platform").select_option(str(world["platform_b"].pk))
    for _ in range(50):  # polled: wait_for_function evaluates a string, which the CSP forbids
        if code.input_value():
            break
        page.wait_for_timeout(100)
    assert code.input_value() == f"LT-{year}-008"
    code.fill("MY-OWN-CODE")  # the user's own code is kept when the platform changes
    page.locator("#id_platform").select_option(str(world["platform_a"].pk))
    page.wait_for_timeout(500)
    assert code.input_value() == "MY-OWN-CODE"


def test_on_a_phone_lists_are_cards_and_the_menu_folds(new_page, world, clients):
    for number in range(3):
        project = factories.ProjectFactory(platform=world["platform_a"], title=f"手机卡片{number}")
        factories.YieldRunFactory(project=project, units_tested=10, units_passed=9)
    page = new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, world["staff_a"].username)

    # The menu is folded behind its button, and unfolds.
    nav_link = page.locator(".mainnav a").first
    assert not nav_link.is_visible()
    toggle = page.locator("[data-menu-toggle]")
    toggle.click()
    assert nav_link.is_visible() and toggle.get_attribute("aria-expanded") == "true"

    page.goto("/projects/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert not page.locator("table.table thead").is_visible()
    rows = page.locator("table.table tbody tr")
    assert rows.count() == 4
    for index in range(rows.count()):
        card = rows.nth(index)
        box = card.bounding_box()
        assert box["width"] <= PHONE["width"] and box["height"] < 110, box
        for label in ("Code", "Title", "Stage", "Status", "Latest yield (%)"):
            cell = card.locator(f'td[data-label="{zh(label)}"]')
            assert cell.is_visible(), label
        assert not card.locator(f'td[data-label="{zh("Platform")}"]').is_visible()
    assert rows.first.locator("td[data-card=title] a").is_visible()


def test_on_a_phone_the_project_form_and_page_fit(new_page, world, clients):
    project = Project.objects.filter(platform=world["platform_a"]).first()
    for sequence, passed in ((1, 40), (2, 90)):
        factories.YieldRunFactory(
            project=project,
            sequence=sequence,
            measured_on=dt.date(2024, 3, sequence),
            units_tested=100,
            units_passed=passed,
        )
    page = new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, world["staff_a"].username)
    for url in (f"/projects/{project.pk}/edit/", f"/projects/{project.pk}/", "/projects/new/"):
        page.goto(url)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], url
    page.goto(f"/projects/{project.pk}/edit/")
    for field in ("#id_title", "#id_enterprise_ref", "#id_runs-0-units_passed"):
        box = page.locator(field).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], field
    page.get_by_role("button", name=zh("Save")).click()
    page.wait_for_url(f"**/projects/{project.pk}/**")


def test_the_error_pages_run_under_the_policy_with_a_way_back(
    new_page, world, clients, page_problems
):
    page_problems.allow_http_errors()
    page = new_page()
    sign_in(page, world["manager"].username)
    page.goto("/projects/")
    assert page.locator(".mainnav").get_by_role("link", name=zh("Import")).count() == 0
    response = page.goto("/import/")
    assert response.status == 403
    assert page.get_by_role("heading", name=zh("You may not open this page")).is_visible()
    page.get_by_role("button", name=zh("Go back")).click()
    page.wait_for_url("**/projects/")
    response = page.goto("/projects/987654/")
    assert response.status == 404
    assert page.get_by_role("heading", name=zh("Page not found")).is_visible()
    page.get_by_role("link", name=zh("Back to the home page")).click()
    page.wait_for_url("**/")

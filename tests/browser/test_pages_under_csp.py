"""Every kind of page in Chromium under the Content-Security-Policy: the lists, the project
form and page with its yield chart, the report with its bar charts, and the whole import flow
(upload → streamed check → preview → confirm → streamed write → outcome). The ``new_page``
fixture fails a test on any CSP violation, console error or script error; these tests add
that the charts are drawn and styled, and that the streamed progress scripts (which carry the
request's nonce) run and move the browser on.
"""

import datetime as dt

import pytest
from django.utils import timezone, translation

from projects.imports.models import ImportBatch
from projects.models import Project
from tests.browser.test_staff_workflow import sign_in
from tests.factories import make_uscc
from tests.imports.helpers import PROJECT_HEADER, RUN_HEADER, write_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLACK = "rgb(0, 0, 0)"


def zh(msgid):
    with translation.override("zh-hans"):
        return str(translation.gettext(msgid))


def assert_charts_drawn(page, selector, shapes):
    """Each chart has a size on screen, has its shapes, and is styled by tracker.css (a bar or
    line drawn in the stylesheet's colour, not the SVG default black)."""
    charts = page.locator(selector)
    assert charts.count() >= 1
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 50
    assert page.locator(f"{selector} {shapes}").count() >= 1
    return charts


def test_lists_forms_and_the_project_chart_run_under_the_policy(new_page, world, report_world):
    page = new_page()
    sign_in(page, world["staff_a"].username)  # the home page
    for url in ("/platforms/", "/projects/", "/enterprises/", "/projects/new/"):
        assert page.goto(url).status == 200, url
    # The form's behaviour comes from tracker.js: adding a run row and the 万元 hint.
    page.get_by_role("button", name=zh("Add a yield run")).click()
    assert page.locator("[data-formset=runs] [data-rows] > *").count() >= 2

    project = Project.objects.filter(platform=world["platform_a"], yield_run_count__gte=2).first()
    assert page.goto(f"/projects/{project.pk}/").status == 200
    assert_charts_drawn(page, "svg.chart", "polyline")
    assert page.locator("svg.chart circle").count() == project.yield_run_count


def test_the_report_draws_its_charts_under_the_policy(new_page, world, report_world):
    page = new_page()
    sign_in(page, world["manager"].username)
    assert page.goto("/reports/").status == 200
    assert_charts_drawn(page, ".chart-box svg.chart", "rect.chart-bar")
    fill = page.locator("rect.chart-bar").first.evaluate("bar => getComputedStyle(bar).fill")
    assert fill not in ("", BLACK, "none")


def test_the_import_flow_runs_its_jobs_under_the_policy(new_page, world, tmp_path):
    platform = world["platform_a"]
    workbook = write_xlsx(
        tmp_path / "projects.xlsx",
        {
            "enterprises": [["uscc", "name"], [make_uscc(7), "浏览器导入测试企业"]],
            "projects": [
                PROJECT_HEADER,
                ["WEB-1", platform.name, make_uscc(7), "浏览器导入的项目", dt.date(2024, 1, 1)],
            ],
            "yield_runs": [
                RUN_HEADER,
                ["WEB-1", "DVT", 1, dt.date(2024, 2, 1), 100, 40],
                ["WEB-1", "PVT", 1, dt.date(2024, 4, 1), 100, 90],
            ],
        },
    )
    page = new_page()
    sign_in(page, world["staff_a"].username)
    assert page.goto("/import/").status == 200
    page.locator("input[type=file]").set_input_files(str(workbook))
    page.get_by_role("button", name=zh("Upload and check")).click()

    # Without a broker the check runs as the upload's job; the batch page shows its preview.
    page.wait_for_url("**/import/*/")
    batch = ImportBatch.objects.get()
    assert batch.outcome == "previewed", batch.errors
    page.get_by_role("button", name=zh("Confirm the import")).click()
    page.wait_for_url(f"**/import/{batch.pk}/")
    page.wait_for_load_state()
    batch.refresh_from_db()
    assert batch.outcome == "imported"
    assert page.locator(".outcome-imported").is_visible()

    project = Project.objects.get(code="WEB-1")
    assert page.goto(f"/projects/{project.pk}/").status == 200
    assert_charts_drawn(page, "svg.chart", "polyline")


def test_the_batch_page_follows_a_running_job_and_shows_its_outcome(new_page, world):
    batch = ImportBatch.objects.create(
        user=world["staff_a"],
        file_name="running.xlsx",
        kind="workbook",
        outcome="checking",
        progress_phase="check",
        progress_sheet="projects",
        progress_done=2000,
        progress_total=8000,
        job_started_at=timezone.now(),  # a worker has taken it
    )
    page = new_page()
    sign_in(page, world["staff_a"].username)
    assert page.goto(f"/import/{batch.pk}/").status == 200
    status = page.locator("#import-status")
    status.filter(has_text="2,000 / 8,000").wait_for(timeout=10_000)  # polled from status.json
    assert page.locator("#import-progress").evaluate("bar => bar.value / bar.max") == 0.25
    # The job ends elsewhere (a worker); the page notices and shows the outcome.
    ImportBatch.objects.filter(pk=batch.pk).update(outcome="invalid", error_count=1)
    page.locator(".outcome-invalid").wait_for(timeout=15_000)
    assert page.locator("#import-job").count() == 0


def test_a_violation_would_fail_the_test(new_page, live_server, page_problems):
    """The watcher itself: a page served with the site's policy and an inline script and style
    attribute is reported (and then forgiven, so that this test passes)."""
    page = new_page()
    policy = page.request.get(f"{live_server.url}/accounts/login/").headers[
        "content-security-policy"
    ]
    page.route(
        "**/probe",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": policy},
            body='<p style="color:red">x</p><script>document.title = "ran"</script>',
        ),
    )
    page.goto(f"{live_server.url}/probe")
    for _ in range(50):  # violation events are dispatched asynchronously: poll, bounded
        if len([problem for problem in page_problems if problem.startswith("CSP")]) >= 2:
            break
        page.wait_for_timeout(100)
    assert page.title() != "ran"
    assert any(problem.startswith("CSP") and "script-src" in problem for problem in page_problems)
    assert any("style-src" in problem for problem in page_problems)
    page_problems.clear()

"""A list longer than the count limit, in Chromium under the Content-Security-Policy: it says
"more than N rows", and its pager walks from the first page to the next, to the last rows
and back to the first (``tracker/paginators.py``; ``new_page`` fails on any CSP violation)."""

import pytest

from tests import factories
from tests.browser.test_staff_workflow import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_long_list_is_paged_without_a_full_count(new_page, world, settings):
    settings.LIST_COUNT_LIMIT = 4
    for number in range(12):
        factories.ProjectFactory(code=f"LONG-{number:02d}", platform=world["platform_a"])
    page = new_page()
    sign_in(page, world["staff_a"].username)
    assert page.goto("/projects/?per_page=5&sort=code").status == 200
    assert page.get_by_text("超过4行").is_visible()

    def codes():
        return page.locator("table tbody tr td:first-child").all_inner_texts()

    assert codes() == [f"LONG-{n:02d}" for n in range(5)]
    page.get_by_role("link", name="下一页").click()
    assert codes() == [f"LONG-{n:02d}" for n in range(5, 10)]
    page.get_by_role("link", name="最后一页").click()
    assert codes() == [f"LONG-{n:02d}" for n in range(7, 12)]
    assert page.get_by_text("最后一页").count() == 1  # this page, not a link any more
    page.get_by_role("link", name="第一页").click()
    assert codes() == [f"LONG-{n:02d}" for n in range(5)]

"""The list paginator: pages read from the far end must be the same rows as a plain OFFSET."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.paginator import EmptyPage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Project
from projects.tables import ProjectTable
from tests import factories
from tracker.paginators import LAST, FastCountPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(world):
    """23 projects with ties on the start date and on the gain (some gains undefined)."""
    for number in range(23):
        project = factories.ProjectFactory(
            platform=world["platform_a"], start_on=dt.date(2024, 1 + number % 3, 1)
        )
        gain = None if number % 4 == 0 else Decimal(number % 5)
        Project.objects.filter(pk=project.pk).update(yield_gain_pp=gain)


def paginated(order_by, page):
    table = ProjectTable(Project.objects.select_related("platform", "enterprise"))
    if order_by:
        table.order_by = order_by
    table.paginate(paginator_class=FastCountPaginator, per_page=5, page=page)
    return table


def codes_of_page(order_by, page):
    return [row.record.code for row in paginated(order_by, page).page.object_list]


def test_page_last_is_the_last_page(projects):
    assert codes_of_page(None, "last") == codes_of_page(None, 5)


ORDERINGS = {
    None: ["-start_on", "-id"],
    "-yield_gain_pp": ["-yield_gain_pp", "-pk"],
    "yield_gain_pp": ["yield_gain_pp", "pk"],
    "code": ["code", "pk"],
}


@pytest.mark.parametrize("limit", [10, 22, 23, 10_000])
@pytest.mark.parametrize("order_by", list(ORDERINGS))
def test_pages_are_a_plain_offset_whether_counted_or_open_ended(
    projects, settings, limit, order_by
):
    """23 rows: above a limit of 10 or 22 the list is open-ended, at 23 or more it is counted;
    the pages are the same rows either way."""
    settings.LIST_COUNT_LIMIT = limit
    expected = list(Project.objects.order_by(*ORDERINGS[order_by]).values_list("code", flat=True))
    pages = [codes_of_page(order_by, page) for page in range(1, 6)]
    assert [code for page in pages for code in page] == expected
    # Open-ended, the last rows are the last five; counted, the last page is the fifth.
    assert codes_of_page(order_by, LAST) == (expected[-5:] if limit < 23 else expected[-3:])


def test_a_list_above_the_limit_says_more_than_and_is_open_ended(projects, settings):
    settings.LIST_COUNT_LIMIT = 10
    table = paginated(None, 2)
    assert table.paginator.more_than == 10
    assert table.page.has_previous() and table.page.has_next()
    assert (table.page.start_index(), table.page.end_index()) == (6, 10)
    fifth = paginated(None, 5).page
    assert len(fifth.object_list) == 3 and not fifth.has_next()
    last = paginated(None, LAST).page
    assert last.is_last_rows and last.has_previous() and not last.has_next()
    with pytest.raises(EmptyPage):
        paginated(None, 6)


def test_a_list_within_the_limit_is_counted_exactly(projects, settings):
    settings.LIST_COUNT_LIMIT = 23
    table = paginated(None, 1)
    assert table.paginator.more_than is None
    assert (table.paginator.count, table.paginator.num_pages) == (23, 5)
    with pytest.raises(EmptyPage):
        paginated(None, 6)


def test_the_count_reads_at_most_the_limit_plus_one_rows(projects, settings):
    settings.LIST_COUNT_LIMIT = 7
    with CaptureQueriesContext(connection) as queries:
        paginator = paginated(None, 1).paginator
        assert paginator.count == 8
    count_sql = next(q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper())
    assert "LIMIT 8" in count_sql


@pytest.mark.parametrize("limit", [10, 10_000])
def test_the_list_page_last_shows_the_last_rows(projects, world, client, settings, limit):
    """``?page=last`` in the URL (django-tables2 passes on numbers only) reaches the paginator,
    counted or open-ended, and the page offers its way back."""
    settings.LIST_COUNT_LIMIT = limit
    client.force_login(world["admin_user"])
    response = client.get("/projects/", {"page": "last", "per_page": 5})
    codes = [row.record.code for row in response.context["table"].page.object_list]
    expected = list(Project.objects.order_by("-start_on", "-id").values_list("code", flat=True))
    assert codes == (expected[-5:] if limit == 10 else expected[-3:])
    html = response.content.decode()
    assert "page=1" in html
    assert ("超过10行" in html) == (limit == 10)  # the default language is Chinese
    assert ("3 行" in html) == (limit == 10_000)

"""The list paginator: pages read from the far end must be the same rows as a plain OFFSET."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from projects.models import Project
from projects.tables import ProjectTable
from tests import factories
from tracker.paginators import FastCountPaginator, estimated_count

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


def codes_of_page(order_by, page):
    table = ProjectTable(Project.objects.select_related("platform", "enterprise"))
    if order_by:
        table.order_by = order_by
    table.paginate(paginator_class=FastCountPaginator, per_page=5, page=page)
    return [row.record.code for row in table.page.object_list]


@pytest.mark.parametrize("order_by", [None, "-yield_gain_pp", "yield_gain_pp", "platform"])
def test_every_page_matches_a_plain_offset_over_the_same_total_order(projects, order_by):
    ordering = {
        None: ["-start_on", "-id"],
        "-yield_gain_pp": ["-yield_gain_pp", "-pk"],
        "yield_gain_pp": ["yield_gain_pp", "pk"],
        "platform": ["platform__name", "pk"],
    }[order_by]
    expected = list(Project.objects.order_by(*ordering).values_list("code", flat=True))
    pages = [codes_of_page(order_by, page) for page in range(1, 6)]
    assert [code for page in pages for code in page] == expected
    assert [len(page) for page in pages] == [5, 5, 5, 5, 3]


def test_page_last_is_the_last_page(projects):
    assert codes_of_page(None, "last") == codes_of_page(None, 5)


def test_no_estimate_for_a_filtered_queryset_or_a_small_table(projects):
    assert estimated_count(Project.objects.filter(code="x")) is None
    assert estimated_count(Project.objects.all()) is None  # SQLite, or PostgreSQL < 200,000 rows
    assert connection.vendor in {"sqlite", "postgresql"}

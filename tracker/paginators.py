"""Pagination that stays fast on a million rows.

Two costs grow with the table: the COUNT behind "page 1 of 20,000", and the OFFSET of the last
pages (the database reads and throws away every row before the page). This paginator

* counts at most ``LIST_COUNT_LIMIT`` + 1 rows (setting, 10,000 by default): ``SELECT COUNT(*)
  FROM (SELECT … LIMIT 10001)``, which stops after ten thousand index entries however many
  rows match. Up to the limit the count is exact and the pages are numbered as usual; above
  it the list says "more than 10,000 rows" (``more_than``) and is *open-ended*: a page is
  fetched with one row more than it shows, to know whether a next one exists, and the "last"
  page is the last rows of the list, read from the other end, without a number;
* reads a numbered page in the second half of a counted list from the *other end*: it flips
  the sort order, takes a small OFFSET from the end and reverses the rows in Python. The last
  page costs what the first one does. For that the sort order is made total by appending the
  primary key, so that the two directions see the same sequence;
* keeps ``?per_page=`` (which django-tables2 reads from any URL) between 1 and
  ``MAX_PER_PAGE``: 0 or a negative number made the page count nonsense and the list answer
  500, and 10^20 would render every row of the table on one page.
"""

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django_tables2.rows import BoundRows

MAX_PER_PAGE = 200
# The page number of "the last rows", in URLs (``?page=last``) and on open-ended pages.
LAST = "last"


def count_limit() -> int:
    """Lists are counted exactly up to this many rows (``settings.LIST_COUNT_LIMIT``)."""
    return settings.LIST_COUNT_LIMIT


def _total_ordering(queryset: QuerySet) -> QuerySet:
    """The queryset with the primary key appended to its ordering, so that ties cannot swap."""
    query = queryset.query
    ordering = list(query.order_by or (query.default_ordering and queryset.model._meta.ordering))
    names = {str(field).lstrip("-") for field in ordering}
    if not ordering or names & {"pk", "id", queryset.model._meta.pk.attname}:
        return queryset
    last = str(ordering[-1])
    return queryset.order_by(*ordering, "-pk" if last.startswith("-") else "pk")


def bounded_count(queryset: QuerySet, limit: int) -> int:
    """The number of rows, or ``limit + 1`` when there are more than ``limit``.

    The inner query keeps the filters (and joins) but selects only the key, without ordering
    or annotations (a per-row subquery such as the enterprise list's project count would run
    for every counted row), so the database may read any ``limit + 1`` matching index entries
    and stop.
    """
    return queryset.order_by().values("pk")[: limit + 1].count()


class OpenEndedPage(Page):
    """A page of a list longer than the count limit: whether a next page exists is known from
    the one extra row read; the ``LAST`` page is the final rows, with no number."""

    def __init__(self, object_list, number, paginator, *, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    @property
    def is_last_rows(self) -> bool:
        return self.number == LAST

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.is_last_rows or self.number > 1

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1

    def start_index(self):
        if self.is_last_rows:
            return None
        return (self.number - 1) * self.paginator.per_page + 1

    def end_index(self):
        start = self.start_index()
        return None if start is None else start + len(self.object_list) - 1


class FastCountPaginator(Paginator):
    """A drop-in paginator for django-tables2 tables over querysets (see the module docstring)."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        self._queryset = self._queryset_of(object_list)
        if self._queryset is not None:
            self._queryset = _total_ordering(self._queryset)
            object_list.data.data = self._queryset
        per_page = min(max(int(per_page), 1), MAX_PER_PAGE)
        self.count_limit = count_limit()
        super().__init__(object_list, per_page, *args, **kwargs)

    @staticmethod
    def _queryset_of(object_list):
        data = getattr(getattr(object_list, "data", None), "data", None)
        return data if isinstance(data, QuerySet) else None

    @cached_property
    def count(self):
        """Exact up to ``count_limit``; ``count_limit + 1`` stands for "more than that"."""
        if self._queryset is None:
            return super().count
        return bounded_count(self._queryset, self.count_limit)

    @property
    def more_than(self) -> int | None:
        """The limit the list is longer than ("more than 10,000 rows"), or None if counted."""
        if self._queryset is None or self.count <= self.count_limit:
            return None
        return self.count_limit

    @cached_property
    def num_pages(self):
        if self.more_than is not None:
            return LAST
        return super().num_pages

    def validate_number(self, number):
        """Also accepts "last", so that a link (or a benchmark) can ask for the last page; an
        open-ended list takes any page number from 1 (past the end is found when read)."""
        if number == LAST:
            return self.num_pages
        if self.more_than is None:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(_("That page number is not an integer")) from error
        if number < 1:
            raise EmptyPage(_("That page number is less than 1"))
        return number

    def page(self, number):
        number = self.validate_number(number)
        if self.more_than is not None:
            return self._open_ended_page(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if self._queryset is None or number == 1 or bottom < self.count // 2:
            return super().page(number)
        # From the other end: the rows [bottom, top) are rows [count - top, count - bottom)
        # of the reversed order.
        return self._get_page(
            self._reversed_rows(self.count - top, self.count - bottom), number, self
        )

    def _open_ended_page(self, number):
        if number == LAST:
            rows = self._reversed_rows(0, self.per_page)
            return OpenEndedPage(rows, LAST, self, has_next=False)
        bottom = (number - 1) * self.per_page
        records = list(self._queryset[bottom : bottom + self.per_page + 1])
        if not records and number > 1:
            raise EmptyPage(_("That page contains no results"))
        rows = BoundRows(records[: self.per_page], table=self.object_list.table)
        return OpenEndedPage(rows, number, self, has_next=len(records) > self.per_page)

    def _reversed_rows(self, start: int, stop: int) -> BoundRows:
        """Rows [start, stop) of the reversed order, put back in the list's order."""
        records = list(self._queryset.reverse()[start:stop])
        records.reverse()
        return BoundRows(records, table=self.object_list.table)

"""What every back-office list shares: a query string with an impossible date never crashes it.

The admin builds date filters from the URL in Python: the date hierarchy turns ``?start_on__year=``
into ``datetime(year, 1, 1)`` and the next year's, and any ``<date field>__year=`` lookup becomes a
date range. A year Python's dates cannot hold (0, 10000, 10^20, or 9999, whose next year is
10000) raised ``ValueError``/``OverflowError`` and the list answered 500. ``BoundedChangeList``
turns those into the admin's own "invalid lookup" answer (the list reloads with ``?e=1``), as it
already does for unknown fields.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


class BoundedChangeList(ChangeList):
    """A changelist whose date filters from the URL cannot raise (see the module docstring)."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        try:
            return super().get_results(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


class BoundedChangeListMixin:
    """For every ModelAdmin of a model with dates: its list uses ``BoundedChangeList``."""

    def get_changelist(self, request, **kwargs):
        return BoundedChangeList

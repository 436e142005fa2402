"""What every back-office page shares: a query string with an impossible date never crashes a
list, and a record's history reads in words (``HistoryInWordsAdmin``).

The admin builds date filters from the URL in Python: the date hierarchy turns ``?start_on__year=``
into ``datetime(year, 1, 1)`` and the next year's, and any ``<date field>__year=`` lookup becomes a
date range. A year Python's dates cannot hold (0, 10000, 10^20, or 9999, whose next year is
10000) raised ``ValueError``/``OverflowError`` and the list answered 500. ``BoundedChangeList``
turns those into the admin's own "invalid lookup" answer (the list reloads with ``?e=1``), as it
already does for unknown fields.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from tracker.history import reason_in_words, value_in_words


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


class HistoryInWordsContextHelper(HistoricalRecordContextHelper):
    """Each old and new value of an admin history row in words (``tracker.history``)."""

    def prepare_delta_change_value(self, change, value):
        return value_in_words(self.model._meta.get_field(change.field), value)


class HistoryInWordsAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin history view, in words: values as ``tracker.history``
    says them (labels, 万元, 是/否, dates, "（空）"), the change reason translated ("导入 #12：
    file.xlsx") and "—" where nobody (a command, a migration) made the change.

    ``history_hidden_fields`` are bookkeeping columns left out of the changes (a version
    counter, a computed summary), as on the project page.
    """

    object_history_list_template = "tracker/admin_history_list.html"
    history_hidden_fields: tuple[str, ...] = ()

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryInWordsContextHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each record (newest first) compared with the one before it, as the base class does,
        without the hidden fields; and its change reason in words, for the list only."""
        tracked = {field.name for field in self.model._meta.fields}
        hidden = [name for name in self.history_hidden_fields if name in tracked]
        previous = None
        for current in historical_records:
            current.reason_in_words = reason_in_words(current.history_change_reason)
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=hidden, foreign_keys_are_objs=foreign_keys_are_objs
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

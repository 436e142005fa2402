"""The one list-view base every list page is configured from: scope → filter → table → export.

A concrete list view sets ``queryset``, ``filterset_class`` and ``table_class`` (and an
``export_stem`` for its download names). The base

* narrows the queryset to what the signed-in user may see, through the model's own
  ``visible_to(user)``, so scoping is never re-written in a view;
* applies the FilterSet from the query string (an invalid filter shows its error and no rows);
* renders a sortable, paginated django-tables2 table, 50 rows a page;
* serves the *same filtered, sorted* queryset as CSV or XLSX when the URL carries an
  ``export_format`` (see ``export_urls``), with every text cell escaped against formulas.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import models
from django.http import Http404
from django.urls import path
from django.utils.encoding import force_str
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from tracker.exports import csv_response, export_filename, xlsx_response
from tracker.paginators import FastCountPaginator

EXPORT_FORMATS = ("csv", "xlsx")


class ObjectListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """Filtered, sortable, paginated and exportable list of what the user may see."""

    # Pagination is the table's (django-tables2), not ListView's: setting ``paginate_by`` would
    # make ListView paginate too and COUNT the rows a second time.
    table_pagination = {"per_page": 50, "paginator_class": FastCountPaginator}
    export_stem = "export"
    export_url_name = None
    # Filterset errors show on the page with an empty table rather than silently ignored.
    strict = True

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def get(self, request, *args, **kwargs):
        export_format = kwargs.get("export_format")
        if export_format is None:
            return super().get(request, *args, **kwargs)
        if export_format not in EXPORT_FORMATS:
            raise Http404
        self.filterset = self.get_filterset(self.get_filterset_class())
        if not self.filterset.is_bound or self.filterset.is_valid():
            rows = self.filterset.qs
        else:
            rows = self.filterset.queryset.none()
        return self.export(rows, export_format)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The export links carry the current filters and sort order.
        context["export_query"] = self.request.GET.urlencode()
        context["export_url_name"] = self.export_url_name
        return context

    def export(self, queryset, export_format):
        """The filtered rows, sorted like the page, every row (no pagination)."""
        table = self.get_table_class()(queryset)
        RequestConfig(self.request, paginate=False).configure(table)
        values = export_values(table, exclude=self.get_export_exclude())
        header = next(values)
        filename = export_filename(self.export_stem, self.get_export_scope(), export_format)
        if export_format == "csv":
            return csv_response(filename, header, values)
        return xlsx_response(filename, header, values, title=self.export_stem)

    def get_export_exclude(self):
        return ()

    def get_export_scope(self):
        """Words added to the download's name (e.g. the platform filtered on)."""
        return []


def export_values(table, exclude=()):
    """Header, then one row per record: the *data* behind each column, not its rendering.

    Amounts stay Decimal yuan, dates stay dates, choices become their labels and related
    objects their names; a ``value_<column>`` method on the table wins, as in django-tables2.
    """
    columns = [
        column
        for column in table.columns.iterall()
        if not (column.column.exclude_from_export or column.name in exclude)
    ]
    yield [force_str(column.header) for column in columns]
    for row in table.rows:
        yield [_cell_value(table, row.record, column) for column in columns]


def _cell_value(table, record, bound_column):
    value = bound_column.accessor.resolve(record, quiet=True)
    custom = getattr(table, f"value_{bound_column.name}", None)
    if custom is not None:
        return custom(value=value, record=record)
    penultimate, remainder = bound_column.accessor.penultimate(record)
    if isinstance(penultimate, models.Model):
        display = getattr(penultimate, f"get_{remainder}_display", None)
        if display is not None:
            return display()
    if isinstance(value, models.Model):
        return str(value)
    return value


def export_urls(prefix: str, view, name: str):
    """URL patterns for ``<prefix>export.csv`` and ``<prefix>export.xlsx`` of one list view."""
    return [
        path(
            f"{prefix}export.<str:export_format>",
            view,
            name=name,
        )
    ]

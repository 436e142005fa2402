"""The generic views every page is configured from, NetBox-style: a list, and object views.

**List.** A concrete list view sets ``queryset``, ``filterset_class`` and ``table_class`` (and an
``export_stem`` for its download names). The base

* narrows the queryset to what the signed-in user may see, through the model's own
  ``visible_to(user)``, so scoping is never re-written in a view;
* applies the FilterSet from the query string (an invalid filter shows its error and no rows);
* renders a sortable, paginated django-tables2 table, 50 rows a page;
* serves the *same filtered, sorted* queryset as CSV or XLSX when the URL carries an
  ``export_format`` (see ``export_urls``), with every text cell escaped against formulas.

**One object** (``ObjectDetailView``, ``ObjectEditView``, ``ObjectDeleteView``). A concrete view
declares ``queryset`` (and ``form_class``, ``template_name``); the base answers, once, before
any handler runs:

* anonymous → the login page;
* not visible to the user (``queryset.visible_to(user)``) → 404: another platform's record does
  not exist for its staff, and a guessed id tells nothing;
* visible, but the view writes and the user may not (``queryset.editable_by(user)``) → 403: a
  zone manager reads every record of the zone and changes none.

Who may see or edit what is decided by the model managers (which ask ``platforms.access``);
this module only applies their answer, so it imports nothing from the apps.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Exists, OuterRef, ProtectedError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.views.generic import DeleteView, DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from tracker.exports import csv_response, export_filename, xlsx_response
from tracker.paginators import LAST, FastCountPaginator

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

    def get_table_pagination(self, table):
        """``?page=last`` reaches the paginator (django-tables2 passes on numbers only)."""
        paginate = super().get_table_pagination(table)
        if paginate and self.request.GET.get(table.prefixed_page_field) == LAST:
            paginate["page"] = LAST
        return paginate

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


# --------------------------------------------------------------------------------------------
# One object


class ObjectAccessMixin(LoginRequiredMixin):
    """Loads the object the URL names, applying "not visible → 404, not yours → 403" once.

    The object is fetched from ``queryset.visible_to(user)`` with "may the user edit it?"
    (``editable_by(user)``) as an EXISTS annotation, so both answers cost one query. Models
    whose queryset has no ``editable_by`` are read-only here. The object is loaded in
    ``dispatch``, before any handler, so every HTTP method of a writing view is refused alike.
    """

    queryset = None
    # Views that write set this: a visible object the user may not edit answers 403.
    requires_edit = False
    may_edit = False

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return self.queryset.all()

    def get_object(self, queryset=None):
        """The object, loaded once per request (Django's views ask for it again in get/post)."""
        loaded = getattr(self, "_loaded_object", None)
        if loaded is not None:
            return loaded
        queryset = self.get_queryset() if queryset is None else queryset
        user = self.request.user
        editable_by = getattr(queryset, "editable_by", None)
        candidates = queryset.visible_to(user)
        if editable_by is not None:
            editable = editable_by(user).filter(pk=OuterRef("pk"))
            candidates = candidates.annotate(_may_edit=Exists(editable))
        obj = get_object_or_404(candidates, pk=self.kwargs[self.pk_url_kwarg])
        self.may_edit = bool(getattr(obj, "_may_edit", False))
        if self.requires_edit and not self.may_edit:
            raise PermissionDenied
        self._loaded_object = obj
        return obj

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = self.may_edit
        return context


class ObjectDetailView(ObjectAccessMixin, DetailView):
    """One object the user may see; ``can_edit`` in the context says whether to offer edits."""


class ObjectEditView(ObjectAccessMixin, UpdateView):
    """A form over one object the user may edit; saved in one transaction."""

    requires_edit = True
    success_message = ""

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
        if self.success_message:
            messages.success(self.request, self.success_message % {"object": self.object})
        return response


class ObjectDeleteView(ObjectAccessMixin, DeleteView):
    """Confirmation page, then deletion in one transaction.

    An object that others still refer to (``on_delete=PROTECT``) is not deleted: the user goes
    back to it with ``protected_message`` instead of a server error.
    """

    requires_edit = True

    def form_valid(self, form):
        obj = self.object
        try:
            with transaction.atomic():
                obj.delete()
        except ProtectedError:
            messages.error(self.request, self.protected_message(obj))
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(self.request, self.deleted_message(obj))
        return HttpResponseRedirect(self.get_success_url())

    def protected_message(self, obj) -> str:
        return _("%(object)s cannot be deleted: other records refer to it.") % {"object": obj}

    def deleted_message(self, obj) -> str:
        return _("%(object)s was deleted.") % {"object": obj}

"""Report pages (roll-up, breakdowns, yield, financing, trends, briefing), JSON and exports.

All three read the same ``projects.reports.queries`` for the same scope; the scope comes
from ``ReportFilterForm``, whose choices are limited to what the signed-in user may see.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from tracker import exports

from . import briefing
from .charts import report_charts
from .forms import ReportFilterForm
from .queries import Report, returns_headline, targets_json
from .scope import scope_label
from .tables import TABLES, display, export_header, export_rows, sorted_rows

EXPORT_FORMATS = ("csv", "xlsx")
# The page's sections, in reading order, each with its tables (the contents bar links them).
PAGE_SECTIONS = (
    ("by-platform", gettext_lazy("By platform"), ("platforms",)),
    ("by-sector", gettext_lazy("By sector"), ("sectors", "zones")),
    ("by-year", gettext_lazy("By start year"), ("years",)),
    ("yield", gettext_lazy("Yield"), ("yield_stages", "yield_top", "yield_histogram")),
    (
        "financing",
        gettext_lazy("Financing"),
        ("financing_round", "financing_instrument", "financing_investor_type", "financing_year"),
    ),
    ("trends", gettext_lazy("Trends"), ()),
)
# Long tables show their first rows (in the user's order) until "show all" is asked for.
SHORT_TABLE_ROWS = 20
LONG_TABLES = ("platforms", "yield_top")


def report_json(report) -> dict:
    """The roll-up JSON: the headline figures and the progress against the zone's targets."""
    return {**report.headline.as_json(), "targets": targets_json(report.targets)}


class ScopedReportMixin(LoginRequiredMixin):
    """Reads the filters; ``self.form`` is bound to the query string and limited to the user."""

    with_year_choices = False

    def get_form(self):
        return ReportFilterForm(
            self.request.GET or None,
            user=self.request.user,
            with_year_choices=self.with_year_choices,
        )

    def get_report(self, form):
        """The report for a valid (or empty: everything visible) form, else None."""
        if not form.is_bound:
            return Report(ReportFilterForm.empty_scope(), self.request.user)
        if not form.is_valid():
            return None
        return Report(form.scope(), self.request.user)


def _rendered_table(spec, report, request) -> dict:
    """A table ready for ``reports/_table.html``: sorted rows of display strings, totals.

    A long table (``LONG_TABLES``) shows its first ``SHORT_TABLE_ROWS`` rows in the chosen
    order unless ``<name>_all=1`` is in the query string; the page then links "show all" (or
    "show the first 20") on the server, no script needed.
    """
    order = request.GET.get(f"{spec.name}_sort", "")
    rows = sorted_rows(spec, spec.rows(report), order)
    show_all = request.GET.get(f"{spec.name}_all") == "1"
    total_rows = len(rows)
    if spec.name in LONG_TABLES and not show_all:
        rows = rows[:SHORT_TABLE_ROWS]
    totals = spec.totals(report.headline) if spec.totals else None
    query = request.GET.copy()
    headers = []
    for column in spec.columns:
        descending = order == column.key
        query[f"{spec.name}_sort"] = ("-" if descending else "") + column.key
        headers.append(
            {
                "label": column.page_header(),
                "numeric": column.kind != "text",
                "sort_url": "?" + query.urlencode() + f"#{spec.name}",
                "sorted": order.lstrip("-") == column.key,
                "descending": order.startswith("-"),
            }
        )
    toggle = request.GET.copy()
    if show_all:
        toggle.pop(f"{spec.name}_all", None)
    else:
        toggle[f"{spec.name}_all"] = "1"
    return {
        "name": spec.name,
        "title": spec.title,
        "headers": headers,
        "rows": [
            [(display(row.get(c.key), c.kind), c.kind != "text") for c in spec.columns]
            for row in rows
        ],
        "totals": (
            None
            if totals is None
            else [
                (_("Total") if i == 0 else display(totals.get(c.key), c.kind), c.kind != "text")
                for i, c in enumerate(spec.columns)
            ]
        ),
        "masked": any(row.get("masked") for row in rows),
        "export_query": request.GET.urlencode(),
        "total_rows": total_rows,
        "shortened": spec.name in LONG_TABLES and total_rows > SHORT_TABLE_ROWS,
        "show_all": show_all,
        "toggle_url": f"?{toggle.urlencode()}#{spec.name}",
    }


class RollupView(ScopedReportMixin, TemplateView):
    """The roll-up page: headline, breakdowns, yield, financing, trends and the briefing."""

    template_name = "reports/rollup.html"
    with_year_choices = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.get_form()
        report = self.get_report(form)
        context["form"] = form
        context["report"] = report
        if report is None:
            return context
        context["scope_label"] = scope_label(report.scope, report.headline)
        if report.scope.on_returns:
            return self.returns_context(context, report.scope)
        context["headline"] = report.headline
        show_zones = len(report.zones) > 1
        context["sections"] = [
            {
                "anchor": anchor,
                "title": title,
                "tables": [
                    _rendered_table(TABLES[name], report, self.request)
                    for name in names
                    if name != "zones" or show_zones
                ],
            }
            for anchor, title, names in PAGE_SECTIONS
        ]
        context["show_zones"] = show_zones
        context["yields"] = report.yields
        context["charts"] = report_charts(report)
        context["as_of"] = briefing.data_date(report.headline)
        context["briefing_zh"] = briefing.briefing(report.headline, "zh-hans")
        context["briefing_en"] = briefing.briefing(report.headline, "en")
        context["targets"] = report.targets
        context["export_query"] = self.request.GET.urlencode()
        return context

    def returns_context(self, context, scope):
        """The official roll-up of a round: approved returns only, and what it rests on."""
        headline, basis = returns_headline(scope, self.request.user, scope.period)
        context["headline"] = headline
        context["returns_basis"] = basis
        context["as_of"] = basis.as_of
        context["briefing_zh"] = briefing.briefing(headline, "zh-hans", basis=basis)
        context["briefing_en"] = briefing.briefing(headline, "en", basis=basis)
        context["export_query"] = self.request.GET.urlencode()
        return context


class RollupJsonView(ScopedReportMixin, View):
    """``/reports/rollup.json``: the headline for the scope, for other systems. With a period,
    also what the figures rest on (``period``, ``basis``, ``as_of``; for ``basis=returns`` the
    returns expected and approved, and the period's increments)."""

    def get(self, request):
        form = self.get_form()
        report = self.get_report(form)
        if report is None:
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        scope = report.scope
        if scope.on_returns:
            headline, basis = returns_headline(scope, request.user, scope.period)
            data = {**headline.as_json(), **basis.as_json()}
        else:
            data = report_json(report)
            if scope.period is not None:
                data.update(period=scope.period.code, basis="live", as_of=scope.as_of.isoformat())
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


class ReportExportView(ScopedReportMixin, View):
    """One report table as CSV or XLSX: raw numbers (yuan), unit in the header, totals last."""

    def get(self, request, table, fmt):
        spec = TABLES.get(table)
        if spec is None or fmt not in EXPORT_FORMATS:
            raise Http404("No such export.")
        form = self.get_form()
        report = self.get_report(form)
        if report is None:
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        filename = exports.export_filename(f"report-{table}", report.scope.parts(), fmt)
        header = export_header(spec)
        rows = export_rows(spec, report)
        if fmt == "csv":
            return exports.csv_response(filename, header, rows)
        return exports.xlsx_response(filename, header, rows, title=str(spec.title))

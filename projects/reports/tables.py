"""The report's tables, described once and used by the page (sortable HTML) and the exports.

Each ``TableSpec`` names its columns (with the unit in money headers), where its rows come from
in a ``Report``, and the totals row, which is taken from the headline so that it equals the
headline by construction (for distinct counts such as enterprises, summing the rows would count
an enterprise served by two platforms twice).
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from tracker import formatting

from .queries import Headline, Report

TEXT, INT, MONEY, PCT, PP = "text", "int", "money", "pct", "pp"


@dataclass(frozen=True)
class Col:
    """A column: ``header`` as the exports write it (amounts in yuan); money columns also name
    their ``label`` without unit, since the page shows them in 万元 / million yuan."""

    key: str
    header: str
    kind: str = TEXT
    label: str = ""

    def page_header(self) -> str:
        """The header the page shows: a money column names the unit its cells are in."""
        if self.kind != MONEY:
            return str(self.header)
        return _("%(label)s (%(unit)s)") % {
            "label": self.label,
            "unit": formatting.table_amount_unit(),
        }


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str
    columns: tuple
    rows: Callable[[Report], list]
    totals: Callable[[Headline], dict] | None = None


FIGURES = (
    Col("projects", _("Projects"), INT),
    Col("enterprises", _("Enterprises"), INT),
    Col("new_products", _("New products"), INT),
    Col("service_revenue", _("Service revenue (yuan)"), MONEY, _("Service revenue")),
    Col("output_value", _("Output value (yuan)"), MONEY, _("Output value")),
    Col("financing", _("Financing (yuan)"), MONEY, _("Financing")),
    Col("yield_projects", _("Projects with a yield gain"), INT),
    Col("yield_gain_pp_mean", _("Mean yield gain (pp)"), PP),
)
PLATFORM_COUNTS = (
    Col("platforms", _("Platforms"), INT),
    Col("key_platforms", _("MIIT key platforms"), INT),
)
FINANCING_COLUMNS = (
    Col("rounds", _("Rounds"), INT),
    Col("amount", _("Amount (yuan)"), MONEY, _("Amount")),
)


def _breakdown_totals(headline: Headline) -> dict:
    return {
        "platforms": headline.platforms,
        "key_platforms": headline.key_platforms,
        "projects": headline.projects,
        "enterprises": headline.enterprises,
        "new_products": headline.new_products,
        "service_revenue": headline.service_revenue,
        "output_value": headline.output_value,
        "financing": headline.financing,
        "yield_projects": headline.yield_projects,
        "yield_gain_pp_mean": headline.yield_gain_pp_mean,
    }


def _financing_totals(headline: Headline) -> dict:
    return {"rounds": headline.financing_rounds, "amount": headline.financing}


def _financing_spec(group: str, title: str, label: str) -> TableSpec:
    return TableSpec(
        f"financing_{group}",
        title,
        (Col("label", label), *FINANCING_COLUMNS),
        lambda report: report.financing[group],
        _financing_totals,
    )


TABLES = {
    spec.name: spec
    for spec in (
        TableSpec(
            "platforms",
            _("By platform"),
            (
                Col("label", _("Platform")),
                Col("zone__name", _("Zone")),
                Col("sector_label", _("Sector")),
                *PLATFORM_COUNTS,
                *FIGURES,
            ),
            lambda report: report.platforms,
            _breakdown_totals,
        ),
        TableSpec(
            "sectors",
            _("By sector"),
            (Col("label", _("Sector")), *PLATFORM_COUNTS, *FIGURES),
            lambda report: report.sectors,
            _breakdown_totals,
        ),
        TableSpec(
            "years",
            _("By start year"),
            (Col("label", _("Start year")), *FIGURES),
            lambda report: report.years,
            _breakdown_totals,
        ),
        TableSpec(
            "zones",
            _("By zone"),
            (Col("label", _("Zone")), *PLATFORM_COUNTS, *FIGURES),
            lambda report: report.zones,
            _breakdown_totals,
        ),
        TableSpec(
            "yield_histogram",
            _("Distribution of yield gains"),
            (Col("label", _("Gain (pp)")), Col("projects", _("Projects"), INT)),
            lambda report: report.yields.histogram,
            lambda headline: {"projects": headline.yield_projects},
        ),
        TableSpec(
            "yield_top",
            _("Largest yield gains"),
            (
                Col("code", _("Project code")),
                Col("title", _("Title")),
                Col("product", _("Product")),
                Col("platform_name", _("Platform")),
                Col("stage_label", _("Stage")),
                Col("yield_run_count", _("Yield runs"), INT),
                Col("yield_first_pct", _("First yield (%)"), PCT),
                Col("yield_latest_pct", _("Latest yield (%)"), PCT),
                Col("yield_gain_pp", _("Gain (pp)"), PP),
            ),
            lambda report: report.yields.top,
        ),
        TableSpec(
            "yield_stages",
            _("Yield gains by final stage"),
            (
                Col("label", _("Stage")),
                Col("projects", _("Projects"), INT),
                Col("yield_first_pct_mean", _("Mean first yield (%)"), PCT),
                Col("yield_latest_pct_mean", _("Mean latest yield (%)"), PCT),
                Col("yield_gain_pp_mean", _("Mean yield gain (pp)"), PP),
            ),
            lambda report: report.yields.by_stage,
            lambda headline: {
                "projects": headline.yield_projects,
                "yield_gain_pp_mean": headline.yield_gain_pp_mean,
            },
        ),
        _financing_spec("round", _("Financing by round"), _("Round")),
        _financing_spec("instrument", _("Financing by instrument"), _("Instrument")),
        _financing_spec("investor_type", _("Financing by investor type"), _("Investor type")),
        _financing_spec("year", _("Financing by year"), _("Year")),
    )
}


def display(value, kind: str) -> str:
    """A cell as the page shows it (the exports keep the raw number)."""
    if value is None:
        return "—"
    if kind == MONEY:
        return formatting.format_table_amount(value)
    if kind == INT:
        return formatting.format_count(value)
    if kind == PCT:
        return formatting.format_percent(value)
    if kind == PP:
        return formatting.format_points(value)
    return str(value)


def _sort_key(key: str):
    """Sort None last whatever the direction; compare numbers as numbers, text as text."""

    def sort_key(row):
        value = row.get(key)
        if value is None:
            return (1, 0)
        if isinstance(value, int | float | Decimal):
            return (0, value)
        return (0, str(value))

    return sort_key


def sorted_rows(spec: TableSpec, rows: list, order: str) -> list:
    """Rows sorted by ``order`` ("projects" or "-projects"); unknown columns leave them as is."""
    key = order.lstrip("-")
    if key not in {column.key for column in spec.columns}:
        return rows
    ordered = sorted(rows, key=_sort_key(key), reverse=order.startswith("-"))
    if order.startswith("-"):
        # Keep rows without a value at the bottom in both directions.
        ordered = [r for r in ordered if r.get(key) is not None] + [
            r for r in ordered if r.get(key) is None
        ]
    return ordered


def export_header(spec: TableSpec) -> list[str]:
    return [str(column.header) for column in spec.columns]


def export_rows(spec: TableSpec, report: Report) -> list[list]:
    """Raw values (amounts as Decimal yuan), the totals row last."""
    rows = [[row.get(column.key) for column in spec.columns] for row in spec.rows(report)]
    if spec.totals is not None:
        totals = spec.totals(report.headline)
        first = str(_("Total"))
        rows.append(
            [first if i == 0 else totals.get(column.key) for i, column in enumerate(spec.columns)]
        )
    return rows

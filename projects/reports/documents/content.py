"""What the briefing pack says, gathered once from a ``Report`` for both documents."""

from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from tracker import formatting

from .. import briefing
from ..queries import returns_headline
from ..scope import scope_label
from ..tables import INT, MONEY, PCT, PP, TABLES

# The headline figures, in the page's order: (attribute, label, kind).
HEADLINE_ROWS = (
    ("platforms", gettext_lazy("Pilot-test platforms"), INT),
    ("key_platforms", gettext_lazy("On MIIT key cultivated lists"), INT),
    (
        "key_platform_share_pct",
        gettext_lazy("Share of the province's entries on those lists (%)"),
        PCT,
    ),
    ("projects", gettext_lazy("Pilot projects served"), INT),
    ("enterprises", gettext_lazy("Enterprises served"), INT),
    ("new_products", gettext_lazy("New products incubated"), INT),
    ("service_revenue", gettext_lazy("Pilot-service revenue"), MONEY),
    ("output_value", gettext_lazy("Product output value"), MONEY),
    ("financing", gettext_lazy("Financing raised"), MONEY),
    ("yield_projects", gettext_lazy("Projects with a yield gain"), INT),
    ("yield_gain_pp_mean", gettext_lazy("Mean yield gain (pp)"), PP),
    ("yield_gain_pp_median", gettext_lazy("Median yield gain (pp)"), PP),
)
# The tables of the Word document: the top ones, with the columns that fit a portrait page.
DOCX_TABLES = (
    (
        "platforms",
        ("label", "projects", "new_products", "service_revenue", "financing", "yield_gain_pp_mean"),
    ),
    (
        "sectors",
        (
            "label",
            "platforms",
            "projects",
            "new_products",
            "service_revenue",
            "output_value",
            "financing",
        ),
    ),
    (
        "yield_top",
        ("title", "platform_name", "yield_first_pct", "yield_latest_pct", "yield_gain_pp"),
    ),
)
# The top tables list their first rows, ordered by (column, descending).
DOCX_TOP_ROWS = 20
DOCX_ORDER = {"platforms": "projects", "sectors": "projects"}


@dataclass
class PackContent:
    """Everything the two documents show, in the reader's language."""

    title: str
    scope: str
    as_of: object
    as_of_text: str
    source: str
    headline: list = field(default_factory=list)  # (label, raw value, kind)
    briefing_zh: str = ""
    briefing_en: str = ""
    targets: list = field(default_factory=list)
    # An official roll-up (``basis=returns``): the approved returns' headline and briefing only.
    # The tables and charts, computed from today's records, are left out of such a pack: a
    # signed document must not mix official figures with live ones.
    official: bool = False


def pack_content(report, as_of=None) -> PackContent:
    """The pack's common part: title, scope, date, source line, headline, briefing, targets.

    ``as_of`` is a chosen period's end (the briefing's date then), else the newest record's.
    """
    if report.scope.on_returns:
        return _official_content(report)
    headline = report.headline
    date = briefing.data_date(headline, as_of)
    as_of_text = formats.date_format(date, "DATE_FORMAT")
    return PackContent(
        title=_("Pilot-test platforms: roll-up report"),
        scope=scope_label(report.scope, headline),
        as_of=date,
        as_of_text=as_of_text,
        source=_("Source: Pilot Tracker, from the platforms' own records; data as of %(date)s.")
        % {"date": as_of_text},
        headline=[
            (str(label), getattr(headline, name), kind) for name, label, kind in HEADLINE_ROWS
        ],
        briefing_zh=briefing.briefing(headline, "zh-hans", as_of),
        briefing_en=briefing.briefing(headline, "en", as_of),
        targets=report.targets,
    )


def _official_content(report) -> PackContent:
    """The pack of an official roll-up: the approved returns of the round, dated by its end."""
    scope = report.scope
    headline, basis = returns_headline(scope, report.user, scope.period)
    as_of_text = formats.date_format(basis.as_of, "DATE_FORMAT")
    source = _(
        "Source: Pilot Tracker, from the approved period returns of %(approved)s of "
        "%(expected)s platforms; data as of %(date)s."
    ) % {
        "approved": basis.returns_approved,
        "expected": basis.returns_expected,
        "date": as_of_text,
    }
    return PackContent(
        title=_("Pilot-test platforms: official roll-up"),
        scope=scope_label(scope, headline),
        as_of=basis.as_of,
        as_of_text=as_of_text,
        source=source,
        headline=[
            (str(label), getattr(headline, name), kind) for name, label, kind in HEADLINE_ROWS
        ],
        briefing_zh=briefing.briefing(headline, "zh-hans", basis=basis),
        briefing_en=briefing.briefing(headline, "en", basis=basis),
        official=True,
    )


def headline_text(value, kind: str) -> str:
    """A headline figure as a sentence would state it: amounts with their unit."""
    if value is None:
        return formatting.DASH
    if kind == MONEY:
        return formatting.format_amount(value)
    if kind == INT:
        return formatting.format_count(value)
    if kind == PCT:
        return formatting.format_percent(value)
    return formatting.format_points(value)


def top_rows(report, name: str) -> list[dict]:
    """A table's first rows for the Word document, largest first by its ordering column."""
    rows = TABLES[name].rows(report)
    key = DOCX_ORDER.get(name)
    if key is not None:
        rows = sorted(rows, key=lambda row: row.get(key) or 0, reverse=True)
    return rows[:DOCX_TOP_ROWS]


def is_chinese() -> bool:
    return (get_language() or "zh-hans").startswith("zh")

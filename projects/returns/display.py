"""A return's figures as the page and the print layout show them: this period, the previous
approved return and the change, in the user's language (counts, 万元/亿元, pp)."""

from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext

from platforms import access
from projects.choices import Confidentiality, ProjectStatus
from tracker.formatting import format_amount, format_count, format_points

from .models import PeriodReturn

SHOWN = (
    ("projects_cumulative", "count", "projects_increment"),
    ("projects_new", "count", None),
    ("projects_active", "count", None),
    ("enterprises_cumulative", "count", "enterprises_increment"),
    ("new_products_cumulative", "count", "new_products_increment"),
    ("service_revenue_cumulative", "money", "service_revenue_increment"),
    ("output_value_cumulative", "money", "output_value_increment"),
    ("financing_period", "money", None),
    ("financing_cumulative", "money", "financing_increment"),
    ("yield_gain_pp_mean", "points", None),
)


def show(value, kind) -> str:
    language = get_language()
    if kind == "money":
        return format_amount(value, language)
    if kind == "points":
        return format_points(value, 1, language)
    return format_count(value, language)


def _signed(text: str, value) -> str:
    return f"+{text}" if value is not None and value > 0 else text


def figure_rows(state) -> list[dict]:
    baseline = state.baseline
    rows = []
    for name, kind, increment in SHOWN:
        value = getattr(state.figures, name)
        change = state.increments.get(increment) if increment else None
        rows.append(
            {
                "label": str(PeriodReturn._meta.get_field(name).verbose_name),
                "name": name,
                "value": show(value, kind),
                "previous": show(getattr(baseline, name), kind) if baseline else "—",
                "change": _signed(show(change, kind), change) if increment else "",
            }
        )
    return rows


def frozen_rows(user, period_return) -> list[dict]:
    """The frozen project rows of a submitted or approved return, as the user may read them:
    a confidential project's title only for its platform's staff and administrators (the one
    rule, ``access.may_unmask``, asked once for the whole return: every row is one platform's).
    """
    if not period_return.is_frozen:
        return []
    unmasked = access.may_unmask(
        user,
        SimpleNamespace(
            confidentiality=Confidentiality.CONFIDENTIAL, platform_id=period_return.platform_id
        ),
    )
    hidden = gettext("Confidential project")
    rows = []
    for row in period_return.project_rows.order_by("code", "pk"):
        confidential = row.confidentiality == Confidentiality.CONFIDENTIAL
        rows.append(
            {
                "code": row.code,
                "title": hidden if confidential and not unmasked else row.title,
                "status": _status_label(row.status),
                "start_on": row.start_on,
                "is_new": row.is_new,
                "is_active": row.is_active,
                "service_revenue": show(row.service_revenue, "money"),
                "output_value": show(row.output_value, "money"),
                "financing_period": show(row.financing_period, "money"),
                "yield_gain": show(row.yield_gain_pp, "points"),
            }
        )
    return rows


def _status_label(value: str) -> str:
    try:
        return str(ProjectStatus(value).label)
    except ValueError:
        return value


BOARD_ROW = (
    '<tr{}><td><a href="{}">{}</a></td><td>{}</td><td><span class="return-status status-{}">'
    "{}</span>{}</td><td>{}</td><td>{}</td></tr>"
)


def board_rows(round_, returns, labels):
    """The board's rows as HTML, built here rather than in a template loop: a round of 3,000
    platforms renders in a fraction of the time (every value is escaped by ``format_html``)."""
    base = reverse("returns:round_board", args=[round_.code])
    overdue = format_html(' <span class="overdue-mark">{}</span>', gettext("Overdue"))
    days = {}

    def day(moment):
        if moment is None:
            return "—"
        local = timezone.localtime(moment).date()
        if local not in days:
            days[local] = date_format(local, "DATE_FORMAT")
        return days[local]

    return format_html_join(
        "\n",
        BOARD_ROW,
        (
            (
                format_html(' class="{}"', "is-overdue") if item["overdue"] else "",
                f"{base}{item['platform_id']}/",
                item["platform__name"],
                item["platform__zone__name"],
                item["status"],
                labels[item["status"]],
                overdue if item["overdue"] else "",
                day(item["submitted_at"]),
                day(item["approved_at"]),
            )
            for item in returns
        ),
    )

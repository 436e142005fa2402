"""Breakdowns of the headline figures by platform, sector, zone and project start year.

One query over the projects' figures and one over financing, per table. The two are merged by
group key (a handful of rows); financing is a separate figure group because joining it to the
projects would count every project once per financing round.
"""

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import ExtractYear

from platforms.choices import Sector

from ..scope import Scope
from .base import (
    Fen,
    is_key_platform,
    scoped_financings,
    scoped_platforms,
    scoped_projects,
    tenth,
    yuan,
)

BREAKDOWN_FIGURES = (
    "projects",
    "enterprises",
    "new_products",
    "service_revenue",
    "output_value",
    "financing",
    "financing_rounds",
    "yield_projects",
    "yield_gain_pp_mean",
)
EMPTY_FIGURES = {
    "f_projects": 0,
    "f_enterprises": 0,
    "f_new_products": 0,
    "f_yield_projects": 0,
    "f_yield_mean": None,
    "f_revenue_fen": 0,
    "f_output_fen": 0,
}


def _both(first: Q | None, second: Q) -> Q:
    return second if first is None else first & second


def _project_figures(prefix: str, condition: Q | None) -> dict:
    """Per-group aggregates over projects reached through ``prefix`` (with an optional filter).

    The aliases carry an ``f_`` prefix because an alias named ``projects`` would shadow the
    ``projects`` relation the other aggregates go through; ``_finish_row`` drops it.
    """
    return {
        "f_projects": Count(f"{prefix}pk", filter=condition),
        "f_enterprises": Count(f"{prefix}enterprise", distinct=True, filter=condition),
        "f_new_products": Count(
            f"{prefix}pk", filter=_both(condition, Q(**{f"{prefix}new_product": True}))
        ),
        "f_yield_projects": Count(f"{prefix}yield_gain_pp", filter=condition),
        "f_yield_mean": Avg(f"{prefix}yield_gain_pp", filter=condition),
        "f_revenue_fen": Sum(Fen(f"{prefix}service_revenue"), filter=condition),
        "f_output_fen": Sum(Fen(f"{prefix}output_value"), filter=condition),
    }


def _finish_row(row: dict, money: dict | None) -> dict:
    """Turn fen into yuan, round the mean gain and attach the group's financing."""
    for name in [name for name in row if name.startswith("f_")]:
        row[name[2:]] = row.pop(name)
    row["service_revenue"] = yuan(row.pop("revenue_fen"))
    row["output_value"] = yuan(row.pop("output_fen"))
    row["yield_gain_pp_mean"] = tenth(row.pop("yield_mean"))
    row["financing"] = yuan(money["fen"] if money else 0)
    row["financing_rounds"] = money["rounds"] if money else 0
    return row


def _financing_by(financings, key: str) -> dict:
    grouped = financings.values(key).annotate(fen=Sum(Fen("amount")), rounds=Count("pk"))
    return {row[key]: row for row in grouped}


def _platform_breakdown(scope: Scope, user, group: list[str], key: str, project_key: str):
    """Rows over platforms grouped by ``group``; platforms without projects still count.

    Three queries: the platforms (and key platforms) per group, the projects' figures per
    group (``project_key`` is the same grouping seen from the project), and the financing. Kept
    apart so that the database never joins a million projects to the platforms only to count
    distinct platforms, nor tests each project's platform for a recognition.
    """
    platforms = (
        scoped_platforms(scope, user)
        .values(*group)
        .annotate(platforms=Count("pk"), key_platforms=Count("pk", filter=is_key_platform()))
        .order_by(*group)
    )
    figures = {
        row.pop(project_key): row
        for row in scoped_projects(scope, user)
        .values(project_key)
        .annotate(**_project_figures("", None))
    }
    money = _financing_by(scoped_financings(scope, user), f"project__{project_key}")
    rows = []
    for row in platforms:
        row.update(figures.get(row[key], EMPTY_FIGURES))
        rows.append(_finish_row(row, money.get(row[key])))
    return rows


def by_platform(scope: Scope, user) -> list[dict]:
    """One row per platform in scope: its projects' figures, financing and key-list status."""
    rows = _platform_breakdown(
        scope, user, ["name", "pk", "zone__name", "sector"], "pk", "platform"
    )
    for row in rows:
        row["label"] = row["name"]
        row["sector_label"] = Sector(row["sector"]).label
    return rows


def by_sector(scope: Scope, user) -> list[dict]:
    """One row per MIIT key area (the platforms' sector)."""
    rows = _platform_breakdown(scope, user, ["sector"], "sector", "platform__sector")
    for row in rows:
        row["label"] = Sector(row["sector"]).label
    return rows


def by_zone(scope: Scope, user) -> list[dict]:
    """One row per zone (shown when the user sees several)."""
    rows = _platform_breakdown(scope, user, ["zone", "zone__name"], "zone", "platform__zone")
    for row in rows:
        row["label"] = row["zone__name"]
    return rows


def by_start_year(scope: Scope, user) -> list[dict]:
    """One row per project start year (financing of the projects started that year)."""
    rows = (
        scoped_projects(scope, user)
        .annotate(year=ExtractYear("start_on"))
        .values("year")
        .annotate(**_project_figures("", None))
        .order_by("year")
    )
    financings = scoped_financings(scope, user).annotate(year=ExtractYear("project__start_on"))
    money = _financing_by(financings, "year")
    result = [_finish_row(row, money.get(row["year"])) for row in rows]
    for row in result:
        row["label"] = str(row["year"])
    return result

"""The breakdown tables (``breakdowns``) added up from the per-platform summaries.

The same rows, keys, values and order as the record-based ``by_platform``, ``by_sector``,
``by_zone`` and ``by_start_year``, without reading the projects: the figures are sums of the
summary rows of a report (``summaries.summary_rows``, read once per report), the distinct
client enterprises come from the rows' id arrays and the mean gains from the summed gains
(0.0001 pp). The platforms' attributes (name, zone, sector, key-list status) are one query over
the scoped platforms (``platform_attributes``), shared by the three platform tables. A period's
scope (``scope.period``) keeps the record-based functions: start years cannot express its last
day.
"""

from platforms.choices import Sector

from ..scope import Scope
from .base import is_key_platform, scoped_platforms
from .breakdowns import _finish_row
from .summaries import ADDITIVE, TOTAL, _count_distinct, _ids, _in_scope, mean_gain, year_rows


def platform_attributes(scope: Scope, user) -> list[dict]:
    """The scoped platforms the user sees, ordered as the platform table (one query)."""
    return list(
        scoped_platforms(scope, user)
        .values("pk", "name", "zone", "zone__name", "sector")
        .annotate(key=is_key_platform())
        .order_by("name", "pk", "zone__name", "sector")
    )


def _figures(scope: Scope, rows: dict) -> tuple[dict, dict]:
    """The ``f_`` figures and the financing of the summary ``rows`` (platform → year → row)."""
    members = list(year_rows(scope, rows))
    sums = {name: sum(figures[name] for figures in members) for name in ADDITIVE}
    figures = {
        "f_projects": sums["projects"],
        "f_enterprises": _count_distinct([_ids(figures) for figures in members]),
        "f_new_products": sums["new_products"],
        "f_yield_projects": sums["yield_projects"],
        "f_yield_mean": mean_gain(sums),
        "f_revenue_fen": sums["revenue_fen"],
        "f_output_fen": sums["output_fen"],
    }
    return figures, {"fen": sums["financing_fen"], "rounds": sums["financing_rounds"]}


def _grouped(scope: Scope, attributes: list[dict], rows: dict, group: list[str]) -> list[dict]:
    """One row per distinct ``group`` of the platforms (in order of the group's values)."""
    members: dict[tuple, list[dict]] = {}
    for platform in attributes:
        members.setdefault(tuple(platform[name] for name in group), []).append(platform)
    result = []
    for key in sorted(members):
        platforms = members[key]
        row = dict(zip(group, key, strict=True))
        row["platforms"] = len(platforms)
        row["key_platforms"] = sum(1 for platform in platforms if platform["key"])
        figures, money = _figures(scope, {p["pk"]: rows.get(p["pk"], {}) for p in platforms})
        row.update(figures)
        result.append(_finish_row(row, money))
    return result


def summary_by_platform(scope: Scope, attributes: list[dict], rows: dict) -> list[dict]:
    """``by_platform`` from the summaries: one row per platform, in the attributes' order."""
    result = []
    for platform in attributes:
        row = {name: platform[name] for name in ("name", "pk", "zone__name", "sector")}
        row["platforms"] = 1
        row["key_platforms"] = 1 if platform["key"] else 0
        figures, money = _figures(scope, {platform["pk"]: rows.get(platform["pk"], {})})
        row.update(figures)
        row = _finish_row(row, money)
        row["label"] = row["name"]
        row["sector_label"] = Sector(row["sector"]).label
        result.append(row)
    return result


def summary_by_sector(scope: Scope, attributes: list[dict], rows: dict) -> list[dict]:
    """``by_sector`` from the summaries."""
    result = _grouped(scope, attributes, rows, ["sector"])
    for row in result:
        row["label"] = Sector(row["sector"]).label
    return result


def summary_by_zone(scope: Scope, attributes: list[dict], rows: dict) -> list[dict]:
    """``by_zone`` from the summaries."""
    result = _grouped(scope, attributes, rows, ["zone", "zone__name"])
    for row in result:
        row["label"] = row["zone__name"]
    return result


def summary_by_start_year(scope: Scope, rows: dict) -> list[dict]:
    """``by_start_year`` from the summaries: the year rows of every platform, per year."""
    years: dict[int, dict] = {}
    for pk, platform_years in rows.items():
        for year, figures in platform_years.items():
            if year != TOTAL and (not scope.has_years or _in_scope(scope, year)):
                years.setdefault(year, {})[pk] = {year: figures}
    result = []
    for year in sorted(years):
        figures, money = _figures(scope, years[year])
        if not figures["f_projects"]:
            continue
        row = _finish_row({"year": year, **figures}, money)
        row["label"] = str(year)
        result.append(row)
    return result

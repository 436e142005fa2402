"""Per-platform summaries: a platform's figures per project start year, kept per platform version.

A nationwide roll-up over a million projects adds up, instead, a few thousand rows of
``PlatformSummary``: for each platform, one row per start year of its projects and one for
all years (``start_year`` 0). The platform list reads the all-years rows.

**Exact to the fen.** Every summed figure is an integer (counts, money in fen, gains in
ten-thousandths of a percentage point, as the projects store them), so the sum of the rows
equals the sum over the projects.
Two figures do not add up across rows: distinct client enterprises (one enterprise may be
served by several platforms, and in several years) and the median gain. For them each year row
keeps the sorted distinct ids of its clients and the sorted gains of its projects (numpy arrays
stored as bytes, about 12 bytes a project); a scope's enterprises are the ids marked in one
boolean array, its median the middle of its gains (``np.partition``): exact, in milliseconds,
without reading the projects.

**Fresh.** Rows are labelled with the platform version (``PlatformVersion``) read *before* they
were computed, and the local mark of a writing transaction (``projects.reports.cache``): their
figures are never older than their label. A reader uses only the rows labelled with the version
it read; for any platform without them (a write has moved its version since) it computes the
rows at once — three grouped queries over that platform's projects, served by the
(platform, start_on) index — and stores them for the next reader: concurrent readers store one
copy of a label (conflicts are ignored), older labels of those platforms are deleted, and on
SQLite the rows are stored only if no import holds the write lock (``tracker.locking``). A
platform whose version row is missing is computed every time and never stored.
"""

from collections import defaultdict
from decimal import Decimal

import numpy as np
from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear

from projects.choices import ACTIVE
from projects.models import Financing, Project
from tracker.locking import write_unless_locked

from ..cache import Versions
from ..models import PlatformSummary
from ..scope import Scope
from .base import Fen, GainE4, tenth

TOTAL = PlatformSummary.TOTAL
# The figures of a row that add up across platforms and years (all integers).
ADDITIVE = (
    "projects",
    "active_projects",
    "new_products",
    "yield_projects",
    "yield_gain_e4",
    "revenue_fen",
    "output_fen",
    "financing_fen",
    "financing_rounds",
)
FIGURES = (*ADDITIVE, "enterprises")
PROJECT_FIGURES = tuple(
    name for name in FIGURES if not name.startswith("financing") and name != "enterprises"
)
# Sets kept on the year rows, as sorted arrays: client enterprise ids and gains (0.0001 pp).
SETS = ("enterprise_ids", "gains_e4")
IDS, GAINS = np.dtype("<i8"), np.dtype("<i4")


def summary_rows(versions: Versions) -> dict[int, dict[int, dict]]:
    """platform id → start year (``TOTAL``: all years) → figures, for ``versions.platforms``.

    One query when every platform's rows are current; three more (and the store) for the
    platforms whose version moved since their rows were computed.
    """
    wanted = versions.platforms
    rows: dict[int, dict[int, dict]] = {}
    labelled = [pk for pk, version in wanted.items() if version is not None]
    stored = PlatformSummary.objects.filter(
        platform_id__in=labelled, local_mark=versions.local_mark
    ).values("platform_id", "start_year", "version", "latest_change", *FIGURES, *SETS)
    for row in stored:
        if row["version"] == wanted[row["platform_id"]]:
            rows.setdefault(row["platform_id"], {})[row["start_year"]] = row
    stale = [pk for pk in wanted if TOTAL not in rows.get(pk, {})]
    if stale:
        computed = compute_rows(stale)
        _store(computed, versions)
        rows.update(computed)
    return rows


def compute_rows(platform_ids) -> dict[int, dict[int, dict]]:
    """The rows of ``platform_ids`` computed from their projects and financing (three queries)."""
    projects = Project.objects.filter(platform_id__in=platform_ids).order_by()
    rows: dict[int, dict[int, dict]] = {pk: {TOTAL: _empty()} for pk in platform_ids}
    by_year = (
        projects.annotate(year=ExtractYear("start_on"))
        .values("platform_id", "year")
        .annotate(
            projects=Count("pk"),
            active_projects=Count("pk", filter=Q(status__in=ACTIVE.statuses)),
            new_products=Count("pk", filter=Q(new_product=True)),
            yield_projects=Count("yield_gain_pp"),
            yield_gain_e4=Sum(GainE4("yield_gain_pp")),
            revenue_fen=Sum(Fen("service_revenue")),
            output_fen=Sum(Fen("output_value")),
            latest_change=Max("updated_at"),
        )
    )
    for row in by_year:
        figures = rows[row["platform_id"]].setdefault(row["year"], _empty())
        for name in PROJECT_FIGURES:
            figures[name] = int(row[name] or 0)
        figures["latest_change"] = row["latest_change"]
    financing = (
        Financing.objects.filter(project__platform_id__in=platform_ids)
        .order_by()
        .annotate(year=ExtractYear("project__start_on"))
        .values("project__platform_id", "year")
        .annotate(financing_fen=Sum(Fen("amount")), financing_rounds=Count("pk"))
    )
    for row in financing:
        figures = rows[row["project__platform_id"]].setdefault(row["year"], _empty())
        figures["financing_fen"] = int(row["financing_fen"] or 0)
        figures["financing_rounds"] = row["financing_rounds"]
    _fill_sets(rows, projects)
    for years in rows.values():
        total = years[TOTAL]
        for year, figures in years.items():
            if year != TOTAL:
                for name in ADDITIVE:
                    total[name] += figures[name]
        total["latest_change"] = _latest(figures for year, figures in years.items() if year)
    return rows


def _latest(rows):
    """The newest ``latest_change`` of ``rows`` (None when none has a project)."""
    changes = [figures["latest_change"] for figures in rows if figures["latest_change"]]
    return max(changes, default=None)


def _fill_sets(rows: dict, projects) -> None:
    """Each year row's enterprise ids and gains, and the distinct enterprises of every row.

    One query reading (platform, year, enterprise, gain) of the projects; the all-years row
    counts the enterprises of all its years once.
    """
    ids, gains = defaultdict(list), defaultdict(list)
    members = projects.annotate(year=ExtractYear("start_on"), gain=GainE4("yield_gain_pp"))
    for platform, year, enterprise, gain in members.values_list(
        "platform_id", "year", "enterprise_id", "gain"
    ):
        ids[platform, year].append(enterprise)
        if gain is not None:
            gains[platform, year].append(int(gain))
    for (platform, year), values in ids.items():
        distinct = _distinct(np.array(values, dtype=IDS))
        figures = rows[platform][year]
        figures["enterprises"] = int(distinct.size)
        figures["enterprise_ids"] = distinct.tobytes()
        figures["gains_e4"] = np.sort(np.array(gains[platform, year], dtype=GAINS)).tobytes()
    for years in rows.values():
        arrays = [_ids(figures) for year, figures in years.items() if year != TOTAL]
        years[TOTAL]["enterprises"] = _count_distinct(arrays)


def _distinct(values):
    """The sorted distinct values of an int array (numpy's unique is much slower here)."""
    values = np.sort(values)
    if values.size:
        values = values[np.concatenate(([True], values[1:] != values[:-1]))]
    return values


def _ids(figures):
    return np.frombuffer(figures["enterprise_ids"], dtype=IDS)


def _count_distinct(arrays) -> int:
    """How many distinct enterprise ids the arrays hold together: marks in a boolean array as
    long as the largest id (a few MB for millions of enterprises), then counted."""
    arrays = [array for array in arrays if array.size]
    if not arrays:
        return 0
    largest = max(int(array[-1]) for array in arrays)  # each array is sorted
    if sum(array.size for array in arrays) * 8 < largest:
        # A small group (one platform's clients): sorting them is cheaper than the marks.
        return int(_distinct(np.concatenate(arrays)).size)
    seen = np.zeros(largest + 1, dtype=bool)
    for array in arrays:
        seen[array] = True
    return int(np.count_nonzero(seen))


def _empty() -> dict:
    return {
        **dict.fromkeys(FIGURES, 0),
        "enterprise_ids": b"",
        "gains_e4": b"",
        "latest_change": None,
    }


def _store(computed: dict, versions: Versions) -> None:
    """Keep ``computed`` for the next reader, under the label each platform was read at."""
    labelled = {pk: versions.platforms[pk] for pk in computed if versions.platforms[pk] is not None}
    if not labelled:
        return
    objects = [
        PlatformSummary(
            platform_id=pk,
            start_year=year,
            version=labelled[pk],
            local_mark=versions.local_mark,
            **figures,
        )
        for pk in labelled
        for year, figures in computed[pk].items()
    ]
    older = Q()
    for pk, version in labelled.items():
        older |= Q(platform_id=pk, version__lt=version)
    if versions.local_mark:
        # Rows this transaction stored before its latest write (nobody else can see them).
        transaction_id = versions.local_mark.split(":")[0]
        older |= Q(platform_id__in=list(labelled), local_mark__startswith=f"{transaction_id}:")
        older &= ~Q(local_mark=versions.local_mark)

    def write():
        PlatformSummary.objects.filter(older).delete()
        PlatformSummary.objects.bulk_create(objects, ignore_conflicts=True, batch_size=2000)

    write_unless_locked(write, "the report summaries")


def scope_figures(scope: Scope, rows: dict) -> dict:
    """The additive figures of ``scope`` (its platforms are the keys of ``rows``), summed."""
    result = dict.fromkeys(ADDITIVE, 0)
    for years in rows.values():
        for year, figures in years.items():
            if _in_scope(scope, year):
                for name in ADDITIVE:
                    result[name] += figures[name]
    return result


def year_rows(scope: Scope, rows: dict):
    """The year rows of ``scope``: all of them without a year filter."""
    for years in rows.values():
        for year, figures in years.items():
            if year != TOTAL and (not scope.has_years or _in_scope(scope, year)):
                yield figures


def scope_enterprises(scope: Scope, rows: dict) -> int:
    """Distinct client enterprises of the scope's projects, exact, from the year rows' ids."""
    return _count_distinct([_ids(figures) for figures in year_rows(scope, rows)])


def scope_latest_change(scope: Scope, rows: dict):
    """When a project of the scope was last written (the briefing's "数据截至")."""
    if not scope.has_years:
        return _latest(years[TOTAL] for years in rows.values() if TOTAL in years)
    return _latest(year_rows(scope, rows))


def scope_median_gain(scope: Scope, rows: dict) -> Decimal | None:
    """The median gain (pp, exact) of the scope's projects with a gain, from the year rows.

    The middle one or two of the gains in 0.0001 pp (``np.partition`` finds them without sorting
    everything), averaged exactly.
    """
    arrays = [np.frombuffer(figures["gains_e4"], dtype=GAINS) for figures in year_rows(scope, rows)]
    gains = np.concatenate(arrays) if arrays else np.array([], dtype=GAINS)
    if not gains.size:
        return None
    low, high = (gains.size - 1) // 2, gains.size // 2
    middle = np.partition(gains, [low, high])
    return Decimal(int(middle[low]) + int(middle[high])) / 20000


def _in_scope(scope: Scope, year: int) -> bool:
    if not scope.has_years:
        return year == TOTAL
    if year == TOTAL:
        return False
    return (scope.year_from is None or year >= scope.year_from) and (
        scope.year_to is None or year <= scope.year_to
    )


def mean_gain(figures: dict) -> Decimal | None:
    """The mean gain (pp, rounded half up to 0.1) from the summed ten-thousandths of a pp: exact."""
    if not figures["yield_projects"]:
        return None
    return tenth(Decimal(figures["yield_gain_e4"]) / 10000 / figures["yield_projects"])


def ensure_current_totals(versions: Versions) -> None:
    """Make sure each platform of ``versions`` has an all-years row at (or after) its version.

    One query when they all do; for the others the rows are computed and stored (the platform
    list then reads the newest row of each platform, ``latest_total``).
    """
    labelled = [pk for pk, version in versions.platforms.items() if version is not None]
    current = set(
        PlatformSummary.objects.filter(
            platform_id__in=labelled, start_year=TOTAL, local_mark=versions.local_mark
        ).values_list("platform_id", "version")
    )
    stale = [pk for pk in labelled if (pk, versions.platforms[pk]) not in current]
    if stale:
        _store(compute_rows(stale), versions)


def latest_total(figure: str, local_mark: str = "") -> Subquery:
    """The newest all-years ``figure`` of the platform ``OuterRef("pk")`` (0 without a row).

    Newest, not "at the version read": a row stored since by another reader is newer still.
    """
    rows = PlatformSummary.objects.filter(
        platform=OuterRef("pk"), start_year=TOTAL, local_mark=local_mark
    ).order_by("-version")
    return Coalesce(Subquery(rows.values(figure)[:1]), 0)

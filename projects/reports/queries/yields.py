"""The yield section: distribution of gains, projects that reached 90 %, best gains, by stage.

A project's yield gain is the stored ``Project.yield_gain_pp`` (latest − earliest run, in
percentage points, computed in SQL by ``refresh_yield_summary``); it is NULL for projects with
fewer than two runs, so every figure here is over projects with at least two runs.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, F, Q
from django.utils.translation import gettext

from projects.choices import TRACK_STAGES, Stage
from tracker.formatting import round_half_up

from ..scope import Scope
from .base import scoped_projects, tenth

# Latest yield at or above this is "reached mass-production quality" in the yield section.
REACHED_YIELD_PCT = 90
# Histogram of gains: below zero, then 10-pp bins up to 100 (the last bin includes 100).
GAIN_BINS = [(None, 0), *((low, low + 10) for low in range(0, 100, 10))]
# The largest gains kept in the report (the page shows the first 20 of them until "show all").
TOP_GAINS = 100


@dataclass
class YieldSection:
    """Distribution of gains, how many projects reached 90%, the best gains, gains by stage."""

    histogram: list = field(default_factory=list)
    with_runs: int = 0
    reached: int = 0
    top: list = field(default_factory=list)
    by_stage: list = field(default_factory=list)

    @property
    def reached_share(self) -> Decimal | None:
        """Share of projects with at least one run whose latest yield is ≥ 90%."""
        if not self.with_runs:
            return None
        return round_half_up(Decimal(self.reached) * 100 / self.with_runs, 1)


def _gain_bin_q(low, high) -> Q:
    if low is None:
        return Q(yield_gain_pp__lt=high)
    if high >= 100:
        return Q(yield_gain_pp__gte=low)
    return Q(yield_gain_pp__gte=low, yield_gain_pp__lt=high)


def _gain_bin_label(low, high) -> str:
    if low is None:
        return f"< {high}"
    return f"{low}–{high}"


def yield_section(scope: Scope, user) -> YieldSection:
    """Three queries: histogram and reach counts, the top gains, and gains by final stage."""
    projects = scoped_projects(scope, user)
    bins = {f"bin{i}": Count("pk", filter=_gain_bin_q(*edges)) for i, edges in enumerate(GAIN_BINS)}
    counts = projects.aggregate(
        with_runs=Count("yield_latest_pct"),
        reached=Count("pk", filter=Q(yield_latest_pct__gte=REACHED_YIELD_PCT)),
        **bins,
    )
    section = YieldSection(with_runs=counts["with_runs"], reached=counts["reached"])
    section.histogram = [
        {"label": _gain_bin_label(*edges), "projects": counts[f"bin{i}"]}
        for i, edges in enumerate(GAIN_BINS)
    ]
    section.top = top_gains(scope, user)
    section.by_stage = gains_by_stage(projects)
    return section


def top_gains(scope: Scope, user, limit: int = TOP_GAINS) -> list[dict]:
    """The largest gains, first → latest yield; confidential titles masked (``with_masking``)."""
    rows = (
        scoped_projects(scope, user)
        .filter(yield_gain_pp__isnull=False)
        .with_masking(user)
        .annotate(platform_name=F("platform__name"))
        .order_by("-yield_gain_pp", "pk")
        .values(
            "pk",
            "code",
            "title",
            "product",
            "is_masked",
            "platform_name",
            "stage",
            "yield_run_count",
            "yield_first_pct",
            "yield_latest_pct",
            "yield_gain_pp",
        )[:limit]
    )
    return [mask_confidential(row) for row in rows]


def mask_confidential(row: dict) -> dict:
    """Replace the title and product of a row the user may not read (``is_masked``).

    The project still counts in every figure; only the words that could identify the client's
    product are replaced.
    """
    row["masked"] = bool(row.pop("is_masked"))
    if row["masked"]:
        row["title"] = gettext("Confidential project")
        row["product"] = gettext("Confidential project")
    row["stage_label"] = Stage(row["stage"]).label
    return row


def _stage_order(stage: str) -> int:
    order = [stage for stages in TRACK_STAGES.values() for stage in stages]
    return order.index(stage) if stage in order else len(order)


def gains_by_stage(projects) -> list[dict]:
    """Mean gain and mean first/latest yield of projects with a gain, by their current stage."""
    rows = (
        projects.filter(yield_gain_pp__isnull=False)
        .values("stage")
        .annotate(
            projects=Count("pk"),
            gain=Avg("yield_gain_pp"),
            first=Avg("yield_first_pct"),
            latest=Avg("yield_latest_pct"),
        )
        .order_by("stage")
    )
    result = []
    for row in sorted(rows, key=lambda row: _stage_order(row["stage"])):
        result.append(
            {
                "stage": row["stage"],
                "label": Stage(row["stage"]).label,
                "projects": row["projects"],
                "yield_gain_pp_mean": tenth(row["gain"]),
                "yield_first_pct_mean": tenth(row["first"]),
                "yield_latest_pct_mean": tenth(row["latest"]),
            }
        )
    return result

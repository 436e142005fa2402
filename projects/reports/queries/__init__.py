"""Report queries: every figure of the roll-up, its breakdowns, yield and financing analysis.

The one place where report figures are computed: the page, the JSON, the exports and the
``rollup`` command all read them through this package's public names (imported below; import
them from ``projects.reports.queries``, not from its modules). Rules it keeps, so that they agree:

* Visibility comes only from ``Platform.objects.visible_to(user)`` /
  ``Project.objects.visible_to(user)``; the scope (``Scope``) only narrows it (``base``).
* Aggregation happens in the database, one query per figure group, whatever the number of
  projects; Python only reshapes the (few) grouped rows.
* Money is summed as integer fen (``Fen``), so totals are exact to the fen on SQLite too, which
  would otherwise add its decimal columns as floats.
* A project's yield gain is the stored ``Project.yield_gain_pp`` (latest − earliest run, in
  percentage points, computed in SQL by ``refresh_yield_summary``); it is NULL for projects with
  fewer than two runs, so averages and medians are over projects with at least two runs. Means
  and medians are rounded half up to 0.1 pp (``tenth``).

Modules: ``base`` (scoped querysets, fen and rounding), ``headline_figures``, ``breakdowns``,
``yields``, ``financing``, ``summaries`` (per-platform figures kept per platform version, for
the headline and the platform list), ``returns`` (period returns: one platform's figures for a
date range, and the roll-up of approved returns), ``targets`` (progress against a zone's policy
targets), and ``report`` (``Report``: the sections of one report, cached).
"""

from .base import Fen, scoped_financings, scoped_platforms, scoped_projects, tenth, yuan
from .breakdowns import by_platform, by_sector, by_start_year, by_zone
from .financing import financing_by
from .headline_figures import Headline, headline
from .report import Report
from .returns import (
    PeriodFigures,
    ReturnsBasis,
    increments,
    period_figures,
    period_rows,
    returns_headline,
)
from .summaries import ensure_current_totals, latest_total
from .targets import scope_zones, target_progress, targets_json
from .yields import YieldSection, gains_by_stage, top_gains, yield_section

__all__ = [
    "Fen",
    "Headline",
    "PeriodFigures",
    "Report",
    "ReturnsBasis",
    "YieldSection",
    "by_platform",
    "by_sector",
    "by_start_year",
    "by_zone",
    "ensure_current_totals",
    "financing_by",
    "gains_by_stage",
    "headline",
    "increments",
    "latest_total",
    "period_figures",
    "period_rows",
    "returns_headline",
    "scope_zones",
    "scoped_financings",
    "scoped_platforms",
    "scoped_projects",
    "target_progress",
    "targets_json",
    "tenth",
    "top_gains",
    "yield_section",
    "yuan",
]

"""``Report``: every section of a scope's report, computed once and kept in the report cache."""

from functools import cached_property

from ..cache import ReportCache
from ..scope import Scope
from .breakdowns import by_platform, by_sector, by_start_year, by_zone
from .financing import financing_by
from .headline_figures import Headline, headline
from .summaries import summary_rows as read_summary_rows
from .summary_breakdowns import (
    platform_attributes,
    summary_by_platform,
    summary_by_sector,
    summary_by_start_year,
    summary_by_zone,
)
from .targets import scope_zones, target_progress
from .yields import YieldSection, yield_section


class Report:
    """Every section of a scope's report, each computed on first use and then kept.

    The page reads them all (a fixed number of queries); an export reads only its own table,
    plus the headline for the totals row. Sections come from the report cache while the data
    is unchanged (see ``projects.reports.cache``).
    """

    def __init__(self, scope: Scope, user):
        self.scope = scope
        self.user = user
        self.cache = ReportCache(scope, user)

    def _section(self, name, compute, per_language=True):
        return self.cache.get(
            name, lambda: compute(self.scope, self.user), per_language=per_language
        )

    @cached_property
    def headline(self) -> Headline:
        # Stored without the scope (model instances); figures only, language-independent.
        stored = self.cache.get(
            "headline",
            lambda: _headline_figures(
                self.scope,
                self.user,
                self.cache.versions,
                None if self.scope.period is not None else self.summary_rows,
            ),
            per_language=False,
        )
        return Headline(scope=self.scope, **stored)

    @cached_property
    def summary_rows(self) -> dict:
        """The scope's per-platform summary rows (``summaries``), read once for every section."""
        return read_summary_rows(self.cache.versions)

    @cached_property
    def platform_attributes(self) -> list[dict]:
        """The scoped platforms' names, zones, sectors and key-list status (one query)."""
        return platform_attributes(self.scope, self.user)

    def _breakdown(self, name, from_records, from_summaries):
        """A breakdown table from the summaries, or from the records for a period's scope."""
        if self.scope.period is not None:
            return self._section(name, from_records)
        return self.cache.get(name, from_summaries, per_language=True)

    @cached_property
    def platforms(self) -> list[dict]:
        return self._breakdown(
            "platforms",
            by_platform,
            lambda: summary_by_platform(self.scope, self.platform_attributes, self.summary_rows),
        )

    @cached_property
    def sectors(self) -> list[dict]:
        return self._breakdown(
            "sectors",
            by_sector,
            lambda: summary_by_sector(self.scope, self.platform_attributes, self.summary_rows),
        )

    @cached_property
    def years(self) -> list[dict]:
        return self._breakdown(
            "years", by_start_year, lambda: summary_by_start_year(self.scope, self.summary_rows)
        )

    @cached_property
    def zones(self) -> list[dict]:
        return self._breakdown(
            "zones",
            by_zone,
            lambda: summary_by_zone(self.scope, self.platform_attributes, self.summary_rows),
        )

    @cached_property
    def yields(self) -> YieldSection:
        return self._section("yields", yield_section)

    @cached_property
    def targets(self) -> list[dict]:
        """Progress against the targets of the zone in scope. The targets are read every time
        (they are edited in the admin without moving any data version); their measured values
        are cached under the versions of every platform of the zone (a target measures the whole
        zone, whatever narrower scope the report has: only users who see the whole zone see
        targets) and the targets' values."""
        zones = scope_zones(self.scope, self.user)
        return target_progress(zones, self.user, version=self._whole_zone_version)

    def _whole_zone_version(self) -> str | None:
        """The versions of every platform of the zone in scope the user sees (one query, none
        when the scope is the zone), as one digest; None when nothing may be cached."""
        whole_zone = Scope(zone=self.scope.zone)
        cache = self.cache if self.scope == whole_zone else ReportCache(whole_zone, self.user)
        versions = cache.versions
        return versions.digest if versions.cacheable else None

    @cached_property
    def financing(self) -> dict:
        """Lazily per grouping, so an export of one grouping runs one query."""
        return _LazyGroups(self)


def _headline_figures(scope: Scope, user, versions, rows) -> dict:
    result = headline(scope, user, versions, rows)
    return {
        name: getattr(result, name) for name in Headline.__dataclass_fields__ if name != "scope"
    }


class _LazyGroups(dict):
    """Financing totals per grouping, each queried (or read from the cache) when asked for."""

    def __init__(self, report: Report):
        super().__init__()
        self.report = report

    def __missing__(self, group):
        self[group] = self.report._section(
            f"financing-{group}", lambda scope, user: financing_by(scope, user, group)
        )
        return self[group]

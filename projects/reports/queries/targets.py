"""Progress against a zone's policy targets (``Target``), measured from the records.

Over a target's years (1 January of the start year to 31 December of the end year), for the
target's zone:

* new platforms — platforms of the zone established in those years;
* platforms / MIIT key platforms — the zone's platforms (key: with a current MIIT key
  recognition) now, whatever their year: a count to reach, not a flow;
* projects served, enterprises served (distinct clients), new products, service revenue, output
  value — over the zone's projects started in those years, as the headline counts them;
* firms incubated — no record says "incubated", so the tracker counts the distinct client
  enterprises founded in those years that a project of the zone served (started in those years):
  firms born while the zone's platforms took their first products to production;
* financing — financing rounds of the zone's projects dated in those years (a fund target is
  met by money raised in the period, whenever the project started).

Three queries whatever the number of targets (platforms, projects, financing), each with one
filtered aggregate per target (the projects' one reads only the targets' years), plus the one
that reads the targets; none when there is no target. The measured values are cached under the
report's data version and the targets' own values (an edited target is measured afresh).
Progress is the whole zone's, so only users who see the whole zone see it
(``access.zones_with_targets_visible_to``).
"""

import datetime as dt
import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum

from platforms import access
from platforms.models import Platform, Zone
from projects.models import Financing, Project
from tracker.formatting import round_half_up

from ..choices import AMOUNT_METRICS, TargetMetric
from ..models import Target
from .base import Fen, is_key_platform, yuan

M = TargetMetric


def _years(prefix: str, target: Target) -> Q:
    return Q(
        **{
            f"{prefix}__gte": dt.date(target.start_year, 1, 1),
            f"{prefix}__lt": dt.date(target.end_year + 1, 1, 1),
        }
    )


def _platform_figure(target: Target):
    zone = Q(zone_id=target.zone_id)
    if target.metric == M.NEW_PLATFORMS:
        return Count("pk", filter=zone & _years("established_on", target))
    if target.metric == M.KEY_PLATFORMS:
        return Count("pk", filter=zone & is_key_platform())
    return Count("pk", filter=zone)


def _project_figure(target: Target):
    started = Q(platform__zone_id=target.zone_id) & _years("start_on", target)
    if target.metric == M.PROJECTS:
        return Count("pk", filter=started)
    if target.metric == M.ENTERPRISES:
        return Count("enterprise", distinct=True, filter=started)
    if target.metric == M.NEW_PRODUCTS:
        return Count("pk", filter=started & Q(new_product=True))
    if target.metric == M.FIRMS_INCUBATED:
        founded = _years("enterprise__founded_on", target)
        return Count("enterprise", distinct=True, filter=started & founded)
    field = "service_revenue" if target.metric == M.SERVICE_REVENUE else "output_value"
    return Sum(Fen(field), filter=started)


PLATFORM_METRICS = {M.NEW_PLATFORMS, M.PLATFORMS, M.KEY_PLATFORMS}


def _years_window(targets: list[Target], field: str) -> Q:
    """All the targets' years at once, so the database reads only those rows (and may use the
    date indexes) before the per-target filters split them."""
    first = min(target.start_year for target in targets)
    last = max(target.end_year for target in targets)
    return Q(**{f"{field}__gte": dt.date(first, 1, 1), f"{field}__lt": dt.date(last + 1, 1, 1)})


def _values(targets: list[Target]) -> dict:
    """Each target's measured value, by target id: counts as int, amounts as Decimal yuan."""
    zones = sorted({target.zone_id for target in targets})
    platform_figures, project_figures, financing_figures = {}, {}, {}
    for target in targets:
        key = f"t{target.pk}"
        if target.metric in PLATFORM_METRICS:
            platform_figures[key] = _platform_figure(target)
        elif target.metric == M.FINANCING:
            condition = Q(project__platform__zone_id=target.zone_id) & _years("date", target)
            financing_figures[key] = Sum(Fen("amount"), filter=condition)
        else:
            project_figures[key] = _project_figure(target)
    values = {}
    if platform_figures:
        platforms = Platform.objects.filter(zone_id__in=zones).order_by()
        values.update(platforms.aggregate(**platform_figures))
    if project_figures:
        projects = Project.objects.filter(
            _years_window(targets, "start_on"), platform__zone_id__in=zones
        ).order_by()
        values.update(projects.aggregate(**project_figures))
    if financing_figures:
        # No years window here: on PostgreSQL it turns the plan to the date index and a nested
        # loop over the zone's projects, ten times slower than the hash join (1M projects).
        financings = Financing.objects.filter(project__platform__zone_id__in=zones).order_by()
        values.update(financings.aggregate(**financing_figures))
    result = {}
    for target in targets:
        raw = values.get(f"t{target.pk}")
        result[target.pk] = yuan(raw) if target.metric in AMOUNT_METRICS else int(raw or 0)
    return result


def _cached_values(targets: list[Target], version) -> dict:
    """``_values``, kept in the report cache under the data version and the targets themselves
    (an edited target is another key), so a repeated report does not measure again."""
    if settings.REPORTS_CACHE_SECONDS <= 0:
        return _values(targets)
    version = version() if callable(version) else version
    if version is None:
        return _values(targets)
    described = repr(
        sorted((t.pk, t.zone_id, t.metric, t.start_year, t.end_year, t.value) for t in targets)
    )
    digest = hashlib.sha256(described.encode()).hexdigest()[:32]
    key = f"reports:targets:v{version}:{digest}"
    values = cache.get(key)
    if values is None:
        values = _values(targets)
        cache.set(key, values, settings.REPORTS_CACHE_SECONDS)
    return values


def target_progress(zones, user, version=None) -> list[dict]:
    """The targets of ``zones`` (a Zone queryset) the user may follow, with their progress.

    Each row: zone name, metric (code and label), years, target, value, the share reached in
    percent (half up to 0.1) and ``bar`` (the share capped at 100, for the progress bar).
    ``version`` is the data version of the zones (or a callable giving it, asked only when
    there are targets): the measured values are cached under it.
    """
    visible = access.zones_with_targets_visible_to(zones, user)
    targets = list(
        Target.objects.filter(zone__in=visible.values("pk"))
        .select_related("zone")
        .order_by("zone__name", "start_year", "end_year", "metric")
    )
    if not targets:
        return []
    values = _cached_values(targets, version)
    rows = []
    for target in targets:
        goal = target.value if target.is_amount else int(target.value)
        value = values[target.pk]
        share = round_half_up(Decimal(value) * 100 / target.value, 1)
        rows.append(
            {
                "zone": target.zone.name,
                "metric": target.metric,
                "label": target.get_metric_display(),
                "is_amount": target.is_amount,
                "start_year": target.start_year,
                "end_year": target.end_year,
                "target": goal,
                "value": value,
                "share": share,
                "bar": min(share, Decimal(100)),
            }
        )
    return rows


def targets_json(rows: list[dict]) -> list[dict]:
    """The ``targets`` key of the roll-up JSON: amounts as exact strings, counts as numbers."""

    def number(value, is_amount):
        return f"{value:.2f}" if is_amount else value

    return [
        {
            "zone": row["zone"],
            "metric": row["metric"],
            "start_year": row["start_year"],
            "end_year": row["end_year"],
            "target": number(row["target"], row["is_amount"]),
            "value": number(row["value"], row["is_amount"]),
        }
        for row in rows
    ]


def scope_zones(scope, user):
    """The zones whose targets a report of ``scope`` shows: the chosen zone, else the one zone
    the user sees; none when the scope is narrower than a zone (a platform or a sector)."""
    if scope.platform is not None or scope.sector:
        return Zone.objects.none()
    if scope.zone is not None:
        return Zone.objects.filter(pk=scope.zone.pk)
    return Zone.objects.visible_to(user)

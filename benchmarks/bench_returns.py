"""Benchmark of reporting rounds: a round's board and status JSON for 3,000 platforms and the
returns-based (official) roll-up, nationwide and for one zone.

Run on a copy of the 1,000,000-project database (it writes: platforms up to 3,000, the round
``2025`` for every zone, frozen figures and project rows)::

    DATABASE_URL=postgres://.../bench_copy python -m benchmarks.bench_returns [--runs 7]

The data step is idempotent. Returns are frozen in bulk, in SQL (a benchmark's data, like
``generate_bulk``; the pages freeze one return at a time through ``returns.services``): two in
three approved with their project rows, the rest submitted. Prints the median of ``--runs``
requests after one warm-up and the number of queries of each page; the official roll-up both
cold (cache cleared before each request: the first request after an approval) and cached (every
later one, until the round moves). Target: ≤ 300 ms each on PostgreSQL. Timings are reported,
never asserted in the test suite.
"""

# The SQL below is built from constants only (no user input): S608 does not apply.

import argparse
import datetime as dt
import statistics
import time

from benchmarks.bench_project_list import _setup_django

PLATFORMS = 3000
CODE = "2025"
TARGET_MS = 300


def _users():
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from platforms.models import Zone, ZoneMembership

    user_model = get_user_model()
    admin, _ = user_model.objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    manager, _ = user_model.objects.get_or_create(username="bench-returns-manager")
    zone = Zone.objects.annotate(n=Count("platforms")).order_by("-n").first()
    ZoneMembership.objects.get_or_create(user=manager, zone=zone)
    return admin, manager, zone


def _platforms():
    """Up to 3,000 active platforms (the bulk data has a few hundred): new ones without
    projects, spread over the zones."""
    from platforms.choices import PlatformStatus, Sector
    from platforms.models import Platform, Zone

    active = Platform.objects.filter(status=PlatformStatus.ACTIVE).count()
    missing = PLATFORMS - active
    if missing <= 0:
        return
    zones = list(Zone.objects.order_by("pk"))
    sectors = Sector.values
    Platform.objects.bulk_create(
        Platform(
            name=f"基准中试平台{n:05d}",
            zone=zones[n % len(zones)],
            sector=sectors[n % len(sectors)],
            status=PlatformStatus.ACTIVE,
        )
        for n in range(missing)
    )


def _round(admin):
    """Round 2025 for every zone with its 3,000 returns frozen in bulk."""
    from django.db import connection
    from django.db.models import Count, OuterRef, Q, Subquery, Sum
    from django.db.models.functions import Coalesce
    from django.utils import timezone

    from projects.models import Project
    from projects.returns import services
    from projects.returns.models import PeriodReturn, ReportingPeriod

    round_ = ReportingPeriod.objects.filter(code=CODE).first()
    if round_ is not None:
        return round_
    started = time.perf_counter()
    round_ = services.open_round(CODE, dt.date(2026, 1, 31), None, admin)
    start, end = round_.start_on, round_.end_on
    projects = (
        Project.objects.filter(platform_id=OuterRef("platform_id"), start_on__lte=end)
        .order_by()
        .values("platform_id")
    )

    def per_platform(aggregate):
        return Coalesce(Subquery(projects.annotate(v=aggregate).values("v")), 0)

    now = timezone.now()
    figures = {
        "projects_cumulative": per_platform(Count("pk")),
        "projects_new": per_platform(Count("pk", filter=Q(start_on__gte=start))),
        "projects_active": 0,
        "enterprises_cumulative": per_platform(Count("enterprise", distinct=True)),
        "new_products_cumulative": per_platform(Count("pk", filter=Q(new_product=True))),
        "service_revenue_cumulative": per_platform(Sum("service_revenue")),
        "output_value_cumulative": per_platform(Sum("output_value")),
        "financing_period": 0,
        "financing_cumulative": 0,
        "yield_projects": per_platform(Count("yield_gain_pp")),
        "yield_gain_pp_total": per_platform(Sum("yield_gain_pp")),
    }
    returns = PeriodReturn.objects.filter(period=round_)
    returns.update(
        **figures,
        grants=0,
        staff_headcount=20,
        incubated_firms=1,
        frozen_at=now,
        submitted_by=admin,
        submitted_at=now,
        status="submitted",
    )
    for column in ("projects", "enterprises", "new_products"):
        returns.update(**{f"{column}_increment": Coalesce(f"{column}_cumulative", 0)})
    returns.update(
        service_revenue_increment=Coalesce("service_revenue_cumulative", 0),
        output_value_increment=Coalesce("output_value_cumulative", 0),
        financing_increment=0,
    )
    approved = [
        pk for n, pk in enumerate(returns.order_by("pk").values_list("pk", flat=True)) if n % 3
    ]
    PeriodReturn.objects.filter(pk__in=approved).update(
        status="approved", approved_at=now, reviewed_by=admin, reviewed_at=now
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO returns_returnprojectrow (period_return_id, project_id, code, title, "
            "confidentiality, status, start_on, end_on, is_new, is_active, new_product, "
            "enterprise_uscc, enterprise_ref, service_revenue, output_value, financing_period, "
            "financing_cumulative, yield_gain_pp) "
            "SELECT r.id, p.id, p.code, p.title, p.confidentiality, p.status, p.start_on, "
            "p.end_on, p.start_on >= %s, false, p.new_product, e.uscc, e.id, p.service_revenue, "
            "p.output_value, 0, 0, p.yield_gain_pp FROM projects_project p "
            "JOIN projects_enterprise e ON e.id = p.enterprise_id "
            "JOIN returns_periodreturn r ON r.platform_id = p.platform_id AND r.period_id = %s "
            "WHERE p.start_on <= %s AND r.status = 'approved'",
            [start, round_.pk, end],
        )
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE returns_periodreturn")
            cursor.execute("ANALYZE returns_returnprojectrow")
    print(f"data: round {CODE}, 3,000 returns frozen in {time.perf_counter() - started:.1f} s")
    return round_


def _time(client, url, runs, cold):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up: connection, templates
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(runs):
        if cold:
            cache.clear()  # the official roll-up computed from scratch (sessions live apart)
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(timings), len(queries.captured_queries)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed requests per case (median)")
    args = parser.parse_args(argv)
    _setup_django()
    from django.db import connection
    from django.test import Client

    from projects.returns.models import PeriodReturn, ReturnProjectRow

    admin, manager, zone = _users()
    _platforms()
    _round(admin)
    returns = PeriodReturn.objects.filter(period__code=CODE)
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; round {CODE}: "
        f"{returns.count():,} returns, {returns.filter(status='approved').count():,} approved, "
        f"{ReturnProjectRow.objects.count():,} frozen project rows"
    )
    nationwide = f"/reports/rollup.json?period={CODE}&basis=returns"
    one_zone = f"{nationwide}&zone={zone.pk}"
    cases = [
        ("board, administrator (3,000 rows)", admin, f"/returns/{CODE}/", False),
        ("status.json, administrator", admin, f"/returns/{CODE}/status.json", False),
        (f"board, manager of {zone}", manager, f"/returns/{CODE}/", False),
        ("returns roll-up JSON, nationwide, cold", admin, nationwide, True),
        ("returns roll-up JSON, nationwide, cached", admin, nationwide, False),
        (f"returns roll-up JSON, {zone}, cold", admin, one_zone, True),
        (
            "returns roll-up page, nationwide, cached",
            admin,
            f"/reports/?period={CODE}&basis=returns",
            False,
        ),
    ]
    worst = 0.0
    for name, user, url, cold in cases:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        median, queries = _time(client, url, args.runs, cold)
        worst = max(worst, median)
        print(f"{name:<48} median {median:8.1f} ms  ({queries} queries)")
    verdict = "OK" if worst <= TARGET_MS else "SLOWER THAN TARGET"
    print(f"worst median: {worst:.1f} ms (target ≤ {TARGET_MS} ms): {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

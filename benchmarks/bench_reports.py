"""Benchmark of the report queries against the bare SQL of the same aggregates.

Run after ``python manage.py generate_bulk --projects 1000000`` has loaded the configured
database (SQLite by default, PostgreSQL when ``DATABASE_URL`` is set)::

    python -m benchmarks.bench_reports [--runs 7]

Then (``scale_cases``) the cold roll-ups — the first report after a committed write, which
recomputes only the written platform's summary — the ``/platforms/`` first page for the
superuser and the largest zone's manager, and how long a writer waits for another writer's
open transaction (PostgreSQL). Targets: cold nationwide ≤ 500 ms, ``/platforms/`` ≤ 100 ms.

For each case (the nationwide roll-up, a one-zone roll-up, the by-platform table) it prints the
median time of the report function computing from scratch (ORM, unscoped like an
administrator) next to the median time of hand-written SQL computing the same figures through
a cursor, and, for the roll-ups, the time of the path the page and the JSON take
(``Report.headline``: the headline cache, valid until the next write). Targets: report ≤ 1.5 ×
SQL + 50 ms, and the nationwide roll-up ≤ 500 ms on PostgreSQL (met through the cache).
Timings are reported, never asserted in the test suite.
"""

# The SQL below is built from constants only (no user input): S608 does not apply.
# ruff: noqa: S608

import argparse
import os
import statistics
import sys
import time


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()


def _fen(column: str, vendor: str) -> str:
    if vendor == "sqlite":
        return f"CAST(ROUND({column} * 100) AS INTEGER)"
    return f"({column} * 100)"


def bare_rollup_sql(vendor: str, zone_id: int | None) -> list[tuple[str, list]]:
    """The headline's five statements as a DBA would write them (a join for the zone filter)."""
    join = "JOIN platforms_platform pl ON pl.id = p.platform_id" if zone_id else ""
    where = "WHERE pl.zone_id = %s" if zone_id else ""
    params = [zone_id] if zone_id else []
    platform_where = "WHERE pl.zone_id = %s" if zone_id else ""
    median = (
        "SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY p.yield_gain_pp) "
        f"FROM projects_project p {join} {where} "
        f"{'AND' if where else 'WHERE'} p.yield_gain_pp IS NOT NULL"
    )
    if vendor == "sqlite":
        gains = (
            f"SELECT p.yield_gain_pp AS g FROM projects_project p {join} {where} "
            f"{'AND' if where else 'WHERE'} p.yield_gain_pp IS NOT NULL"
        )
        median = (
            f"SELECT AVG(g) FROM (SELECT g FROM ({gains}) ORDER BY g "
            f"LIMIT 2 - (SELECT COUNT(*) FROM ({gains})) %% 2 "
            f"OFFSET ((SELECT COUNT(*) FROM ({gains})) - 1) / 2)"
        )
    key = (
        "EXISTS (SELECT 1 FROM platforms_recognition r JOIN platforms_recognitionlist l "
        "ON l.id = r.recognition_list_id WHERE r.platform_id = pl.id AND r.revoked_on IS NULL "
        "AND l.level = 'miit_key')"
    )
    return [
        (
            f"SELECT COUNT(*), COUNT(*) FILTER (WHERE {key}), COUNT(DISTINCT pl.zone_id), "
            "COUNT(DISTINCT z.province_id), MAX(z.province_id) FROM platforms_platform pl "
            f"JOIN platforms_zone z ON z.id = pl.zone_id {platform_where}",
            params,
        ),
        (
            "SELECT COUNT(*), SUM(t.entries) FROM platforms_recognitionlist l "
            "LEFT JOIN platforms_provincelisttotal t ON t.recognition_list_id = l.id "
            "AND t.province_id = (SELECT MIN(id) FROM platforms_province) "
            "WHERE l.level = 'miit_key' AND EXISTS (SELECT 1 FROM platforms_recognition r "
            "JOIN platforms_platform pl ON pl.id = r.platform_id WHERE r.recognition_list_id "
            f"= l.id AND r.revoked_on IS NULL {'AND pl.zone_id = %s' if zone_id else ''})",
            params,
        ),
        (
            "SELECT COUNT(*), COUNT(DISTINCT p.enterprise_id), "
            "COUNT(*) FILTER (WHERE p.new_product), COUNT(p.yield_gain_pp), "
            f"AVG(p.yield_gain_pp), SUM({_fen('p.service_revenue', vendor)}), "
            f"SUM({_fen('p.output_value', vendor)}) FROM projects_project p {join} {where}",
            params,
        ),
        (
            f"SELECT SUM({_fen('f.amount', vendor)}), COUNT(*) FROM projects_financing f "
            f"JOIN projects_project p ON p.id = f.project_id {join} {where}",
            params,
        ),
        (median, params * 3 if vendor == "sqlite" else params),
    ]


def bare_by_platform_sql(vendor: str) -> list[tuple[str, list]]:
    """The by-platform table: projects grouped by platform, and financing grouped by platform."""
    key = (
        "EXISTS (SELECT 1 FROM platforms_recognition r JOIN platforms_recognitionlist l "
        "ON l.id = r.recognition_list_id WHERE r.platform_id = pl.id AND r.revoked_on IS NULL "
        "AND l.level = 'miit_key')"
    )
    return [
        (
            f"SELECT pl.id, pl.name, z.name, pl.sector, {key}, COUNT(p.id), "
            "COUNT(DISTINCT p.enterprise_id), COUNT(p.id) FILTER (WHERE p.new_product), "
            f"COUNT(p.yield_gain_pp), AVG(p.yield_gain_pp), "
            f"SUM({_fen('p.service_revenue', vendor)}), SUM({_fen('p.output_value', vendor)}) "
            "FROM platforms_platform pl JOIN platforms_zone z ON z.id = pl.zone_id "
            "LEFT JOIN projects_project p ON p.platform_id = pl.id "
            "GROUP BY pl.id, pl.name, z.name, pl.sector ORDER BY pl.name",
            [],
        ),
        (
            f"SELECT p.platform_id, SUM({_fen('f.amount', vendor)}), COUNT(*) "
            "FROM projects_financing f JOIN projects_project p ON p.id = f.project_id "
            "GROUP BY p.platform_id",
            [],
        ),
    ]


def _run_sql(statements):
    from django.db import connection

    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)  # always with a list, so "%%" is a literal %
            cursor.fetchall()


def _median_ms(function, runs: int) -> float:
    function()  # warm the caches (and the connection) once, untimed
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per case (median)")
    parser.add_argument("--scale-only", action="store_true", help="only the cold and scale cases")
    args = parser.parse_args(argv)
    _setup()
    if args.scale_only:
        return scale_cases(args.runs)
    from django.db import connection

    from platforms.models import Zone
    from projects.models import Project
    from projects.reports import queries
    from projects.reports.scope import Scope, command_user

    projects = Project.objects.count()
    if not projects:
        print("No projects: run `python manage.py generate_bulk --projects 1000000` first.")
        return 1
    vendor = connection.vendor
    user = command_user()
    zone = Zone.objects.order_by("pk").first()
    cases = [
        (
            "nationwide roll-up",
            lambda: queries.headline(Scope(), user),
            bare_rollup_sql(vendor, None),
            lambda: queries.Report(Scope(), user).headline,
        ),
        (
            f"one-zone roll-up ({zone.name_en or zone.name})",
            lambda: queries.headline(Scope(zone=zone), user),
            bare_rollup_sql(vendor, zone.pk),
            lambda: queries.Report(Scope(zone=zone), user).headline,
        ),
        (
            "by-platform table",
            lambda: queries.by_platform(Scope(), user),
            bare_by_platform_sql(vendor),
            None,
        ),
    ]
    print(f"{vendor}: {projects:,} projects; median of {args.runs} runs after one warm-up")
    print(f"{'case':44} {'report':>9} {'bare SQL':>9} {'target':>9} {'cached':>9}  result")
    failures = 0
    for name, report, statements, cached in cases:
        orm = _median_ms(report, args.runs)
        bare = _median_ms(lambda statements=statements: _run_sql(statements), args.runs)
        target = 1.5 * bare + 50
        if vendor == "postgresql" and name == "nationwide roll-up":
            target = min(target, 500)
        served, cached_text = orm, "—"
        if cached is not None:
            served = _median_ms(cached, args.runs)  # the warm-up run fills the cache
            cached_text = f"{served:.1f}ms"
        ok = served <= target
        failures += not ok
        print(
            f"{name:44} {orm:7.0f}ms {bare:7.0f}ms {target:7.0f}ms {cached_text:>9}  "
            f"{'ok' if ok else 'SLOW'}"
        )
    failures += scale_cases(args.runs)
    return 1 if failures else 0


def _one_write(rng, scope=None):
    """A committed write to one random project of ``scope`` (its next report is then cold)."""
    from django.db import transaction
    from django.db.models import F

    from projects.models import Project

    projects = Project.objects.filter(scope.project_q()) if scope else Project.objects.all()
    ids = projects.order_by("pk").values_list("pk", flat=True)
    project = ids[rng.randrange(min(ids.count(), 10_000))]
    with transaction.atomic():
        Project.objects.filter(pk=project).update(service_revenue=F("service_revenue"))


def _cold_ms(rng, function, runs: int, scope=None) -> float:
    """Median time of ``function`` right after a committed write (first request after it)."""
    times = []
    for _ in range(runs):
        _one_write(rng, scope)
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _contention_ms(same_platform: bool) -> float:
    """How long a writer waits to update and commit while another writer's transaction is open.

    Two connections with ``lock_timeout = 1s``: the first updates a project and stays open,
    the second updates another project (of another platform, or of the same one) and commits.
    """
    import psycopg
    from django.db import connection

    from projects.models import Project

    first_project = Project.objects.order_by("pk").values("pk", "platform_id").first()
    others = Project.objects.order_by("pk")
    if same_platform:
        others = others.filter(platform_id=first_project["platform_id"])
    else:
        others = others.exclude(platform_id=first_project["platform_id"])
    second_project = others.exclude(pk=first_project["pk"]).values_list("pk", flat=True).first()
    settings = connection.settings_dict
    params = {
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "password": settings["PASSWORD"] or None,
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
    }
    update = "UPDATE projects_project SET service_revenue = service_revenue WHERE id = %s"
    with psycopg.connect(**params) as first, psycopg.connect(**params) as second:
        for writer in (first, second):
            writer.execute("SET lock_timeout = '1s'")
        first.execute(update, [first_project["pk"]])
        started = time.perf_counter()
        second.execute(update, [second_project])
        second.commit()
        waited = (time.perf_counter() - started) * 1000
        first.commit()
    return waited


def scale_cases(runs: int) -> int:
    """Cold roll-ups (first report after a write), ``/platforms/`` and two writers (issue 13)."""
    import random

    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from benchmarks.bench_project_list import _users
    from platforms.models import Zone
    from projects.reports import queries
    from projects.reports.scope import Scope, command_user

    rng = random.Random(1)
    user = command_user()
    zone = Zone.objects.annotate(n=Count("platforms__projects")).order_by("-n").first()
    print(f"\ncold = first report after a committed write to one random project (median of {runs})")
    queries.headline(Scope(), user)  # summaries of every platform (after a migrate: all)
    failures = 0
    for name, scope, target in [
        ("nationwide roll-up, cold", Scope(), 500),
        (f"one-zone roll-up, cold ({zone.name_en or zone.name})", Scope(zone=zone), None),
    ]:
        cold = _cold_ms(rng, lambda scope=scope: queries.Report(scope, user).headline, runs, scope)
        ok = target is None or cold <= target
        failures += not ok
        print(f"{name:60} {cold:7.0f}ms  {'' if target is None else 'ok' if ok else 'SLOW'}")
    for role, member in _users().items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(member)
        client.get("/platforms/")  # warm-up
        current = _median_ms(lambda client=client: client.get("/platforms/"), runs)
        cold = _cold_ms(rng, lambda client=client: client.get("/platforms/"), runs)
        ok = current <= 100
        failures += not ok
        print(
            f"/platforms/ first page, {role:34} {current:7.0f}ms (after a write {cold:.0f}ms)  "
            f"{'ok' if ok else 'SLOW'}"
        )
    if connection.vendor == "postgresql":
        for same in (False, True):
            waited = _contention_ms(same)
            what = "the same platform" if same else "another platform"
            print(f"second writer ({what}) while the first is open: {waited:.1f} ms to commit")
    return failures


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of the briefing pack: ``/reports/briefing.docx`` and ``/reports/report.xlsx`` of
one zone (Chengdu High-tech Zone when the database holds the demo data, else the zone with the
most projects), built as the views build them, for an administrator::

    python -m benchmarks.bench_documents [--runs 5] [--zone NAME]

Two timings per document (medians): *cold*, the report computed from scratch (the report cache
off), and *warm*, the report's sections read from the cache as after a first download, so only
the document is built. Target (issue 11): each under 2 s on the demo data. Timings are
reported, never asserted in the test suite.
"""

import argparse
import os
import statistics
import sys
import time


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()


def _zone(name):
    from django.db.models import Count

    from platforms.models import Zone

    if name:
        return Zone.objects.get(name=name)
    chengdu = Zone.objects.filter(name="成都高新区").first()
    if chengdu is not None:
        return chengdu
    return Zone.objects.annotate(n=Count("platforms__projects")).order_by("-n").first()


def _median_ms(build, runs: int) -> float:
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        build()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--zone", default="")
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    _setup()
    from django.test.utils import override_settings
    from django.utils import translation

    from projects.models import Project
    from projects.reports.documents.docx import briefing_docx
    from projects.reports.documents.xlsx import report_xlsx
    from projects.reports.queries import Report
    from projects.reports.scope import Scope, command_user

    zone = _zone(args.zone)
    user = command_user()
    projects = Project.objects.filter(platform__zone=zone).count()
    print(f"zone: {zone.name} ({projects:,} projects), {args.runs} runs each, medians")
    with translation.override("zh-hans"):
        briefing_docx(Report(Scope(zone=zone), user))  # imports matplotlib, fills the cache
        for name, build in (("briefing.docx", briefing_docx), ("report.xlsx", report_xlsx)):
            with override_settings(REPORTS_CACHE_SECONDS=0):
                cold = _median_ms(lambda b=build: b(Report(Scope(zone=zone), user)), args.runs)
            warm = _median_ms(lambda b=build: b(Report(Scope(zone=zone), user)), args.runs)
            size = len(build(Report(Scope(zone=zone), user)))
            print(f"{name:<14} cold {cold:8.0f} ms   warm {warm:8.0f} ms   {size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

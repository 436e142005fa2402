"""Benchmark of the import: 100,000 projects with 300,000 yield runs from one .xlsx.

Run against the database of ``DATABASE_URL`` (migrated first), e.g.::

    DATABASE_URL=sqlite:////tmp/pt_imports_bench.sqlite3 python -m benchmarks.bench_import
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pt_imports python -m benchmarks.bench_import

It generates the workbook itself (openpyxl write-only: platforms, enterprises, projects, runs),
then measures, each on an emptied database:
1. the import (check + write with history + yield summaries) and the peak RSS after it;
2. the same file with one bad row at the end: nothing written, the row reported;
3. a bare ``bulk_create`` of the same rows (no checks, no history), for the ratio.
Benchmarks are never run as tests.
"""

import argparse
import datetime as dt
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _uscc(n: int) -> str:
    from tracker.validators import uscc_check_character

    first17 = f"91510100{n:09d}"
    return first17 + uscc_check_character(first17)


STAGES = ["EVT", "DVT", "PVT"]


def project_row(i: int, platforms: int, enterprises: int) -> list:
    start = dt.date(2019, 1, 1) + dt.timedelta(days=i % 2400)
    return [
        f"BENCH-{i:07d}",
        f"基准平台{i % platforms:03d}",
        _USCCS[i % enterprises],
        f"智能硬件中试项目{i}",
        "智能相机模组",
        "discrete",
        "PVT",
        "in_progress",
        start,
        None,
        Decimal(100000 + i % 997 * 100) / 1,
        Decimal(1000000 + i % 991 * 1000),
        i % 3 == 0,
        "public",
    ]


def run_row(i: int, seq: int) -> list:
    start = dt.date(2019, 1, 1) + dt.timedelta(days=i % 2400)
    return [
        f"BENCH-{i:07d}",
        STAGES[seq],
        1,
        start + dt.timedelta(days=30 * (seq + 1)),
        100,
        40 + 25 * seq,
        None,
        "pcs",
        "",
    ]


_USCCS: list[str] = []


def generate(path: Path, projects: int, runs_per_project: int, bad_row=False) -> None:
    """Write the benchmark workbook in write-only mode (streamed, little memory)."""
    from openpyxl import Workbook

    from projects.imports.registry import registry

    platforms, enterprises = 100, max(projects // 5, 1)
    if not _USCCS:
        _USCCS.extend(_uscc(n) for n in range(1, enterprises + 1))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("platforms")
    sheet.append(["name", "zone", "sector"])
    for p in range(platforms):
        sheet.append([f"基准平台{p:03d}", "基准高新区", "information_technology"])
    sheet = workbook.create_sheet("enterprises")
    sheet.append(["uscc", "name", "size"])
    for e, code in enumerate(_USCCS):
        sheet.append([code, f"基准科技有限公司{e}", "small"])
    sheet = workbook.create_sheet("projects")
    sheet.append([column.english for column in registry.sheet("projects").columns])
    for i in range(projects):
        sheet.append(project_row(i, platforms, enterprises))
    sheet = workbook.create_sheet("yield_runs")
    sheet.append([column.english for column in registry.sheet("yield_runs").columns])
    for i in range(projects):
        for seq in range(runs_per_project):
            sheet.append(run_row(i, seq))
    if bad_row:
        bad = run_row(0, 0)
        bad[2], bad[5] = 99, 500  # a new run whose passed units exceed the tested ones
        sheet.append(bad)
    workbook.save(path)


def _empty_database():
    from platforms.models import Platform
    from projects.models import Enterprise, Financing, Project, YieldRun

    # Raw deletes: a plain delete() would send post_delete (and refresh a project's yield
    # summary) for each of 300,000 runs.
    for model in (YieldRun, Financing, Project, Enterprise, Platform):
        model.history.all()._raw_delete(model.history.db)
        model.objects.all()._raw_delete(model.objects.db)


def _cpu() -> float:
    """CPU seconds of this process: on a shared, busy machine a fairer figure than wall time
    (for SQLite all the work is in this process; PostgreSQL's server side is not included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _import(path: Path):
    from projects.imports.models import ImportBatch
    from projects.imports.service import execute

    batch = ImportBatch.objects.create(file_name=path.name, kind="workbook")
    started, cpu = time.perf_counter(), _cpu()
    batch.check_seconds = None
    for event in execute(batch, path, dry_run=False):
        if event.phase == "write" and batch.check_seconds is None:
            batch.check_seconds = time.perf_counter() - started
    batch.cpu_seconds = _cpu() - cpu
    seconds = time.perf_counter() - started
    if batch.check_seconds is not None:
        _print(f"  check {batch.check_seconds:.1f}s, write {seconds - batch.check_seconds:.1f}s")
    return seconds, batch


def _bare_bulk_create(projects: int, runs_per_project: int, zone) -> float:
    """The same rows with plain bulk_create: no parsing, checks, history or summaries."""
    from platforms.models import Platform
    from projects.models import Enterprise, Project, YieldRun

    started = time.perf_counter()
    platforms = Platform.objects.bulk_create(
        Platform(name=f"基准平台{p:03d}", zone=zone, sector="information_technology")
        for p in range(100)
    )
    enterprises = Enterprise.objects.bulk_create(
        (
            Enterprise(uscc=code, name=f"基准科技有限公司{e}", size="small")
            for e, code in enumerate(_USCCS)
        ),
        batch_size=2000,
    )
    fields = [
        "code", "platform", "enterprise", "title", "product", "track", "stage", "status",
        "start_on", "end_on", "service_revenue", "output_value", "new_product", "confidentiality",
    ]  # fmt: skip
    for start in range(0, projects, 2000):
        batch = []
        for i in range(start, min(start + 2000, projects)):
            values = dict(zip(fields, project_row(i, 100, len(_USCCS)), strict=True))
            values["platform"] = platforms[i % 100]
            values["enterprise"] = enterprises[i % len(_USCCS)]
            batch.append(Project(**values))
        created = Project.objects.bulk_create(batch)
        runs = [
            YieldRun(
                project=project,
                stage=row[1],
                sequence=row[2],
                measured_on=row[3],
                units_tested=row[4],
                units_passed=row[5],
                unit="pcs",
            )
            for project, i in zip(created, range(start, start + len(created)), strict=True)
            for row in (run_row(i, seq) for seq in range(runs_per_project))
        ]
        YieldRun.objects.bulk_create(runs, batch_size=2000)
    return time.perf_counter() - started


def _print(*args):
    print(*args, flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="yield runs per project")
    parser.add_argument("--skip-bare", action="store_true")
    args = parser.parse_args(argv)
    _setup_django()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False  # as in production: no SQL logging on every query

    from platforms.models import Zone
    from projects.models import Project, YieldRun
    from tests.factories import ProvinceFactory

    province = ProvinceFactory(code="51", name="四川省")
    zone, _created = Zone.objects.get_or_create(name="基准高新区", defaults={"province": province})
    workdir = Path(tempfile.mkdtemp(prefix="pt-imports-bench-"))
    good, bad = workdir / "bench.xlsx", workdir / "bench-bad.xlsx"
    started = time.perf_counter()
    # Generated in child processes, so that the peak RSS measured below is the import's own.
    from django.db import connections

    connections.close_all()  # a forked child must not share the parent's database connection
    context = multiprocessing.get_context("fork")
    children = [
        context.Process(target=generate, args=(good, args.projects, args.runs)),
        context.Process(target=generate, args=(bad, args.projects, args.runs, True)),
    ]
    for child in children:
        child.start()
    for child in children:
        child.join()
    _USCCS.extend(_uscc(n) for n in range(1, max(args.projects // 5, 1) + 1))
    _print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    _print(
        f"database: {connection.vendor}; files generated in {time.perf_counter() - started:.1f}s"
        f" ({good.stat().st_size / 1e6:.1f} MB)"
    )

    _empty_database()
    seconds, batch = _import(good)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    _print(
        f"import: {seconds:.1f}s wall, {batch.cpu_seconds:.1f}s CPU, "
        f"outcome {batch.outcome}, counts {batch.counts}, "
        f"peak RSS {peak_mb:.0f} MB"
    )
    _print(f"  rows now: {Project.objects.count()} projects, {YieldRun.objects.count()} runs")

    _empty_database()
    bad_seconds, bad_batch = _import(bad)
    _print(
        f"bad file: {bad_seconds:.1f}s wall, {bad_batch.cpu_seconds:.1f}s CPU, "
        f"outcome {bad_batch.outcome}, errors "
        f"{bad_batch.errors}, projects written {Project.objects.count()}"
    )

    if not args.skip_bare:
        _empty_database()
        cpu = _cpu()
        bare = _bare_bulk_create(args.projects, args.runs, zone)
        bare_cpu = _cpu() - cpu
        _print(
            f"bare bulk_create: {bare:.1f}s wall, {bare_cpu:.1f}s CPU; import / bare = "
            f"{seconds / bare:.1f}x wall, {batch.cpu_seconds / bare_cpu:.1f}x CPU"
        )
    _empty_database()
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

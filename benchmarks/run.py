"""``make bench``: load 1,000,000 generated projects once, then run every benchmark on them.

The projects are written by ``generate_bulk`` (``tracker/devdata/bulk.py``). The data goes into
its own database so the demo database is never touched: a SQLite file
``bench-results/bench.sqlite3`` by default, or PostgreSQL when ``DATABASE_URL`` is set. Loading
is skipped when the database already holds the requested number of generated projects.
The import benchmark empties the database it runs on, so it gets a scratch database of its own
(``bench-results/import.sqlite3``, or ``<name>_import`` on the same PostgreSQL server) and runs
in a child process.
Usage: ``python -m benchmarks.run [--projects N] [--only NAME ...]``.
"""

import argparse
import importlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = [
    "bench_project_list",
    "bench_lists",
    "bench_reports",
    "bench_returns",
    "bench_documents",
    "bench_import",
]
EMPTIES_ITS_DATABASE = {"bench_import"}


def configure_database() -> str:
    if not os.environ.get("DATABASE_URL"):
        folder = ROOT / "bench-results"
        folder.mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    return os.environ["DATABASE_URL"]


def scratch_database_url(url: str) -> str:
    """A second database beside the benchmark one, created on PostgreSQL if missing."""
    if url.startswith("sqlite"):
        return f"sqlite:///{ROOT / 'bench-results' / 'import.sqlite3'}"
    import psycopg

    base, _, name = url.rpartition("/")
    scratch = f"{name}_import"
    with psycopg.connect(url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [scratch]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{scratch}"')
    return f"{base}/{scratch}"


def run_in_scratch_database(name: str, url: str) -> None:
    env = {**os.environ, "DATABASE_URL": scratch_database_url(url)}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", f"benchmarks.{name}"], cwd=ROOT, env=env, check=True
    )


def ensure_data(projects: int) -> None:
    from django.core.management import call_command

    from projects.models import Project

    call_command("migrate", verbosity=0, interactive=False)
    present = Project.objects.count()
    if present >= projects:
        print(f"data: {present:,} projects already loaded")
        return
    started = time.perf_counter()
    call_command("generate_bulk", projects=projects - present)
    print(
        f"data: generate_bulk --projects {projects - present:,} took "
        f"{time.perf_counter() - started:.1f} s"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=1_000_000)
    parser.add_argument("--only", nargs="*", choices=BENCHMARKS)
    args = parser.parse_args(argv)
    url = configure_database()
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    print(f"database: {url.split('@')[-1]}")
    ensure_data(args.projects)
    for name in args.only or BENCHMARKS:
        print(f"\n## {name}")
        if name in EMPTIES_ITS_DATABASE:
            run_in_scratch_database(name, url)
            continue
        sys.argv = [name]  # each benchmark parses its own (empty) command line
        importlib.import_module(f"benchmarks.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main())

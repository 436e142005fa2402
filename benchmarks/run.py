"""``make bench``: load 1,000,000 generated projects once, then run every benchmark on them.

The data goes into its own database so the demo database is never touched: a SQLite file
``bench-results/bench.sqlite3`` by default, or PostgreSQL when ``DATABASE_URL`` is set. Loading
is skipped when the database already holds the requested number of generated projects.
Usage: ``python -m benchmarks.run [--projects N] [--only NAME ...]``.
"""

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ["bench_project_list", "bench_reports", "bench_import"]


def configure_database() -> str:
    if not os.environ.get("DATABASE_URL"):
        folder = ROOT / "bench-results"
        folder.mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    return os.environ["DATABASE_URL"]


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
        sys.argv = [name]  # each benchmark parses its own (empty) command line
        importlib.import_module(f"benchmarks.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main())

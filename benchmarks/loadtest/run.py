"""``make loadtest``: the whole site under mixed load on PostgreSQL, judged (issue 13, item 6).

``python -m benchmarks.loadtest.run`` (never part of ``make test``):

1. creates (or reuses) the database ``LOADTEST_DATABASE_URL`` (default
   ``postgres://postgres@127.0.0.1:5432/loadtest``), migrates it, loads 100,000 generated
   projects once (``LOADTEST_PROJECTS``), creates the test users (``dataset.py``) and writes
   the 10,000-project workbook (``LOADTEST_IMPORT_PROJECTS``, 0 for none);
2. starts gunicorn with 3 workers on 127.0.0.1 with production settings (``DEBUG=0``, a new
   ``SECRET_KEY``, ``SECURE_SSL_REDIRECT=0``, Redis at ``LOADTEST_REDIS_URL``) and, if the
   code has ``tracker/celery.py``, one ``celery -A tracker worker`` (broker
   ``LOADTEST_BROKER_URL``); without it imports run in the web process;
3. runs Locust headless (``locustfile.py``) for ``LOADTEST_SECONDS`` (60) with
   ``LOADTEST_WRITERS`` (20) staff writers and ``LOADTEST_MANAGERS`` (6) managers, and one
   import started at the middle of the run;
4. stops everything and prints requests, p50/p95 and errors per endpoint and per category.

Exit 1 on any 5xx, any deadlock, lock timeout or cancelled statement of this database in the
PostgreSQL log (``LOADTEST_PG_LOG``, default the newest ``/var/log/postgresql/*.log``), or any
lost update; targets missed (errors, p95 ceilings, the import) also exit 1 unless
``LOADTEST_TARGETS=warn``. Files go to ``bench-results/loadtest/``.
"""

import json
import os
import resource
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from glob import glob
from pathlib import Path

from benchmarks.loadtest import checks

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench-results" / "loadtest"
BIN = Path(sys.executable).parent


def setting(name: str, default: str) -> str:
    return os.environ.get(f"LOADTEST_{name}", default)


def say(text: str) -> None:
    print(text, flush=True)


def ensure_database(url: str) -> str:
    """Create the database if missing; log its lock waits (this database only)."""
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
        connection.execute(f'ALTER DATABASE "{name}" SET log_lock_waits = on')
    return name


def prepare(workbook: Path) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from benchmarks.loadtest import dataset

    call_command("migrate", verbosity=0, interactive=False)
    dataset.ensure_projects(int(setting("PROJECTS", "100000")), say)
    dataset.remove_previous_import(say)
    plan = dataset.prepare_users(
        writers=int(setting("WRITERS", "20")),
        managers=int(setting("MANAGERS", "6")),
        hot_projects=int(setting("HOT_PROJECTS", "20")),
        password=setting("PASSWORD", "") or secrets.token_urlsafe(16),
        say=say,
    )
    imported = int(setting("IMPORT_PROJECTS", "10000"))
    plan["workbook"] = str(workbook) if imported else ""
    if imported:
        started = time.perf_counter()
        dataset.write_workbook(workbook, imported, plan["importer"]["platform"])
        say(f"import file: {imported:,} projects, {time.perf_counter() - started:.0f} s to write")
    plan["run"] = secrets.token_hex(3)
    connections.close_all()
    return plan


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(url: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "REDIS_URL": setting("REDIS_URL", "redis://127.0.0.1:6379/6"),
        "CELERY_BROKER_URL": setting("BROKER_URL", "redis://127.0.0.1:6379/6"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def start(command: list[str], log: Path, env: dict) -> subprocess.Popen:
    handle = log.open("w")
    return subprocess.Popen(  # noqa: S603 (our own virtualenv's programs)
        command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen | None) -> None:
    """SIGTERM to the process group we started (gunicorn's or celery's workers too)."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_for(base: str, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (see {OUT / 'gunicorn.log'})")
        try:
            with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer within {seconds:.0f} s")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def postgres_log() -> Path | None:
    chosen = setting("PG_LOG", "")
    if chosen:
        return Path(chosen)
    logs = sorted(glob("/var/log/postgresql/*.log"), key=os.path.getmtime)
    return Path(logs[-1]) if logs else None


def run_services(url: str, env: dict, plan: dict) -> tuple[dict, Path | None, int]:
    """Start the site, run Locust against it, stop everything; returns Locust's results."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
        check=True,
    )  # fmt: skip
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()  # a cold cache, no sessions left over
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    worker = server = None
    log = postgres_log()
    offset = log.stat().st_size if log and log.exists() else 0
    try:
        if (ROOT / "tracker" / "celery.py").exists():
            worker = start(
                [str(BIN / "celery"), "-A", "tracker", "worker", "--concurrency", "1",
                 "--loglevel", "WARNING"], OUT / "celery.log", env,
            )  # fmt: skip
            say(f"queue: one celery worker, broker {env['CELERY_BROKER_URL']}")
        else:
            say("queue: no tracker/celery.py in this code: imports run in the web process")
        server = start(
            [str(BIN / "gunicorn"), "tracker.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "3", "--timeout", "300"], OUT / "gunicorn.log", env,
        )  # fmt: skip
        wait_for(base, server)
        if worker is not None and worker.poll() is not None:
            raise SystemExit(f"the celery worker stopped (see {OUT / 'celery.log'})")
        say(f"gunicorn: 3 workers at {base}; load for {setting('SECONDS', '60')} s")
        results = OUT / "results.json"
        results.unlink(missing_ok=True)
        users = len(plan["writers"]) + len(plan["managers"]) + bool(plan["workbook"])
        plan_file = OUT / "plan.json"
        plan_file.write_text(json.dumps(plan))
        locust_env = {
            **os.environ,
            "LOADTEST_PLAN": str(plan_file),
            "LOADTEST_RESULTS": str(results),
            "LOADTEST_DATABASE_URL": url,
            "PYTHONPATH": str(ROOT),
        }
        seconds = float(setting("SECONDS", "60")) + float(setting("IMPORT_TIMEOUT", "600"))
        cpu = children_cpu()
        with (OUT / "locust.log").open("w") as locust_log:
            subprocess.run(  # noqa: S603
                [str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")),
                 "--headless", "--users", str(users), "--spawn-rate", str(users), "--host", base,
                 "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "30"],
                cwd=ROOT, env=locust_env, timeout=seconds + 300, check=False,
                stdout=locust_log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        cpu, locust_cpu = children_cpu(), children_cpu() - cpu
    finally:
        stop(server)
        stop(worker)
    # The CPU of reaped children: how much of the machine the site and the harness took.
    site = "gunicorn and the celery worker" if worker else "gunicorn"
    say(f"CPU seconds: {site} {children_cpu() - cpu:.0f}, locust {locust_cpu:.0f}")
    if not results.exists():
        raise SystemExit(f"locust wrote no results (see {OUT / 'locust.log'})")
    return json.loads(results.read_text()), log, offset


def stored_descriptions(url: str, projects: set[int]) -> dict[int, str]:
    import psycopg

    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT id, description FROM projects_project WHERE id = ANY(%s)", [list(projects)]
        ).fetchall()
    return dict(rows)


def category_table(title: str, categories: dict) -> None:
    say(f"\n{title:<34}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'5xx':>9}{'errors':>8}")
    for category in checks.CATEGORY_ORDER:
        if category in categories:
            figures = categories[category]
            say(
                f"{category:<34}{figures.requests:>9}{figures.p50:>9.0f}{figures.p95:>9.0f}"
                f"{figures.server_errors:>9}{figures.errors:>8}"
            )


def report(results: dict, problems: list[str], lock_waits: int, edits: list) -> tuple:
    endpoints, categories = checks.summarise(results["samples"])
    state = results["state"]
    say(f"\n{'endpoint':<34}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'errors':>8}")
    for name, figures in sorted(endpoints.items(), key=checks.endpoint_order):
        say(
            f"{name:<34}{figures.requests:>9}{figures.p50:>9.0f}{figures.p95:>9.0f}"
            f"{max(figures.times, default=0):>9.0f}{figures.errors:>8}"
        )
    category_table("category", categories)
    during = checks.started_between(
        results["samples"], state.get("import_began"), state.get("import_ended")
    )
    if during:
        category_table("while the import ran", checks.summarise(during)[1])
    outcomes = [edit.outcome for edit in edits]
    saved, conflicts = outcomes.count(checks.SAVED), outcomes.count(checks.CONFLICT)
    say(
        f"\nedits: {saved} saved, {conflicts} conflicts (409), "
        f"{len(outcomes) - saved - conflicts} other; lock waits ≥ 1 s logged: {lock_waits}"
    )
    lasted = (state.get("ended") or 0) - (state.get("started") or 0)
    if state["import"] == "skipped":
        say(f"import: none (LOADTEST_IMPORT_PROJECTS=0); the run lasted {lasted:.0f} s")
    else:
        note = f" ({state['import_note']})" if state["import_note"] else ""
        say(
            f"import: {state['import']} in {state['import_seconds']} s from its upload{note}; "
            f"the run lasted {lasted:.0f} s"
        )
    server_errors = sum(figures.server_errors for figures in categories.values())
    failures = [f"{server_errors} responses with a 5xx status"] if server_errors else []
    if not saved and int(setting("WRITERS", "20")):
        failures.append("no edit was saved: the lost-update check proved nothing")
    return failures + problems, checks.evaluate_targets(categories, state["import"])


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    url = setting("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/loadtest")
    database = ensure_database(url)
    env = server_environment(url)
    os.environ.update(env)  # this process prepares the data with the server's settings
    say("load average before (1, 5, 15 min): {:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg()))
    plan = prepare(OUT / "import-10000.xlsx")
    results, log, offset = run_services(url, env, plan)
    problems = [
        f"gunicorn: {line.strip()} (a proxy would have answered 502)"
        for line in (OUT / "gunicorn.log").read_text(errors="replace").splitlines()
        if "WORKER TIMEOUT" in line
    ]
    lock_waits = 0
    if log is None or not log.exists():
        problems.append("no PostgreSQL log found (set LOADTEST_PG_LOG): deadlocks not checked")
    else:
        try:
            scan = checks.scan_log(checks.read_log_from(log, offset), database)
        except OSError as error:  # the log is the postgres user's and group adm's only
            scan = checks.LogScan([f"cannot read it ({error}): set LOADTEST_PG_LOG"])
        problems += [f"PostgreSQL log {log}: {line}" for line in scan.problems]
        lock_waits = scan.lock_waits
    edits = [checks.Edit(**edit) for edit in results["edits"]]
    stored = stored_descriptions(url, {edit.project for edit in edits})
    problems += [f"lost update: {text}" for text in checks.check_lost_updates(edits, stored)]
    failures, targets = report(results, problems, lock_waits, edits)
    say("load average after (1, 5, 15 min): {:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg()))
    say("\ntargets:")
    for text, met in targets:
        say(f"  {'PASS' if met else 'FAIL'}  {text}")
    for text in failures:
        say(f"FAILED: {text}")
    missed = not all(met for _, met in targets)
    if failures or (missed and setting("TARGETS", "fail") != "warn"):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

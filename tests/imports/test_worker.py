"""Imports through a real broker and a real ``celery -A tracker worker`` process.

Skipped unless ``CELERY_WORKER_TESTS=1`` (``.ci/run`` sets it, with Redis as the broker:
``CELERY_TEST_BROKER_URL``, default redis://127.0.0.1:6379/3). The test starts the worker itself,
pointed at the test database (committed data: ``transaction=True``) and at the test's upload
storage, on a queue of its own, and sends the jobs there instead of running them eagerly. The
batch only moves on if the worker runs the job: a worker that does not, fails the test by
timeout.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from projects.imports.choices import ImportOutcome
from projects.imports.models import ImportBatch
from projects.models import Project
from tests import factories
from tests.factories import make_uscc
from tests.imports.helpers import PROJECT_HEADER, project_row, row_counts, write_xlsx
from tests.imports.xlsx_parts import lie_about_size, rows_xml, worksheet, write_package

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/3")
WAIT_SECONDS = 90

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        os.environ.get("CELERY_WORKER_TESTS") != "1",
        reason="needs a broker and a worker process: CELERY_WORKER_TESTS=1 (see .ci/run)",
    ),
    pytest.mark.django_db(transaction=True),
]


def database_url() -> str:
    """The test database, as the worker process must reach it."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db.get('HOST') or '127.0.0.1'}:"
        f"{db.get('PORT') or 5432}/{db['NAME']}"
    )


@pytest.fixture
def worker(import_storage, tmp_path):
    """A worker process on a queue of its own, using the test database and storage."""
    from tracker.celery import app

    queue = f"tests-{uuid.uuid4().hex[:12]}"
    environment = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database_url(),
        "CONN_MAX_AGE": "0",  # no connection left open when the test database is dropped
        "MEDIA_ROOT": str(import_storage.parent),
        "CACHE_DIR": str(tmp_path / "worker-cache"),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_QUEUE": queue,
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "tracker", "worker", "--pool=solo"),
            *("--concurrency=1", "--without-gossip", "--without-mingle", "-Q", queue),
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    saved = {
        key: app.conf[key] for key in ("task_always_eager", "broker_url", "task_default_queue")
    }
    app.conf.update(task_always_eager=False, broker_url=BROKER, task_default_queue=queue)
    fresh_connections(app)
    try:
        yield process
    finally:
        app.conf.update(saved)
        fresh_connections(app)
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def fresh_connections(app):
    """Close the app's broker connections, so that the next ones use its current broker."""
    from kombu import pools

    pools.reset()  # closes them and forgets them (kombu keeps one pool per broker)
    app._pool = None
    app.amqp._producer_pool = None


def wait_for_the_job(client, batch, worker, tmp_path) -> dict:
    """Poll status.json, as the batch page does, until the job is done."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        state = client.get(reverse("imports:status", args=[batch.pk])).json()
        if not state["running"]:
            return state
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        time.sleep(0.3)
    pytest.fail(
        f"the worker did not run import #{batch.pk} within {WAIT_SECONDS} s:\n"
        + (tmp_path / "worker.log").read_text()[-3000:]
    )


def upload(client, path):
    client.post(
        reverse("imports:upload"), {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    )
    return ImportBatch.objects.latest("pk")


def test_a_worker_checks_and_writes_an_upload_and_a_replayed_confirm_writes_once(
    client, world, worker, tmp_path
):
    factories.client_of(world["platform_a"], uscc=make_uscc(1))
    rows = [PROJECT_HEADER] + [project_row(f"WK-{n}", world["platform_a"]) for n in range(30)]
    client.force_login(world["staff_a"])
    batch = upload(client, write_xlsx(tmp_path / "worker.xlsx", {"projects": rows}))
    assert batch.outcome == ImportOutcome.CHECKING  # queued, not run by this process
    assert wait_for_the_job(client, batch, worker, tmp_path)["outcome"] == "previewed"
    for _replay in range(3):  # a double click and a replayed POST
        client.post(reverse("imports:confirm", args=[batch.pk]))
    state = wait_for_the_job(client, batch, worker, tmp_path)
    assert state["outcome"] == ImportOutcome.IMPORTED, state
    assert Project.objects.filter(code__startswith="WK-").count() == 30
    assert Project.history.filter(code="WK-0").count() == 1


def test_a_hostile_file_is_refused_by_the_worker_and_nothing_is_written(
    client, world, worker, tmp_path
):
    path = write_package(
        tmp_path / "lying.xlsx", {"projects": worksheet(rows_xml([PROJECT_HEADER]))}
    )
    lie_about_size(path, "xl/worksheets/sheet1.xml", 50)  # its size and checksum lie
    client.force_login(world["staff_a"])
    before = row_counts()
    batch = upload(client, path)
    state = wait_for_the_job(client, batch, worker, tmp_path)
    assert state["outcome"] == ImportOutcome.INVALID and row_counts() == before
    assert worker.poll() is None  # the worker survived it

"""Confirming an import writes it once, however many requests confirm it at the same moment.

Real concurrency on both databases: threads, each with its own database connection (Django's
connections are per thread), post the confirm of one batch after a barrier. Before the claim,
four confirms wrote a batch four times on SQLite and twice on PostgreSQL. (The SQLite test
database is a file in WAL mode, so its writers queue as they do in production.) The same race
is also played out request by request: a confirm arriving while another is under way.
"""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from projects.imports import tasks
from projects.imports.choices import ImportOutcome
from projects.imports.models import ImportBatch
from projects.models import Project
from tests import factories
from tests.factories import make_uscc
from tests.imports.helpers import PROJECT_HEADER, project_row, write_xlsx

CONFIRMS = 4
ROUNDS = [
    ["project", "date", "round", "instrument", "investor", "amount"],
    ["FIN-1", "2024-06-01", "A轮", "股权", "成都科创投", "1000万"],
    ["FIN-1", "2024-09-01", "B轮", "股权", "成都科创投", "3000万"],
]


def checked_batch(client, path) -> ImportBatch:
    """Upload and check a file (the check runs as the upload's job); the batch is then ready
    to be confirmed."""
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    client.post(reverse("imports:upload"), data)
    batch = ImportBatch.objects.latest("pk")
    assert batch.outcome == ImportOutcome.PREVIEWED, batch.errors
    return batch


@pytest.fixture
def held_jobs(monkeypatch):
    """Write jobs sent by the confirms are held, not run, so that the claims race on their own;
    the test then runs them (``run_at_once``). Thread-safe: list.append is atomic."""
    sent = []

    def delay(batch_id, dry_run):
        if dry_run:  # the check of an upload runs as it would without a broker
            return tasks.run_batch(batch_id, dry_run)
        sent.append((batch_id, dry_run))

    monkeypatch.setattr(tasks.run_batch, "delay", delay)
    return sent


def at_once(requests):
    """Run each (client, batch) confirm in its own thread, all released together (that is
    where a batch is claimed and its job sent). Returns, per request, the status it got."""
    posted = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def confirm(index, client, batch):
        try:
            posted.wait()
            results[index] = client.post(reverse("imports:confirm", args=[batch.pk])).status_code
        except Exception as error:  # reported by the assertion below, not lost in the thread
            results[index] = repr(error)
        finally:
            connection.close()

    run_in_threads(confirm, [(index, *request) for index, request in enumerate(requests)])
    return results


def run_in_threads(target, argument_lists):
    threads = [threading.Thread(target=target, args=args) for args in argument_lists]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run_at_once(jobs):
    """Run the held jobs, each in its own thread with its own connection, released together."""
    start = threading.Barrier(len(jobs))

    def run(args):
        try:
            start.wait()
            tasks.run_batch(*args)
        finally:
            connection.close()

    run_in_threads(run, [(args,) for args in jobs])


def signed_in_clients(user, count):
    clients = []
    for _n in range(count):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


@pytest.mark.django_db
def test_a_confirm_arriving_while_another_is_under_way_is_told_and_writes_nothing(
    client, world, tmp_path, monkeypatch
):
    factories.client_of(world["platform_a"], uscc=make_uscc(1))
    rows = [PROJECT_HEADER, project_row("SQ-1", world["platform_a"])]
    first, second = signed_in_clients(world["staff_a"], 2)
    batch = checked_batch(first, write_xlsx(tmp_path / "s.xlsx", {"projects": rows}))
    with monkeypatch.context() as patch:  # the job is queued; no worker has taken it yet
        sent = []
        patch.setattr(tasks.run_batch, "delay", lambda *args: sent.append(args))
        first.post(reverse("imports:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.IMPORTING and sent == [(batch.pk, False)]
    late = second.post(reverse("imports:confirm", args=[batch.pk]), follow=True)
    assert "不会重复写入" in late.content.decode() and "正在导入" in late.content.decode()
    tasks.run_batch(*sent[0])  # the worker takes it
    assert Project.objects.filter(code="SQ-1").count() == 1
    again = second.post(reverse("imports:confirm", args=[batch.pk]), follow=True)
    assert "不会重复写入" in again.content.decode()  # and after it, still told
    assert Project.history.filter(code="SQ-1").count() == 1


@pytest.mark.django_db
def test_the_same_financing_file_imported_twice_leaves_one_row_each(client, world, tmp_path):
    project = factories.ProjectFactory(platform=world["platform_a"], code="FIN-1")
    client.force_login(world["staff_a"])
    for n in range(2):
        batch = checked_batch(client, write_xlsx(tmp_path / f"f{n}.xlsx", {"financing": ROUNDS}))
        client.post(reverse("imports:confirm", args=[batch.pk]))
        batch.refresh_from_db()
        assert batch.outcome == ImportOutcome.IMPORTED
    assert batch.counts["financing"] == {
        "rows": 2,
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "invalid": 0,
    }
    assert project.financings.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_confirms_of_one_batch_write_it_exactly_once(world, tmp_path, held_jobs):
    factories.client_of(world["platform_a"], uscc=make_uscc(1))
    rows = [PROJECT_HEADER] + [project_row(f"CC-{n}", world["platform_a"]) for n in range(50)]
    clients = signed_in_clients(world["staff_a"], CONFIRMS)
    batch = checked_batch(clients[0], write_xlsx(tmp_path / "c.xlsx", {"projects": rows}))

    results = at_once([(client, batch) for client in clients])

    assert results == [302] * CONFIRMS, results
    assert held_jobs == [(batch.pk, False)]  # one claim won: one job
    run_at_once(held_jobs * 2)  # and a job delivered twice writes once
    assert Project.objects.filter(code__startswith="CC-").count() == 50
    assert Project.history.filter(code="CC-0", history_type="+").count() == 1
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.IMPORTED
    told = [
        "不会重复写入" in client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
        for client in clients
    ]
    assert told.count(True) == CONFIRMS - 1  # the losers are told, on the batch page


@pytest.mark.django_db(transaction=True)
def test_the_same_financing_file_confirmed_twice_at_once_leaves_one_row_each(
    world, tmp_path, held_jobs
):
    project = factories.ProjectFactory(platform=world["platform_a"], code="FIN-1")
    clients = signed_in_clients(world["staff_a"], 2)
    batches = [
        checked_batch(client, write_xlsx(tmp_path / f"f{n}.xlsx", {"financing": ROUNDS}))
        for n, client in enumerate(clients)
    ]

    results = at_once(list(zip(clients, batches, strict=True)))

    assert results == [302, 302], results
    run_at_once(held_jobs)  # two workers write the two batches at the same moment
    assert project.financings.count() == 2
    outcomes = set()
    for batch in batches:
        batch.refresh_from_db()
        outcomes.add(batch.outcome)
        if batch.outcome == ImportOutcome.FAILED:  # its write met the other's rows: it says so
            assert "有人保存了部分相同的记录" in batch.errors[0]["message"]
    assert outcomes <= {ImportOutcome.IMPORTED, ImportOutcome.FAILED}
    assert ImportOutcome.IMPORTED in outcomes

"""Imports as jobs: the batch page polls status.json, the state is on the batch row (a closed
tab loses nothing), a queue that cannot be reached is said, and who may ask is checked."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.imports import tasks
from projects.imports.choices import ImportOutcome
from projects.imports.engine import Progress
from projects.imports.models import ImportBatch
from projects.models import Project
from tests import factories
from tests.factories import make_uscc
from tests.imports.helpers import PROJECT_HEADER, project_row, write_xlsx


def upload(client, path, **extra):
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes()), **extra}
    return client.post(reverse("imports:upload"), data)


@pytest.fixture
def xlsx(world, tmp_path):
    factories.client_of(world["platform_a"], uscc=make_uscc(1))
    rows = [PROJECT_HEADER, project_row("Q-1", world["platform_a"])]
    return write_xlsx(tmp_path / "q.xlsx", {"projects": rows})


@pytest.fixture
def queued(monkeypatch):
    """Jobs are queued (for a worker that has not taken them yet), not run."""
    sent = []
    monkeypatch.setattr(tasks.run_batch, "delay", lambda *args: sent.append(args))
    return sent


def status(client, batch):
    return client.get(reverse("imports:status", args=[batch.pk]))


def test_the_batch_page_follows_a_queued_job_and_the_status_says_where_it_is(
    client, world, xlsx, queued
):
    client.force_login(world["staff_a"])
    response = upload(client, xlsx)
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("imports:batch", args=[batch.pk])
    assert queued == [(batch.pk, True)] and batch.outcome == ImportOutcome.CHECKING
    page = client.get(response["Location"]).content.decode()
    assert 'id="import-job"' in page and reverse("imports:status", args=[batch.pk]) in page
    assert status(client, batch).json()["running"] is True
    assert status(client, batch).json()["queued"] is True  # no worker has taken it yet

    tasks.record_progress(batch, Progress("check", "projects", 2000, 5000))
    state = status(client, batch).json()
    assert (state["phase_label"], state["sheet"], state["done"], state["total"]) == (
        "检查中",
        "projects",
        2000,
        5000,
    )
    cache.clear()  # another app host, or the cache restarted: the row has it too
    assert status(client, batch).json()["done"] == 2000

    tasks.run_batch(*queued[0])  # the worker runs it; nobody needs to be watching
    assert ImportBatch.objects.get(pk=batch.pk).job_started_at is None  # cleared at the end
    state = status(client, batch).json()
    assert state["running"] is False and state["outcome"] == ImportOutcome.PREVIEWED
    assert state["url"] == reverse("imports:batch", args=[batch.pk])
    assert "确认导入" in client.get(state["url"]).content.decode()


def test_a_write_in_progress_reports_through_the_cache_only(world, xlsx, client, queued):
    client.force_login(world["staff_a"])
    upload(client, xlsx)
    batch = ImportBatch.objects.get()
    tasks.run_batch(*queued.pop())
    client.post(reverse("imports:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.IMPORTING and queued == [(batch.pk, False)]
    tasks.record_progress(batch, Progress("write", "projects", 1, 1))
    batch.refresh_from_db()
    assert batch.progress_phase != "write"  # never written inside the import's transaction
    assert status(client, batch).json()["phase"] == "write"
    tasks.run_batch(*queued.pop())
    assert Project.objects.filter(code="Q-1").count() == 1


@pytest.mark.parametrize(("who", "code"), [("staff_b", 404), ("manager", 403)])
def test_another_users_or_a_managers_requests_are_refused(client, world, xlsx, who, code):
    client.force_login(world["staff_a"])
    upload(client, xlsx)
    batch = ImportBatch.objects.get()
    assert batch.outcome == ImportOutcome.PREVIEWED
    client.force_login(world[who])
    assert status(client, batch).status_code == code
    assert client.post(reverse("imports:check", args=[batch.pk])).status_code == code
    confirm = client.post(reverse("imports:confirm", args=[batch.pk]), {"acknowledge": "on"})
    assert confirm.status_code == code
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.PREVIEWED and not Project.objects.filter(code="Q-1")


def test_an_anonymous_status_request_is_sent_to_sign_in(client, world):
    batch = ImportBatch.objects.create(user=world["staff_a"], file_name="a.csv", kind="csv")
    response = status(client, batch)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_queue_that_cannot_be_reached_is_said_and_the_check_can_be_started_again(
    client, world, xlsx, monkeypatch
):
    def down(*args):
        raise ConnectionRefusedError("broker down")

    client.force_login(world["staff_a"])
    with monkeypatch.context() as patch:
        patch.setattr(tasks.run_batch, "delay", down)
        page = client.post(
            reverse("imports:upload"),
            {"file": SimpleUploadedFile(xlsx.name, xlsx.read_bytes())},
            follow=True,
        ).content.decode()
    batch = ImportBatch.objects.get()
    assert batch.outcome == ImportOutcome.PENDING  # back where it was, file kept
    assert "任务队列暂时无法连接" in page and reverse("imports:check", args=[batch.pk]) in page
    assert "broker down" not in page
    client.post(reverse("imports:check", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.PREVIEWED


def test_a_get_of_the_check_address_starts_nothing(client, world, xlsx, queued):
    client.force_login(world["staff_a"])
    batch = ImportBatch.objects.create(user=world["staff_a"], file_name="a.csv", kind="csv")
    assert client.get(reverse("imports:check", args=[batch.pk])).status_code == 302
    assert queued == []


def test_the_job_writes_its_messages_in_the_uploaders_language(client, world, tmp_path):
    rows = [PROJECT_HEADER, ["E-1", "没有这个平台", make_uscc(9), "x", "2024-01-01"]]
    client.force_login(world["staff_a"])
    client.cookies["django_language"] = "en"
    upload(client, write_xlsx(tmp_path / "e.xlsx", {"projects": rows}))
    batch = ImportBatch.objects.get()
    assert batch.language == "en" and "No platform" in batch.errors[0]["message"]


def test_the_confirm_needs_a_csrf_token(world, xlsx):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world["staff_a"])
    batch = ImportBatch.objects.create(
        user=world["staff_a"], file_name="a.csv", kind="csv", outcome=ImportOutcome.PREVIEWED
    )
    assert client.post(reverse("imports:confirm", args=[batch.pk])).status_code == 403
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.PREVIEWED


def test_the_status_and_the_batch_page_run_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    client.force_login(world["staff_a"])
    for size in (1, 300):
        batch = ImportBatch.objects.create(
            user=world["staff_a"],
            file_name="big.xlsx",
            kind="workbook",
            outcome=ImportOutcome.INVALID,
            counts={"projects": {"rows": size, "created": 0, "updated": 0, "unchanged": 0}},
            errors=[
                {"sheet": "projects", "row": n, "column": "code", "value": "", "message": "x"}
                for n in range(size)
            ],
            error_count=size,
            preview={"projects": {"sheet": "projects", "headers": [], "rows": [], "changes": []}},
        )
        # the session's user, may_import's memberships, the batch
        with django_assert_num_queries(3):
            assert status(client, batch).status_code == 200
        # the same, and the navigation's role description (platforms, zones)
        with django_assert_num_queries(5):
            assert client.get(reverse("imports:batch", args=[batch.pk])).status_code == 200

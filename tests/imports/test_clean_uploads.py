"""``manage.py clean_uploads --older-than 7d``: old unconfirmed uploads go, their batches expire."""

import io
import os
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from projects.imports import storage
from projects.imports.choices import ImportOutcome
from projects.imports.management.commands.clean_uploads import parse_duration
from projects.imports.models import ImportBatch

pytestmark = pytest.mark.django_db


def batch_with_file(outcome, *, days_old):
    batch = ImportBatch.objects.create(file_name="p.csv", kind="csv", outcome=outcome)
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=timezone.now() - timedelta(days=days_old)
    )
    storage.save(batch, ContentFile(b"code\n", name="p.csv"))
    return batch


def age_file(name, days):
    path = storage.upload_storage().path(name)
    then = time.time() - days * 86400
    os.utime(path, (then, then))


def clean(*args):
    out = io.StringIO()
    call_command("clean_uploads", *args, stdout=out)
    return out.getvalue()


def test_old_waiting_uploads_are_removed_and_their_batches_expire():
    old_pending = batch_with_file(ImportOutcome.PENDING, days_old=8)
    old_previewed = batch_with_file(ImportOutcome.PREVIEWED, days_old=30)
    recent = batch_with_file(ImportOutcome.PREVIEWED, days_old=6)
    running = batch_with_file(ImportOutcome.IMPORTING, days_old=9)
    output = clean("--older-than", "7d")
    assert "2" in output
    for batch in (old_pending, old_previewed):
        batch.refresh_from_db()
        assert batch.outcome == ImportOutcome.EXPIRED and not storage.exists(batch)
        assert "已不在服务器上" in batch.errors[0]["message"]
    for batch, outcome in ((recent, ImportOutcome.PREVIEWED), (running, ImportOutcome.IMPORTING)):
        batch.refresh_from_db()
        assert batch.outcome == outcome and storage.exists(batch)


def test_a_job_that_started_long_ago_and_never_ended_is_failed_saying_so():
    stuck = batch_with_file(ImportOutcome.IMPORTING, days_old=9)
    running = batch_with_file(ImportOutcome.CHECKING, days_old=9)
    queued = batch_with_file(ImportOutcome.CHECKING, days_old=9)  # no worker took it yet
    ImportBatch.objects.filter(pk=stuck.pk).update(
        job_started_at=timezone.now() - timedelta(days=8)
    )
    ImportBatch.objects.filter(pk=running.pk).update(job_started_at=timezone.now())
    clean("--older-than", "7d")
    stuck.refresh_from_db()
    assert stuck.outcome == ImportOutcome.FAILED and not storage.exists(stuck)
    assert "中断" in stuck.errors[0]["message"] and stuck.job_started_at is None
    for batch in (running, queued):
        batch.refresh_from_db()
        assert batch.outcome == ImportOutcome.CHECKING and storage.exists(batch)


def test_leftover_files_of_ended_or_missing_batches_are_removed_when_old():
    ended = batch_with_file(ImportOutcome.IMPORTED, days_old=10)
    age_file(storage.name_of(ended), 10)
    storage.upload_storage().save("999999.upload", ContentFile(b"x"))
    age_file("999999.upload", 10)
    storage.upload_storage().save("999998.upload", ContentFile(b"x"))  # new: kept
    clean("--older-than", "7d")
    assert not storage.exists(ended)
    assert storage.stored_names() == ["999998.upload"]


def test_a_dry_run_removes_nothing():
    batch = batch_with_file(ImportOutcome.PENDING, days_old=8)
    output = clean("--older-than", "7d", "--dry-run")
    assert "1" in output and ("nothing removed" in output or "未删除" in output)
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.PENDING and storage.exists(batch)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7d", timedelta(days=7)),
        ("12h", timedelta(hours=12)),
        ("90m", timedelta(minutes=90)),
        ("2W", timedelta(weeks=2)),
        ("30s", timedelta(seconds=30)),
    ],
)
def test_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["7", "d", "-7d", "0d", "7 days", "1e9d", "9999999d", "", "7d;rm"])
def test_a_bad_duration_is_a_usage_error_with_exit_code_2(text):
    with pytest.raises(CommandError) as refusal:
        call_command("clean_uploads", f"--older-than={text}")
    assert refusal.value.returncode == 2

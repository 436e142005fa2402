"""The import's jobs: the check of an uploaded file and its write, run by a Celery worker.

A view claims the batch first (pending → checking, previewed → importing: one conditional
UPDATE, ``service.claim``) and only then sends the job, so a double click, a second tab or a
replayed POST never sends two; a job that finds its batch in any other state (a message
delivered twice) does nothing. Everything the page shows lives on the ``ImportBatch`` row:
the outcome, the errors, the preview and, while the job runs, its progress (phase, sheet, rows
done of rows in all), so a closed tab, a reload or a poll answered by another app host loses
nothing. The write is one transaction, during which its progress cannot be committed to the
row: it goes to the shared cache (``progress_of`` reads both).

Without ``CELERY_BROKER_URL`` the job runs eagerly in the request that sends it
(``tracker/celery.py`` says why).
"""

import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils import timezone, translation

from . import storage
from .choices import ImportOutcome
from .engine import Progress
from .models import ImportBatch
from .registry import registry
from .service import execute, expire

logger = logging.getLogger(__name__)
PROGRESS_SECONDS = 3600


def progress_key(batch_id: int) -> str:
    return f"imports:progress:{batch_id}"


def record_progress(batch: ImportBatch, event: Progress) -> None:
    """Where the job is: in the shared cache always; on the batch row while checking (the
    write's own transaction would hide it until the end). Best effort: a busy database only
    delays the bar, it never stops the import."""
    values = {
        "progress_phase": event.phase,
        "progress_sheet": event.sheet[:100],
        "progress_done": min(event.done, event.total),
        "progress_total": event.total,
    }
    cache.set(progress_key(batch.pk), values, PROGRESS_SECONDS)
    if event.phase != "check":
        return
    try:
        with transaction.atomic():
            ImportBatch.objects.filter(pk=batch.pk).update(**values)
    except DatabaseError:
        logger.info("import #%s: progress not recorded (database busy)", batch.pk)


def progress_of(batch: ImportBatch) -> dict:
    """The latest progress of a running job (cache first, then the row)."""
    stored = {
        "progress_phase": batch.progress_phase,
        "progress_sheet": batch.progress_sheet,
        "progress_done": batch.progress_done,
        "progress_total": batch.progress_total,
    }
    return cache.get(progress_key(batch.pk)) or stored


@shared_task(name="imports.run_batch")
def run_batch(batch_id: int, dry_run: bool) -> str:
    """Check (``dry_run``) or check again and write the batch's stored file."""
    expected = ImportOutcome.CHECKING if dry_run else ImportOutcome.IMPORTING
    taken = ImportBatch.objects.filter(
        pk=batch_id, outcome=expected, job_started_at__isnull=True
    ).update(job_started_at=timezone.now())
    batch = ImportBatch.objects.filter(pk=batch_id).first() if taken else None
    if batch is None:
        logger.warning("import #%s: job skipped, the batch is not %s or taken", batch_id, expected)
        return "skipped"
    kind = batch.kind if batch.kind in registry.kinds() else None
    with translation.override(batch.language or settings.LANGUAGE_CODE):
        try:
            with storage.local_copy(batch) as path:
                for event in execute(
                    batch, path, dry_run=dry_run, kind=kind, encoding=batch.encoding or None
                ):
                    record_progress(batch, event)
        except FileNotFoundError:
            expire(batch, expected)
        finally:
            cache.delete(progress_key(batch.pk))
            if batch.outcome != ImportOutcome.PREVIEWED:
                storage.delete(batch)
    return batch.outcome


def start(batch: ImportBatch, *, dry_run: bool) -> None:
    """Send the job of a batch this request has just claimed. If the queue cannot be reached,
    the batch goes back to where it was, so that the user can try again."""
    try:
        run_batch.delay(batch.pk, dry_run)
    except Exception:
        logger.exception("import #%s: the job could not be queued", batch.pk)
        claimed = ImportOutcome.CHECKING if dry_run else ImportOutcome.IMPORTING
        before = ImportOutcome.PENDING if dry_run else ImportOutcome.PREVIEWED
        ImportBatch.objects.filter(pk=batch.pk, outcome=claimed).update(outcome=before)
        raise

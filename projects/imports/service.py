"""One import from start to finish, as the web views and the command line both run it.

``execute()`` reads the file, checks every row, and writes only if nothing is wrong and this is
not a dry run; it records the outcome, counts and errors on the ``ImportBatch`` and yields
progress events on the way. Nothing here knows about HTTP or terminals.

Every way a run can end is recorded on the batch: a refused file or rows with errors
(INVALID), success (PREVIEWED or IMPORTED), and anything unexpected, including a reader that
raises something nobody foresaw or a browser that closes the streamed page (FAILED, with an
error saying so). A batch is never left looking "pending" with its file gone.
"""

import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import ImportOutcome
from .engine import ImportRun, Progress, preview_dict
from .errors import ImportFileError, RowError
from .models import ImportBatch
from .reading import read_file
from .writing import write

logger = logging.getLogger(__name__)
INTERRUPTED = gettext_lazy(
    "The import was interrupted before it finished (was its worker stopped?). "
    "Nothing was written; upload the file again."
)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def claim(batch: ImportBatch, expected: str, claimed: str) -> bool:
    """Move the batch from ``expected`` to ``claimed`` if nobody else did; True if we did.

    One conditional UPDATE: the database serialises concurrent claims, so of two confirms of
    one batch (a double click, two tabs) exactly one writes and the other is told.
    """
    won = ImportBatch.objects.filter(pk=batch.pk, outcome=expected).update(outcome=claimed)
    if won:
        batch.outcome = claimed
    return bool(won)


def execute(
    batch: ImportBatch, path: Path, *, dry_run: bool, kind=None, encoding=None
) -> Iterator[Progress]:
    """Check (and unless ``dry_run`` write) the file; the batch says how it ended."""
    try:
        yield from _execute(batch, path, dry_run=dry_run, kind=kind, encoding=encoding)
    except (GeneratorExit, KeyboardInterrupt):  # a worker stopped; Ctrl-C on the command line
        _fail(batch, str(INTERRUPTED))
        raise
    except Exception:
        logger.exception("import #%s of %s failed", batch.pk, batch.file_name)
        _fail(
            batch,
            _(
                "The import stopped because of an unexpected error, which was logged. "
                "Nothing was written; upload the file again."
            ),
        )


def _execute(batch, path, *, dry_run, kind, encoding) -> Iterator[Progress]:
    batch.checksum = batch.checksum or sha256_of(path)
    batch.dry_run = dry_run
    try:
        sheets = read_file(path, batch.file_name, kind=kind, encoding=encoding)
        run = ImportRun(sheets, user=batch.user, change_reason=batch.change_reason)
        yield from run.check()  # sheets are opened here: too many rows, damaged
    except ImportFileError as refusal:
        _finish(batch, ImportOutcome.INVALID, [_file_error(batch, str(refusal))])
        return
    batch.counts = run.counts()
    batch.preview = preview_dict(run)
    batch.warnings = [warning.as_dict() for warning in run.warnings]
    if run.errors:
        _finish(batch, ImportOutcome.INVALID, run.errors)
        return
    if dry_run:
        _finish(batch, ImportOutcome.PREVIEWED, [])
        return
    try:
        yield from write(run)
    except IntegrityError:  # another import or a form saved the same records meanwhile
        logger.warning("import #%s collided with a concurrent write", batch.pk, exc_info=True)
        _fail(
            batch,
            _(
                "While this file was being written, someone else saved some of the same "
                "records. Nothing was written; upload the file again to check it against the "
                "data as it is now."
            ),
        )
        return
    _finish(batch, ImportOutcome.IMPORTED, [])


def _file_error(batch, message: str) -> RowError:
    return RowError(batch.file_name, 0, "", "", message)


def _fail(batch: ImportBatch, message: str) -> None:
    """FAILED, with the reason; nothing was written (``write`` is one transaction)."""
    _finish(batch, ImportOutcome.FAILED, [_file_error(batch, message)])


def fail_interrupted(batch: ImportBatch) -> bool:
    """A job that started long ago and never ended (its worker was killed): FAILED, saying so;
    True if this call failed it. Conditional, like every move of a batch: a job that ends
    meanwhile keeps its own outcome."""
    won = ImportBatch.objects.filter(
        pk=batch.pk, outcome=batch.outcome, job_started_at=batch.job_started_at
    ).update(outcome=ImportOutcome.FAILED)
    if won:
        _fail(batch, str(INTERRUPTED))
    return bool(won)


def expire(batch: ImportBatch, expected: str = ImportOutcome.PENDING) -> bool:
    """A batch whose uploaded file is gone (removed by ``clean_uploads``, or lost) cannot go on:
    EXPIRED, with a message saying so; True if this call expired it."""
    if not claim(batch, expected, ImportOutcome.EXPIRED):
        return False
    message = _(
        "The uploaded file is no longer on the server (uploads that are not confirmed are "
        "removed after a while). Nothing was written; upload the file again."
    )
    _finish(batch, ImportOutcome.EXPIRED, [_file_error(batch, message)])
    return True


def _finish(batch: ImportBatch, outcome: str, errors: list[RowError]) -> None:
    batch.outcome = outcome
    batch.errors = [error.as_dict() for error in errors]
    batch.error_count = len(errors)
    batch.finished_at = timezone.now()
    batch.progress_done = batch.progress_total = 0
    batch.job_started_at = None
    batch.save()

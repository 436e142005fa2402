"""One import from start to finish, as the web views and the command line both run it.

``execute()`` reads the file, checks every row, and writes only if nothing is wrong and this is
not a dry run; it records the outcome, counts and errors on the ``ImportBatch`` and yields
progress events on the way. Nothing here knows about HTTP or terminals.
"""

import hashlib
from collections.abc import Iterator
from pathlib import Path

from django.utils import timezone

from projects.choices import ImportOutcome
from projects.models import ImportBatch

from .engine import ImportRun, Progress, preview_dict
from .errors import ImportFileError, RowError
from .reading import read_file
from .writing import write


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def execute(
    batch: ImportBatch, path: Path, *, dry_run: bool, kind=None, encoding=None
) -> Iterator[Progress]:
    """Check (and unless ``dry_run`` write) the file; the batch says how it ended."""
    batch.checksum = batch.checksum or sha256_of(path)
    batch.dry_run = dry_run
    try:
        sheets = read_file(path, batch.file_name, kind=kind, encoding=encoding)
    except ImportFileError as refusal:
        _finish(batch, ImportOutcome.INVALID, [RowError(batch.file_name, 0, "", "", str(refusal))])
        return
    run = ImportRun(sheets, user=batch.user, change_reason=batch.change_reason)
    try:
        yield from run.check()
    except ImportFileError as refusal:  # found on opening a sheet: too many rows, damaged
        _finish(batch, ImportOutcome.INVALID, [RowError(batch.file_name, 0, "", "", str(refusal))])
        return
    batch.counts = run.counts()
    batch.preview = preview_dict(run)
    if run.errors:
        _finish(batch, ImportOutcome.INVALID, run.errors)
        return
    if dry_run:
        _finish(batch, ImportOutcome.PREVIEWED, [])
        return
    try:
        yield from write(run)
    except Exception:
        _finish(batch, ImportOutcome.FAILED, [])
        raise
    _finish(batch, ImportOutcome.IMPORTED, [])


def _finish(batch: ImportBatch, outcome: str, errors: list[RowError]) -> None:
    batch.outcome = outcome
    batch.errors = [error.as_dict() for error in errors]
    batch.error_count = len(errors)
    batch.finished_at = timezone.now()
    batch.save()

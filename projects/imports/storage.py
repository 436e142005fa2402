"""Where an uploaded file waits between preview and confirm: a private directory, one file per
batch, named by the batch id (never by the user's file name), deleted once the batch is done.

Files of previews nobody confirmed are removed after a day, at the next upload.
"""

import time
from pathlib import Path

from django.conf import settings

STALE_SECONDS = 24 * 3600


def upload_dir() -> Path:
    directory = Path(settings.IMPORT_UPLOAD_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def path_of(batch) -> Path:
    return upload_dir() / f"{batch.pk}.upload"


def save(batch, upload) -> Path:
    _purge_stale()
    path = path_of(batch)
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path


def delete(batch) -> None:
    path_of(batch).unlink(missing_ok=True)


def _purge_stale() -> None:
    cutoff = time.time() - STALE_SECONDS
    for path in upload_dir().glob("*.upload"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)

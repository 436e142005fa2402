"""Where an uploaded file waits between its check and its confirm: the ``imports`` storage.

Files go through Django's storage API (``storages["imports"]``, configured in ``STORAGES``): by
default a private directory under this installation's ``MEDIA_ROOT`` (``var/media/imports`` in
the checkout), or any backend shared by several hosts, so that a file uploaded to one app host
is checked by a worker on another and confirmed from a third. One file per batch, named by the
batch id (never by the user's file name); deleted once the batch is done; never served by a
URL. ``manage.py clean_uploads --older-than 7d`` removes the files of batches nobody confirmed.

Readers need a file on disk (calamine opens a path): ``local_copy`` gives the storage's own path
when it has one, else a private temporary copy for the length of one job, deleted afterwards.
"""

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.core.files.storage import storages


def upload_storage():
    return storages["imports"]


def name_of(batch) -> str:
    return f"{batch.pk}.upload"


def save(batch, upload) -> str:
    """Store the upload under the batch's name (replacing nothing: a batch has one file)."""
    storage = upload_storage()
    name = name_of(batch)
    storage.delete(name)  # a leftover of a database reset must not get the upload renamed
    saved = storage.save(name, upload)
    if saved != name:  # pragma: no cover - only if two processes stored one batch at once
        storage.delete(saved)
        raise FileExistsError(name)
    return saved


def exists(batch) -> bool:
    return upload_storage().exists(name_of(batch))


def delete(batch) -> None:
    upload_storage().delete(name_of(batch))


@contextlib.contextmanager
def local_copy(batch) -> Iterator[Path]:
    """A path to read the batch's file from; FileNotFoundError if it is gone."""
    storage = upload_storage()
    name = name_of(batch)
    try:
        path = Path(storage.path(name))
    except NotImplementedError:  # a remote storage: copy it down for this job only
        path = None
    if path is not None:
        if not path.exists():
            raise FileNotFoundError(name)
        yield path
        return
    if not storage.exists(name):
        raise FileNotFoundError(name)
    handle, temporary = tempfile.mkstemp(prefix=f"import-{batch.pk}-", suffix=".upload")
    try:
        with os.fdopen(handle, "wb") as target, storage.open(name, "rb") as source:
            shutil.copyfileobj(source, target, 1 << 20)
        yield Path(temporary)
    finally:
        Path(temporary).unlink(missing_ok=True)


def stored_names() -> list[str]:
    """Every batch file in the storage (``<id>.upload``)."""
    _directories, files = upload_storage().listdir("")
    return [name for name in files if name.endswith(".upload")]


def modified_at(name: str):
    return upload_storage().get_modified_time(name)

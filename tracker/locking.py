"""SQLite's write lock: recognising "database is locked", and writes that need not wait for it.

SQLite lets one connection write at a time; WAL lets every other connection read meanwhile.
A writer waits for the lock up to the busy timeout (``tracker.settings.sqlite_options``) and
then fails with ``OperationalError("database is locked")``. A long import holds the lock for
its whole all-or-nothing transaction, so this is an expected, temporary state: it is answered
with "an import is being written; try again in a minute" (503), never with a 500. PostgreSQL
locks rows, not the database: nothing here ever triggers there.
"""

import logging
from contextlib import contextmanager

from django.db import OperationalError, connections, transaction
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

BUSY_MESSAGE = _("An import is being written; try again in a minute.")
RETRY_AFTER_SECONDS = 60


def is_database_locked(error: BaseException) -> bool:
    """Whether ``error`` is SQLite refusing a write because another connection holds the lock
    (and not any other operational error, which stays a real error)."""
    return isinstance(error, OperationalError) and "database is locked" in str(error)


@contextmanager
def without_waiting_for_the_lock(using: str = "default"):
    """On SQLite, a busy timeout of zero inside the block: a write finds the lock taken at once
    instead of after the busy timeout. Elsewhere, nothing changes."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        previous = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {previous}")


def write_unless_locked(write, what: str) -> bool:
    """Run ``write()`` in its own transaction (a savepoint inside another) if the write lock is
    free now; if another connection holds it, skip the write and return False.

    Only for bookkeeping that may be lost without harm and must never make a request wait:
    the ``last_login`` stamp and the upgrade of an outdated password hash on sign-in.
    """
    try:
        with without_waiting_for_the_lock(), transaction.atomic():
            write()
    except OperationalError as error:
        if not is_database_locked(error):
            raise
        logger.info("Skipped %s: another connection holds the write lock.", what)
        return False
    return True

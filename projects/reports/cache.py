"""A cache for report figures, keyed by what the reader sees and by the versions of that data.

Where it lives: Django's ``default`` cache (``tracker.settings``): Redis when ``REDIS_URL`` is
set, shared by every process of every host; otherwise files under ``CACHE_DIR``, shared by the
processes of one host (each installation has its own directory).

**The key.** A report's figures depend only on which platforms are in the scope *and visible to
the reader*, on which of them the reader sees unmasked (confidential titles), on the scope's
start years and on the language of its labels. The key is built from exactly that — never from
a user id — so every manager of a zone shares the zone's entries, and every administrator the
nationwide ones. One query (``read_versions``) reads, for the platforms in scope that the
reader sees, each platform's data version and whether the reader unmasks it, together with the
reference version; their digest goes into the key.

**The versions.** ``PlatformVersion`` moves at the commit of every transaction that wrote a
platform, its projects or their financing; ``DataVersion`` (reference) moves with every write
to zones, recognitions, lists, province totals and memberships (triggers, migration
``reports.0003``). On PostgreSQL a platform's version row is locked only for the instant of the
commit that bumps it (a deferred trigger bumps every platform the transaction wrote, in platform
order, in one statement), so writers never wait for each other's open transactions and cannot
deadlock over versions; on SQLite, which has one writer at a time, triggers bump it at once.

**Why a cached figure is never stale after a commit.**

* The version is read *before* any figure is computed, and the figures are stored under the
  version read. Each later statement sees at least the data committed when the version was
  read, so stored figures are never older than their key says (they may be newer: harmless).
* A writer that commits after that read moves the version of a platform in the scope (the bump
  commits atomically with the data), so the next reader computes a different key: whatever was
  stored under the old one is unreachable.
* An uncommitted writer is invisible to other readers, and its bump is not made yet; its commit
  makes a newer version (previous point).
* Inside the writing transaction itself, PostgreSQL's version has not moved yet (the bump waits
  for the commit), but the transaction's own writes are visible to it. Its writes therefore
  also count themselves in the transaction-local setting ``tracker.writes``; while it is set,
  the key carries the transaction id and that count (``local_mark``), so the transaction's
  reads are cached apart from everyone else's and move on with each of its writes (a rolled
  back savepoint rolls the count back with its data). SQLite's bumps are visible at once.
* Concurrent readers computing the same key store the same figures (or newer ones).

Nothing is cached when ``settings.REPORTS_CACHE_SECONDS`` is 0, when the reference version's row
is missing (a flushed test database) or when the reader sees no platform in the scope.
"""

import hashlib
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.db.models import BooleanField, ExpressionWrapper, Func, Subquery, TextField, Value
from django.utils.translation import get_language

from platforms import access

from .models import DataVersion
from .scope import Scope


class LocalMark(Func):
    """'' outside a transaction that wrote report data; on PostgreSQL inside one, 'txid:writes'.

    ``tracker.writes`` is set (transaction-local) by the platform triggers of ``reports.0003``.
    SQLite's triggers move the versions at once, so it has no such mark.
    """

    output_field = TextField()
    template = "''"

    def as_postgresql(self, compiler, connection, **extra_context):
        writes = "COALESCE(NULLIF(current_setting('tracker.writes', true), ''), '0')"
        sql = f"CASE WHEN {writes} = '0' THEN '' ELSE txid_current()::text || ':' || {writes} END"
        return sql, []


@dataclass(frozen=True)
class Versions:
    """What the reader sees of a scope's data and at which versions (one query reads it)."""

    platforms: dict  # platform id → data version, for the platforms in scope the reader sees
    unmasked: frozenset  # those of them whose confidential titles the reader reads
    reference: int | None
    local_mark: str = ""

    @property
    def cacheable(self) -> bool:
        known = all(version is not None for version in self.platforms.values())
        return bool(self.platforms) and known and self.reference is not None

    @cached_property
    def digest(self) -> str:
        parts = [f"r{self.reference}", self.local_mark]
        parts += [
            f"{pk}.{version}{'u' if pk in self.unmasked else ''}"
            for pk, version in sorted(self.platforms.items())
        ]
        return hashlib.sha256(",".join(parts).encode()).hexdigest()[:32]


def read_versions(scope: Scope, user) -> Versions:
    """The versions of the platforms in ``scope`` that ``user`` sees, in one query.

    A platform without a version row (none should lack one: triggers create it) has the version
    None: figures are computed for it every time (``cacheable`` is then False).
    """
    from .queries.base import scoped_platforms  # the queries import this module

    unmasking = access.unmasking_platforms_q(user)
    unmasked = Value(True) if unmasking is None else ExpressionWrapper(unmasking, BooleanField())
    rows = (
        scoped_platforms(scope, user)
        .annotate(
            unmasked=unmasked,
            reference=Subquery(DataVersion.objects.filter(pk=1).values("value")[:1]),
            mark=LocalMark(),
        )
        .values_list("pk", "data_version__value", "unmasked", "reference", "mark")
    )
    rows = list(rows)
    reference, mark = (rows[0][3], rows[0][4]) if rows else (None, "")
    platforms = {pk: version for pk, version, *_rest in rows}
    unmasked_ids = frozenset(pk for pk, _version, is_unmasked, *_rest in rows if is_unmasked)
    return Versions(platforms, unmasked_ids, reference, mark)


def _scope_key(scope: Scope) -> str:
    zone = scope.zone.pk if scope.zone is not None else ""
    platform = scope.platform.pk if scope.platform is not None else ""
    period = scope.period.code if scope.period is not None else ""
    return (
        f"{zone}:{platform}:{scope.sector}:{scope.year_from or ''}:{scope.year_to or ''}:"
        f"{period}:{scope.basis}"
    )


class ReportCache:
    """The cached sections of one report; reads the versions once, on first use."""

    def __init__(self, scope: Scope, user):
        self.scope, self.user = scope, user

    @cached_property
    def versions(self) -> Versions:
        return read_versions(self.scope, self.user)

    def key(self, section: str, *, per_language: bool = False) -> str | None:
        """The cache key of ``section`` for this reader, or None when nothing may be cached."""
        if settings.REPORTS_CACHE_SECONDS <= 0 or not self.versions.cacheable:
            return None
        language = get_language() if per_language else "-"
        return f"reports:{section}:{language}:{_scope_key(self.scope)}:{self.versions.digest}"

    def get(self, section: str, compute, *, per_language: bool = False):
        """The cached value of ``section``, or ``compute()`` stored for the next report."""
        key = self.key(section, per_language=per_language)
        if key is None:
            return compute()
        return _cached(key, compute)


def _cached(key: str, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.REPORTS_CACHE_SECONDS)
    return value


def _visibility_key(user) -> str:
    """Who reads an official roll-up: everyone with full access alike, else the user."""
    if access.has_full_access(user):
        return "all"
    return f"user{user.pk}-{int(user.is_active)}"


class ReturnsCache:
    """The cached figures of a returns-based (official) roll-up.

    Approved returns are frozen: those figures change only when a return of the round is
    approved or reopened, never with the platforms' data versions. ``state`` names that moment
    (the number of approved returns in scope and the latest change of one), so a cached value
    is unreachable as soon as the round moves, in every process at once.
    """

    def __init__(self, scope: Scope, user, state: str):
        self.scope, self.user, self.state = scope, user, state

    def get(self, section: str, compute):
        if settings.REPORTS_CACHE_SECONDS <= 0:
            return compute()
        key = (
            f"reports:{section}:{self.state}:{_visibility_key(self.user)}:{_scope_key(self.scope)}"
        )
        return _cached(key, compute)

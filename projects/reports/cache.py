"""A cache for report figures, invalidated by every write to the data they come from.

The nationwide report scans every project (a million on a large install) several times;
managers reload it far more often than the data changes. Cached figures are keyed by the
database's data version (``models.DataVersion``), which triggers bump on every insert,
update or delete of report data whatever code writes it; a write therefore makes every cached
figure unreachable in every process at once, and the next report recomputes. Reading the
version is one primary-key lookup per report. If the version row is missing (a flushed test
database), nothing is cached; nor when ``settings.REPORTS_CACHE_SECONDS`` is 0.

The key also names the scope, whose visibility the figures are computed under (every
superuser sees the same; anyone else by user id, since memberships are watched by the same
triggers) and, for sections with translated labels or masked titles, the language.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from platforms.access import has_full_access

from .models import DataVersion
from .scope import Scope

_UNREAD = object()


def data_version() -> int | None:
    """The current data version, or None when its row is missing (nothing is cached then)."""
    return DataVersion.objects.filter(pk=1).values_list("value", flat=True).first()


def _visibility_key(user) -> str:
    if has_full_access(user):
        return "all"
    return f"user{user.pk}-{int(user.is_active)}"


def _scope_key(scope: Scope) -> str:
    zone = scope.zone.pk if scope.zone is not None else ""
    platform = scope.platform.pk if scope.platform is not None else ""
    period = scope.period.code if scope.period is not None else ""
    return (
        f"{zone}:{platform}:{scope.sector}:{scope.year_from or ''}:{scope.year_to or ''}:"
        f"{period}:{scope.basis}"
    )


class ReportCache:
    """The cached sections of one report; reads the data version once, on first use."""

    def __init__(self, scope: Scope, user):
        self.scope, self.user = scope, user
        self._version = _UNREAD

    @property
    def version(self) -> int | None:
        if self._version is _UNREAD:
            self._version = data_version() if settings.REPORTS_CACHE_SECONDS > 0 else None
        return self._version

    def get(self, section: str, compute, *, per_language: bool = False):
        """The cached value of ``section``, or ``compute()`` stored for the next report."""
        if self.version is None:
            return compute()
        language = get_language() if per_language else "-"
        key = (
            f"reports:{section}:v{self.version}:{language}:{_visibility_key(self.user)}:"
            f"{_scope_key(self.scope)}"
        )
        return _cached(key, compute)


def _cached(key: str, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.REPORTS_CACHE_SECONDS)
    return value


class ReturnsCache:
    """The cached figures of a returns-based (official) roll-up.

    Approved returns are frozen: those figures change only when a return of the round is
    approved or reopened, never with the data version. ``state`` names that moment (the
    number of approved returns in scope and the latest change of one), so a cached value is
    unreachable as soon as the round moves, in every process at once.
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

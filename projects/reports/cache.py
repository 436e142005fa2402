"""A cache for the headline figures, invalidated by every write to the data they come from.

The nationwide headline scans every project (a million on a large install) several times;
managers reload it far more often than the data changes. Cached figures are keyed by the
database's data version (``tracker.models.DataVersion``), which triggers bump on every insert,
update or delete of report data whatever code writes it; a write therefore makes every cached
headline unreachable in every process at once, and the next report recomputes. Reading the
version is one primary-key lookup. If the version row is missing (a flushed test database),
nothing is cached.

The key also names the scope and whose visibility it is computed under (every superuser sees
the same; anyone else by user id, since memberships are watched by the same triggers).
"""

from dataclasses import fields

from django.conf import settings
from django.core.cache import cache

from .queries import Headline, headline
from .scope import Scope

CACHE_SECONDS = getattr(settings, "REPORTS_CACHE_SECONDS", 600)


def data_version() -> int | None:
    from tracker.models import DataVersion

    return DataVersion.objects.filter(pk=1).values_list("value", flat=True).first()


def _visibility_key(user) -> str:
    if user.is_superuser and user.is_active:
        return "all"
    return f"user{user.pk}-{int(user.is_active)}"


def _scope_key(scope: Scope) -> str:
    zone = scope.zone.pk if scope.zone is not None else ""
    platform = scope.platform.pk if scope.platform is not None else ""
    return f"{zone}:{platform}:{scope.sector}:{scope.year_from or ''}:{scope.year_to or ''}"


def cached_headline(scope: Scope, user) -> Headline:
    """The headline of ``scope`` for ``user``, from the cache while the data is unchanged."""
    version = data_version() if CACHE_SECONDS > 0 else None
    if version is None:
        return headline(scope, user)
    key = f"reports:headline:v{version}:{_visibility_key(user)}:{_scope_key(scope)}"
    stored = cache.get(key)
    if stored is not None:
        return Headline(scope=scope, **stored)
    result = headline(scope, user)
    names = [field.name for field in fields(Headline) if field.name != "scope"]
    cache.set(key, {name: getattr(result, name) for name in names}, CACHE_SECONDS)
    return result

"""What every report figure starts from: the scoped querysets and exact money and gain arithmetic.

Visibility comes only from ``Platform.objects.visible_to(user)`` /
``Project.objects.visible_to(user)``; the scope (``Scope``) only narrows it. Money is summed as
integer fen (``Fen``) and gains are rounded half up (``tenth``), so that every figure group of
the package states money and gains the same way.
"""

from decimal import Decimal

from django.db.models import BigIntegerField, Exists, Func, OuterRef, Q, Sum

from platforms.access import has_full_access
from platforms.choices import ListLevel
from platforms.models import Platform, Recognition
from projects.models import Financing, Project
from tracker.formatting import round_half_up

from ..scope import Scope

FEN_PER_YUAN = Decimal(100)


class Fen(Func):
    """An amount in integer fen (1/100 yuan), for sums that are exact on every backend.

    PostgreSQL sums ``numeric`` exactly, so multiplying by 100 is enough. SQLite stores decimals
    with REAL affinity and SUM() adds floats: 0.10 + 0.20 is not 0.30 there, and totals above
    10^13 yuan lose their fen. Rounding each value to an integer number of fen first makes the
    addition integer arithmetic, exact up to 9.2 × 10^16 yuan.
    """

    scale = 100
    output_field = BigIntegerField()

    def as_sql(self, compiler, connection, template=None, **extra_context):
        template = template or f"(%(expressions)s * {self.scale})"
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template=f"CAST(ROUND(%(expressions)s * {self.scale}) AS INTEGER)",
            **extra_context,
        )


class GainE4(Fen):
    """A yield gain (pp, stored with four decimals) in integer 0.0001 pp: exact sums, means and
    medians on every backend, as ``Fen`` for money."""

    scale = 10000


def yuan(fen) -> Decimal:
    """Integer fen (or None, from a SUM over no rows) → exact Decimal yuan with two decimals."""
    return (Decimal(int(fen or 0)) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def tenth(value) -> Decimal | None:
    """A mean or median gain rounded half up to 0.1 pp (None stays None).

    Half up, as most bulletins round (12.25 → 12.3), not GB/T 8170's half even (→ 12.2).
    """
    if value is None:
        return None
    return round_half_up(value, 1)


def scoped_platforms(scope: Scope, user):
    """Platforms in scope that the user may see (zone, platform and sector filters)."""
    return Platform.objects.visible_to(user).filter(scope.platform_q()).order_by()


def scoped_projects(scope: Scope, user):
    """Projects in scope that the user may see (platform filters plus start years)."""
    return Project.objects.visible_to(user).filter(scope.project_q()).order_by()


def scoped_financings(scope: Scope, user):
    """Financing rounds recorded on the projects in scope (joined, not an IN over projects)."""
    financings = Financing.objects.filter(scope.project_q("project__")).order_by()
    if scope.as_of is not None:
        financings = financings.filter(date__lte=scope.as_of)
    if not has_full_access(user):
        # Skipped when every platform is visible, as in ``Project.objects.visible_to``.
        visible = Platform.objects.visible_to(user)
        financings = financings.filter(project__platform__in=visible.values("pk"))
    return financings


def key_recognitions():
    """Recognitions in force on a list of level "MIIT key cultivated" (any batch)."""
    return Recognition.objects.current().filter(recognition_list__level=ListLevel.MIIT_KEY)


def is_key_platform(ref: str = "pk") -> Q:
    """The platform reached through ``ref`` holds a current MIIT key recognition."""
    return Q(Exists(key_recognitions().filter(platform=OuterRef(ref))))


def money_aggregates(prefix: str = "", condition: Q | None = None) -> dict:
    """Service revenue and output value of the projects reached through ``prefix``, in fen."""
    return {
        "revenue_fen": Sum(Fen(f"{prefix}service_revenue"), filter=condition),
        "output_fen": Sum(Fen(f"{prefix}output_value"), filter=condition),
    }

"""Period returns: one platform's figures for a date range, and the roll-up of approved returns.

``period_figures`` and ``period_rows`` are what a return shows while it is a draft and what
submitting freezes (domain.md, "Period returns"): the figures from aggregates in the database,
the per-project rows from one annotated query over the same projects, so the rows always add
up to the figures. ``returns_headline`` is the official roll-up of a round (``basis=returns``):
sums over the approved returns in scope, never over today's project records.

For a period from s to e (inclusive):

* cumulative projects start on or before e (every status, as the roll-up counts them); new
  ones start in [s, e]; active ones started by e, have not ended before s and are contracted,
  in progress or completed;
* enterprises are distinct clients of the cumulative projects; new products those whose
  product reached mass production or market; revenue and output are summed over them;
* financing is the rounds of those projects dated in [s, e] (period) or up to e (cumulative);
* a project's yield gain counts only the runs measured up to e (latest − earliest, in pp),
  for projects with at least two such runs.
"""

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual

from platforms.models import Platform
from projects.choices import ProjectStatus
from projects.models import Financing, Project, YieldRun
from projects.querysets import PERCENT, first_run_percent, latest_run_percent
from projects.returns.choices import ReturnStatus
from projects.returns.models import PeriodReturn, ReturnProjectRow

from ..cache import ReturnsCache
from ..scope import Scope
from .base import Fen, scoped_platforms, tenth, yuan
from .headline_figures import Headline, fill_platform_figures, median_gain

# Statuses a project counts as active in a period with (domain.md: a completed project worked
# on during the period counts; an intent or a terminated one does not).
PERIOD_ACTIVE_STATUSES = (
    ProjectStatus.CONTRACTED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.COMPLETED,
)
GAIN_PLACES = Decimal(10) ** -PERCENT["decimal_places"]
# Figures that have an increment against the previous approved return, and its column.
INCREMENTS = {
    "projects_cumulative": "projects_increment",
    "enterprises_cumulative": "enterprises_increment",
    "new_products_cumulative": "new_products_increment",
    "service_revenue_cumulative": "service_revenue_increment",
    "output_value_cumulative": "output_value_increment",
    "financing_cumulative": "financing_increment",
}


@dataclass
class PeriodFigures:
    """A platform's figures for a period (domain.md, "Period returns")."""

    projects_cumulative: int = 0
    projects_new: int = 0
    projects_active: int = 0
    enterprises_cumulative: int = 0
    new_products_cumulative: int = 0
    service_revenue_cumulative: Decimal = Decimal("0.00")
    output_value_cumulative: Decimal = Decimal("0.00")
    financing_period: Decimal = Decimal("0.00")
    financing_cumulative: Decimal = Decimal("0.00")
    yield_projects: int = 0
    yield_gain_pp_total: Decimal = Decimal("0")
    yield_gain_pp_mean: Decimal | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def of_return(cls, period_return) -> "PeriodFigures":
        """The figures frozen in a submitted or approved return."""
        return cls(**{name: getattr(period_return, name) for name in cls.__dataclass_fields__})


def increments(figures: PeriodFigures, baseline: PeriodFigures | None) -> dict:
    """Cumulative − the baseline's, per figure (the cumulative itself without a baseline)."""
    return {
        column: getattr(figures, name) - (getattr(baseline, name) if baseline else 0)
        for name, column in INCREMENTS.items()
    }


def _cumulative(platform_id: int, end: dt.date):
    return Project.objects.filter(platform_id=platform_id, start_on__lte=end).order_by()


def _is_new(start: dt.date, end: dt.date) -> Q:
    return Q(start_on__gte=start, start_on__lte=end)


def _is_active(start: dt.date) -> Q:
    return Q(status__in=PERIOD_ACTIVE_STATUSES) & (Q(end_on__isnull=True) | Q(end_on__gte=start))


def _gain_up_to(end: dt.date):
    """A project's yield gain over its runs measured up to ``end`` (NULL with fewer than two)."""
    runs = YieldRun.objects.filter(project_id=OuterRef("pk"), measured_on__lte=end)
    run_count = Subquery(
        runs.order_by().values("project_id").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )
    return Case(
        When(
            GreaterThanOrEqual(Coalesce(run_count, 0), 2),
            then=ExpressionWrapper(
                latest_run_percent(runs) - first_run_percent(runs),
                output_field=Project._meta.get_field("yield_gain_pp"),
            ),
        ),
        default=None,
    )


def period_figures(platform_id: int, start: dt.date, end: dt.date) -> PeriodFigures:
    """One platform's figures for [start, end], in two queries (projects, financing)."""
    projects = _cumulative(platform_id, end).annotate(gain=_gain_up_to(end))
    figures = projects.aggregate(
        cumulative=Count("pk"),
        new=Count("pk", filter=_is_new(start, end)),
        active=Count("pk", filter=_is_active(start)),
        enterprises=Count("enterprise", distinct=True),
        new_products=Count("pk", filter=Q(new_product=True)),
        revenue_fen=Sum(Fen("service_revenue")),
        output_fen=Sum(Fen("output_value")),
        yield_projects=Count("gain"),
        gain_total=Sum("gain"),
    )
    money = Financing.objects.filter(
        project__platform_id=platform_id, project__start_on__lte=end, date__lte=end
    ).aggregate(
        cumulative_fen=Sum(Fen("amount")),
        period_fen=Sum(Fen("amount"), filter=Q(date__gte=start)),
    )
    total = Decimal(figures["gain_total"] or 0).quantize(Decimal("0.0001"))
    count = figures["yield_projects"]
    return PeriodFigures(
        projects_cumulative=figures["cumulative"],
        projects_new=figures["new"],
        projects_active=figures["active"],
        enterprises_cumulative=figures["enterprises"],
        new_products_cumulative=figures["new_products"],
        service_revenue_cumulative=yuan(figures["revenue_fen"]),
        output_value_cumulative=yuan(figures["output_fen"]),
        financing_period=yuan(money["period_fen"]),
        financing_cumulative=yuan(money["cumulative_fen"]),
        yield_projects=count,
        yield_gain_pp_total=total,
        yield_gain_pp_mean=tenth(total / count) if count else None,
    )


def _financing_fen(end: dt.date, start: dt.date | None = None):
    rounds = Financing.objects.filter(project_id=OuterRef("pk"), date__lte=end)
    if start is not None:
        rounds = rounds.filter(date__gte=start)
    total = rounds.order_by().values("project_id").annotate(f=Sum(Fen("amount"))).values("f")[:1]
    return Coalesce(Subquery(total, output_field=IntegerField()), 0)


def period_rows(platform_id: int, start: dt.date, end: dt.date) -> list[dict]:
    """The cumulative projects with what each contributes to the figures, in one query."""
    rows = (
        _cumulative(platform_id, end)
        .annotate(
            is_new=Case(When(_is_new(start, end), then=True), default=False),
            is_active=Case(When(_is_active(start), then=True), default=False),
            financing_period_fen=_financing_fen(end, start),
            financing_cumulative_fen=_financing_fen(end),
            gain=_gain_up_to(end),
            enterprise_uscc=F("enterprise__uscc"),
        )
        .order_by("code", "pk")
        .values(
            "pk",
            "code",
            "title",
            "confidentiality",
            "status",
            "start_on",
            "end_on",
            "is_new",
            "is_active",
            "new_product",
            "enterprise_uscc",
            "enterprise_id",
            "service_revenue",
            "output_value",
            "financing_period_fen",
            "financing_cumulative_fen",
            "gain",
        )
    )
    result = []
    for row in rows:
        row["financing_period"] = yuan(row.pop("financing_period_fen"))
        row["financing_cumulative"] = yuan(row.pop("financing_cumulative_fen"))
        gain = row.pop("gain")
        row["yield_gain_pp"] = (
            None
            if gain is None
            else Decimal(gain).quantize(Decimal(10) ** -PERCENT["decimal_places"])
        )
        result.append(row)
    return result


# --------------------------------------------------------------------------------------------
# The official roll-up: approved returns only


@dataclass
class ReturnsBasis:
    """What a returns-based roll-up rests on: "as of e, M of the N expected returns"."""

    period_code: str
    as_of: dt.date
    returns_expected: int
    returns_approved: int
    increments: dict

    def as_json(self) -> dict:
        return {
            "period": self.period_code,
            "basis": "returns",
            "as_of": self.as_of.isoformat(),
            "returns_expected": self.returns_expected,
            "returns_approved": self.returns_approved,
            "increments": self.increments,
        }


def _sum_fen(field: str, condition: Q):
    return Sum(Fen(field), filter=condition)


def returns_headline(scope: Scope, user, period) -> tuple[Headline, ReturnsBasis]:
    """The headline of a round from its approved returns, in five queries whatever the size.

    Platforms are those whose return is approved (key platforms and the list share among them);
    projects, new products, revenue, output and financing are the sums of the returns'
    cumulative figures; enterprises are distinct clients (one credit code, one enterprise)
    over the returns' frozen project rows (a client of two platforms counts once); the mean
    gain is over every project of those returns with two runs, the median over their rows.
    """
    platforms = scoped_platforms(scope, user)
    returns = PeriodReturn.objects.filter(period=period, platform__in=platforms.values("pk"))
    approved = Q(status=ReturnStatus.APPROVED)
    figures = returns.order_by().aggregate(
        expected=Count("pk"),
        approved=Count("pk", filter=approved),
        projects=Sum("projects_cumulative", filter=approved),
        new_products=Sum("new_products_cumulative", filter=approved),
        revenue_fen=_sum_fen("service_revenue_cumulative", approved),
        output_fen=_sum_fen("output_value_cumulative", approved),
        financing_fen=_sum_fen("financing_cumulative", approved),
        yield_projects=Sum("yield_projects", filter=approved),
        gain_total=Sum("yield_gain_pp_total", filter=approved),
        inc_projects=Sum("projects_increment", filter=approved),
        inc_enterprises=Sum("enterprises_increment", filter=approved),
        inc_new_products=Sum("new_products_increment", filter=approved),
        inc_revenue_fen=_sum_fen("service_revenue_increment", approved),
        inc_output_fen=_sum_fen("output_value_increment", approved),
        inc_financing_fen=_sum_fen("financing_period", approved),
        new_projects=Sum("projects_new", filter=approved),
        grants_fen=_sum_fen("grants", approved),
        incubated=Sum("incubated_firms", filter=approved),
        changed=Max("updated_at", filter=approved),
    )
    result = Headline(scope=scope)
    # The figures over the approved returns' platforms and frozen rows change only when a
    # return of the round is approved or reopened: the approved count and the latest change
    # of an approved return identify that state, so they are cached under it.
    changed = figures["changed"]
    state = f"{figures['approved']}:{changed.timestamp() if changed else ''}"
    stored = ReturnsCache(scope, user, state).get(
        "returns-headline", lambda: _approved_figures(scope, returns.filter(approved))
    )
    for name, value in stored.items():
        setattr(result, name, value)
    result.projects = figures["projects"] or 0
    result.new_products = figures["new_products"] or 0
    result.service_revenue = yuan(figures["revenue_fen"])
    result.output_value = yuan(figures["output_fen"])
    result.financing = yuan(figures["financing_fen"])
    result.yield_projects = figures["yield_projects"] or 0
    if result.yield_projects:
        result.yield_gain_pp_mean = tenth(Decimal(figures["gain_total"]) / result.yield_projects)
    basis = ReturnsBasis(
        period_code=period.code,
        as_of=period.end_on,
        returns_expected=figures["expected"],
        returns_approved=figures["approved"],
        increments={
            "projects": figures["inc_projects"] or 0,
            "new_projects": figures["new_projects"] or 0,
            "enterprises": figures["inc_enterprises"] or 0,
            "new_products": figures["inc_new_products"] or 0,
            "service_revenue": f"{yuan(figures['inc_revenue_fen']):.2f}",
            "output_value": f"{yuan(figures['inc_output_fen']):.2f}",
            "financing": f"{yuan(figures['inc_financing_fen']):.2f}",
            "grants": f"{yuan(figures['grants_fen']):.2f}",
            "incubated_firms": figures["incubated"] or 0,
        },
    )
    return result, basis


def _approved_figures(scope: Scope, approved_returns) -> dict:
    """Platforms, key platforms and list share of the approved returns' platforms; distinct
    enterprises and the median gain over their frozen project rows (four or five queries)."""
    result = Headline(scope=scope)
    platforms = Platform.objects.filter(pk__in=approved_returns.values("platform_id")).order_by()
    fill_platform_figures(result, platforms)
    rows = ReturnProjectRow.objects.filter(period_return__in=approved_returns.values("pk"))
    figures = rows.order_by().aggregate(
        enterprises=Count("enterprise_ref", distinct=True), gains=Count("yield_gain_pp")
    )
    median = tenth(median_gain(rows)) if figures["gains"] else None
    return {
        "platforms": result.platforms,
        "key_platforms": result.key_platforms,
        "zones": result.zones,
        "key_platform_share": result.key_platform_share,
        "key_list_batches": result.key_list_batches,
        "province_total_entries": result.province_total_entries,
        "enterprises": figures["enterprises"],
        "yield_gain_pp_median": median,
    }

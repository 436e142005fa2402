"""The zone dashboard's own figures: this year so far against the same period last year (同比),
and the platforms that have gone quiet.

Year on year compares 1 January → today with 1 January → the same day last year (29 February
falls back to 28 February): projects started, their clients (distinct enterprises) and new
products, the service revenue of the projects started, and the financing rounds dated in the
period. One query over the projects (both periods as filtered aggregates), one over financing.

A platform is quiet when none of its projects was created or changed in the last 90 days
(``updated_at`` moves on every save, so it covers both), or it has no project at all: one
grouped query.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from tracker.formatting import round_half_up

from ..scope import Scope
from .base import Fen, scoped_financings, scoped_platforms, scoped_projects, yuan

QUIET_DAYS = 90
YEAR_ON_YEAR = ("projects", "enterprises", "new_products", "service_revenue", "financing")


def same_day_last_year(today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def _periods(today: dt.date) -> dict:
    last = same_day_last_year(today)
    return {
        "this": (dt.date(today.year, 1, 1), today),
        "last": (dt.date(last.year, 1, 1), last),
    }


def change_pct(current, previous) -> Decimal | None:
    """The change in percent, half up to 0.1; None when last year's figure is zero."""
    if not previous:
        return None
    return round_half_up((Decimal(current) - Decimal(previous)) * 100 / Decimal(previous), 1)


def year_on_year(zone, user, today: dt.date) -> list[dict]:
    """Per figure: this year so far, the same period last year and the change (同比)."""
    scope = Scope(zone=zone)
    aggregates = {}
    for period, (start, end) in _periods(today).items():
        started = Q(start_on__gte=start, start_on__lte=end)
        aggregates[f"projects_{period}"] = Count("pk", filter=started)
        aggregates[f"enterprises_{period}"] = Count("enterprise", distinct=True, filter=started)
        aggregates[f"new_products_{period}"] = Count("pk", filter=started & Q(new_product=True))
        aggregates[f"revenue_{period}"] = Sum(Fen("service_revenue"), filter=started)
    figures = scoped_projects(scope, user).aggregate(**aggregates)
    money = {}
    for period, (start, end) in _periods(today).items():
        dated = Q(date__gte=start, date__lte=end)
        money[f"financing_{period}"] = Sum(Fen("amount"), filter=dated)
    figures.update(scoped_financings(scope, user).aggregate(**money))
    rows = []
    for name in YEAR_ON_YEAR:
        key = "revenue" if name == "service_revenue" else name
        this, last = figures[f"{key}_this"], figures[f"{key}_last"]
        is_amount = name in ("service_revenue", "financing")
        if is_amount:
            this, last = yuan(this), yuan(last)
        rows.append(
            {
                "name": name,
                "this": this,
                "last": last,
                "change": change_pct(this, last),
                "is_amount": is_amount,
            }
        )
    return rows


def quiet_platforms(zone, user, today: dt.date, days: int = QUIET_DAYS) -> list[dict]:
    """Platforms of the zone with no project created or changed in ``days`` days, quietest
    first (never active first), with the date of their last change."""
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min))
    rows = (
        scoped_platforms(Scope(zone=zone), user)
        .annotate(last_change=Max("projects__updated_at"), projects_count=Count("projects"))
        .filter(Q(last_change__isnull=True) | Q(last_change__lt=cutoff))
        .order_by(F("last_change").asc(nulls_first=True), "name")
        .values("pk", "name", "last_change", "projects_count")
    )
    return list(rows)

"""The per-platform summaries behind the headline and the platform list are exact.

After random writes (new projects, changed money, dates and platforms, deleted projects, new and
deleted financing rounds) the headline of several scopes, read from the summaries, equals a full
recomputation over the projects, to the fen. Run inside a test transaction (on PostgreSQL the
versions have not moved yet: the writer's own reads) and with real commits.
"""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum

from platforms.choices import Sector
from projects.models import Financing, Project
from projects.reports.models import PlatformSummary
from projects.reports.queries import headline, tenth
from projects.reports.scope import Scope, command_user
from tests import factories

SCOPES = [
    {},
    {"zone": 0},
    {"year_from": 2022, "year_to": 2023},
    {"year_from": 2024},
    {"sector": Sector.INFORMATION_TECHNOLOGY},
]


def recomputed(scope: Scope) -> dict:
    """The headline's summed figures straight from the projects (no summary, no cache)."""
    projects = Project.objects.filter(scope.project_q())
    figures = projects.aggregate(
        projects=Count("pk"),
        enterprises=Count("enterprise", distinct=True),
        new_products=Count("pk", filter=Q(new_product=True)),
        yield_projects=Count("yield_gain_pp"),
        revenue=Sum("service_revenue"),
        output=Sum("output_value"),
    )
    financing = Financing.objects.filter(scope.project_q("project__")).aggregate(
        total=Sum("amount"), rounds=Count("pk")
    )
    gains = sorted(
        projects.filter(yield_gain_pp__isnull=False).values_list("yield_gain_pp", flat=True)
    )
    n = len(gains)
    middle = gains[(n - 1) // 2 : n // 2 + 1]
    return {
        "yield_gain_pp_mean": tenth(sum(gains) / n) if n else None,
        "yield_gain_pp_median": tenth(sum(middle) / len(middle)) if n else None,
        "projects": figures["projects"],
        "enterprises": figures["enterprises"],
        "new_products": figures["new_products"],
        "yield_projects": figures["yield_projects"],
        "service_revenue": (figures["revenue"] or Decimal(0)).quantize(Decimal("0.01")),
        "output_value": (figures["output"] or Decimal(0)).quantize(Decimal("0.01")),
        "financing": (financing["total"] or Decimal(0)).quantize(Decimal("0.01")),
        "financing_rounds": financing["rounds"],
    }


def from_summaries(scope: Scope) -> dict:
    result = headline(scope, command_user())
    return {name: getattr(result, name) for name in recomputed(scope)}


def build(rng):
    zones = [factories.ZoneFactory(), factories.ZoneFactory()]
    platforms = [
        factories.PlatformFactory(zone=zones[i % 2], sector=rng.choice(list(Sector)).value)
        for i in range(5)
    ]
    enterprises = [factories.EnterpriseFactory() for _ in range(6)]
    return zones, platforms, enterprises


def random_write(rng, platforms, enterprises):
    """One random write to report data."""
    projects = list(Project.objects.order_by("pk"))
    actions = [
        *("create", "create", "money", "move", "date", "delete", "round", "unround", "runs"),
        "gain",
    ]
    action = rng.choice(actions)
    if action == "create" or not projects:
        factories.ProjectFactory(
            platform=rng.choice(platforms),
            enterprise=rng.choice(enterprises),
            start_on=dt.date(rng.randint(2021, 2025), rng.randint(1, 12), 1),
            service_revenue=Decimal(rng.randint(0, 10**9)) / 100,
            output_value=Decimal(rng.randint(0, 10**11)) / 100,
            new_product=rng.random() < 0.4,
        )
        return
    project = rng.choice(projects)
    if action == "money":
        Project.objects.filter(pk=project.pk).update(
            service_revenue=Decimal(rng.randint(0, 10**9)) / 100
        )
    elif action == "move":
        Project.objects.filter(pk=project.pk).update(platform=rng.choice(platforms))
    elif action == "date":
        Project.objects.filter(pk=project.pk).update(
            start_on=dt.date(rng.randint(2021, 2025), 6, 1)
        )
    elif action == "delete" and not project.financings.exists():
        project.yield_runs.all().delete()
        project.delete()
    elif action == "round":
        factories.FinancingFactory(
            project=project,
            amount=Decimal(rng.randint(1, 10**8)) / 100,
            date=dt.date(2025, rng.randint(1, 12), rng.randint(1, 28)),
        )
    elif action == "runs" and not project.yield_runs.exists():
        for sequence, passed in enumerate([rng.randint(1, 100), rng.randint(1, 100)], start=1):
            factories.YieldRunFactory(
                project=project,
                stage=project.stage,
                sequence=sequence,
                measured_on=dt.date(2025, sequence, 1),
                units_tested=100,
                units_passed=passed,
            )
    elif action == "gain":
        # Gains are stored with four decimals (runs of other than 100 units).
        Project.objects.filter(pk=project.pk).update(
            yield_gain_pp=Decimal(rng.randint(-200000, 600000)) / 10000
        )
    elif action == "unround":
        Financing.objects.filter(pk__in=project.financings.values("pk")[:1]).delete()


def check_after_random_writes(seed):
    rng = random.Random(seed)
    zones, platforms, enterprises = build(rng)
    for step in range(40):
        random_write(rng, platforms, enterprises)
        if step % 4 == 3:
            for spec in SCOPES:
                scope = Scope(**{k: (zones[v] if k == "zone" else v) for k, v in spec.items()})
                assert from_summaries(scope) == recomputed(scope), (step, spec)
    assert PlatformSummary.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2])
def test_summaries_equal_a_full_recomputation_after_random_writes(seed):
    check_after_random_writes(seed)


@pytest.mark.django_db(transaction=True)
def test_summaries_equal_a_full_recomputation_after_random_committed_writes():
    check_after_random_writes(3)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("gains", "expected"),
    [
        # In hundredths rounded per project (SQLite): 12.35 twice, 12.4 (not 12.345 → 12.3).
        (("12.3450", "12.3450"), Decimal("12.3")),
        # In hundredths truncated per year (PostgreSQL): 12.34 and 12.35, mean 12.345 → 12.3.
        (("12.3449", "12.3551"), Decimal("12.4")),
    ],
)
def test_mean_and_median_gains_keep_the_four_decimals_of_the_projects(gains, expected):
    platform = factories.PlatformFactory()
    for year, gain in zip((2023, 2024), gains, strict=True):
        project = factories.ProjectFactory(platform=platform, start_on=dt.date(year, 5, 1))
        Project.objects.filter(pk=project.pk).update(yield_gain_pp=Decimal(gain))

    result = headline(Scope(), command_user())
    assert (result.yield_gain_pp_mean, result.yield_gain_pp_median) == (expected, expected)


@pytest.mark.django_db
def test_stale_summary_rows_are_replaced_not_added_to():
    platform = factories.PlatformFactory()
    factories.ProjectFactory(platform=platform, start_on=dt.date(2024, 5, 1))
    headline(Scope(), command_user())
    factories.ProjectFactory(platform=platform, start_on=dt.date(2024, 6, 1))

    assert headline(Scope(), command_user()).projects == 2
    # One label of rows per platform (older labels deleted when a newer one is stored).
    labels = PlatformSummary.objects.values_list("version", "local_mark").distinct()
    assert len(labels) == 1

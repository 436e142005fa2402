"""A return's figures (domain.md, "Period returns") and every logic check at its edge."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from projects.reports.queries import PeriodFigures, period_figures, period_rows
from projects.returns.checks import increment_limit, run_checks
from projects.returns.periods import parse_code

pytestmark = pytest.mark.django_db


def test_period_figures_count_what_the_domain_note_defines(round_2025, world):
    figures = period_figures(world["platform_a"].pk, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert figures.projects_cumulative == 3  # the 2026 project is not counted
    assert figures.projects_new == 2  # started 2025-04-01 and 2025-12-31 (the last day counts)
    # The completed one ended 2025-02-01 ≥ s; the intent does not count as active.
    assert figures.projects_active == 2
    assert figures.enterprises_cumulative == 2  # two projects share one client
    assert figures.new_products_cumulative == 1
    assert figures.service_revenue_cumulative == Decimal("500000.00")
    assert figures.financing_period == Decimal("2000000.00")
    assert figures.financing_cumulative == Decimal("3000000.00")
    # Runs measured up to 2025-12-31 only: 40% → 90%, not the 2026 run's 99%.
    assert figures.yield_projects == 1
    assert figures.yield_gain_pp_mean == Decimal("50.0")


def test_the_rows_add_up_to_the_figures(round_2025, world):
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    figures = period_figures(world["platform_a"].pk, start, end)
    rows = period_rows(world["platform_a"].pk, start, end)
    assert len(rows) == figures.projects_cumulative
    assert sum(row["is_new"] for row in rows) == figures.projects_new
    assert sum(row["is_active"] for row in rows) == figures.projects_active
    assert sum(row["service_revenue"] for row in rows) == figures.service_revenue_cumulative
    assert sum(row["financing_period"] for row in rows) == figures.financing_period


def test_a_project_that_ended_before_the_period_is_not_active(world):
    from tests import factories

    factories.ProjectFactory(
        platform=world["platform_a"],
        start_on=dt.date(2024, 1, 1),
        end_on=dt.date(2024, 12, 31),
        status="completed",
    )
    figures = period_figures(world["platform_a"].pk, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert figures.projects_active == 0


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("2025H2", dt.date(2025, 7, 1), dt.date(2025, 12, 31)),
        ("2025Q1", dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ],
)
def test_period_codes(code, start, end):
    period = parse_code(code)
    assert (period.start_on, period.end_on) == (start, end)


@pytest.mark.parametrize("code", ["2025Q5", "2025h1", "25", "2025-13", " 2025", "2025-1", "1900"])
def test_malformed_period_codes_are_refused(code):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        parse_code(code)


def figures(**values):
    base = PeriodFigures(
        projects_cumulative=10,
        projects_new=2,
        projects_active=3,
        enterprises_cumulative=5,
        new_products_cumulative=4,
        service_revenue_cumulative=Decimal("1000"),
    )
    for name, value in values.items():
        setattr(base, name, value)
    return base


def manual(grants=Decimal(0)):
    return SimpleNamespace(grants=grants, staff_headcount=3, incubated_firms=0)


INCS = {
    "service_revenue_increment": Decimal("1000"),
    "output_value_increment": Decimal("0"),
}


def check(fig=None, incs=None, *, baseline=None, evidence=1, months=3, grants=Decimal(0)):
    return run_checks(
        fig or figures(),
        {**INCS, **(incs or {})},
        manual(grants),
        months=months,
        baseline=baseline,
        evidence_count=evidence,
    )


def test_a_clean_return_has_no_error_and_no_warning():
    result = check()
    assert (result.errors, result.warnings) == ([], [])


@pytest.mark.parametrize(
    ("name", "ok", "bad"),
    [
        ("projects_new", 10, 11),
        ("enterprises_cumulative", 10, 11),
        ("new_products_cumulative", 10, 11),
    ],
)
def test_a_figure_above_the_cumulative_projects_is_an_error_one_above_the_edge(name, ok, bad):
    assert check(figures(**{name: ok})).errors == []
    assert len(check(figures(**{name: bad})).errors) == 1


def test_a_negative_figure_is_an_error_zero_is_not():
    assert check(figures(financing_period=Decimal("0"))).errors == []
    assert "negative" in check(figures(financing_period=Decimal("-0.01"))).errors[0]


def test_no_evidence_is_an_error():
    assert len(check(evidence=0).errors) == 1


def test_a_cumulative_figure_below_the_previous_return_is_a_warning():
    baseline = SimpleNamespace(
        **figures().as_dict(), service_revenue_increment=None, output_value_increment=None
    )
    assert check(baseline=baseline).warnings == []
    lower = figures(projects_cumulative=9, projects_new=2)
    assert any("correction" in w for w in check(lower, baseline=baseline).warnings)


def test_an_increment_above_three_times_the_previous_is_a_warning_at_the_edge():
    baseline = SimpleNamespace(
        **figures().as_dict(),
        service_revenue_increment=Decimal("1000"),
        output_value_increment=Decimal("0"),
    )
    at_edge = {"service_revenue_increment": Decimal("3000")}
    above = {"service_revenue_increment": Decimal("3000.01")}
    assert check(incs=at_edge, baseline=baseline).warnings == []
    assert len(check(incs=above, baseline=baseline).warnings) == 1


def test_an_increment_above_100_million_in_a_quarter_is_a_warning_at_the_edge():
    assert increment_limit(3) == Decimal("100000000.00")
    assert increment_limit(12) == Decimal("400000000.00")
    at_edge = {"output_value_increment": Decimal("100000000")}
    above = {"output_value_increment": Decimal("100000000.01")}
    assert check(incs=at_edge).warnings == []
    assert len(check(incs=above).warnings) == 1
    assert check(incs={"output_value_increment": Decimal("300000000")}, months=12).warnings == []


def test_no_new_project_while_projects_are_active_is_a_warning():
    assert len(check(figures(projects_new=0)).warnings) == 1
    assert check(figures(projects_new=0, projects_active=0)).warnings == []


def test_grants_above_the_revenue_increment_are_a_warning_at_the_edge():
    assert check(grants=Decimal("1000")).warnings == []
    assert len(check(grants=Decimal("1000.01")).warnings) == 1

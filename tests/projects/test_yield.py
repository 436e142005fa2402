"""Yield comes from the counts; a project's gain is latest minus earliest run, in pp."""

import datetime as dt
from decimal import Decimal

import pytest

from projects.models import Project, YieldRun, yield_percent
from tests import factories

pytestmark = pytest.mark.django_db


def add_runs(project, *runs):
    """Runs as (stage, sequence, day offset, tested, passed)."""
    for stage, sequence, day, tested, passed in runs:
        YieldRun.objects.create(
            project=project,
            stage=stage,
            sequence=sequence,
            measured_on=project.start_on + dt.timedelta(days=day),
            units_tested=tested,
            units_passed=passed,
        )
    project.refresh_from_db()
    return project


def test_the_published_case_40_to_90_percent_is_a_gain_of_50_pp_and_125_percent():
    project = add_runs(
        factories.ProjectFactory(),
        ("DVT", 1, 10, 200, 80),
        ("DVT", 2, 40, 200, 130),
        ("PVT", 1, 90, 500, 450),
    )
    assert project.yield_run_count == 3
    assert project.yield_first_pct == Decimal("40.0000")
    assert project.yield_latest_pct == Decimal("90.0000")
    assert project.yield_gain_pp == Decimal("50.0000")
    assert project.yield_gain_relative_pct == Decimal("125.0")


def test_a_project_without_runs_or_with_one_run_has_no_gain():
    empty = factories.ProjectFactory()
    single = add_runs(factories.ProjectFactory(), ("DVT", 1, 5, 10, 7))
    empty.refresh_from_db()
    assert (empty.yield_run_count, empty.yield_gain_pp) == (0, None)
    assert (single.yield_run_count, single.yield_latest_pct, single.yield_gain_pp) == (
        1,
        Decimal("70.0000"),
        None,
    )


def test_earliest_and_latest_are_by_date_then_sequence_not_by_entry_order():
    project = add_runs(
        factories.ProjectFactory(),
        ("PVT", 1, 90, 100, 95),
        ("DVT", 2, 30, 100, 60),
        ("DVT", 1, 30, 100, 50),
    )
    assert project.yield_first_pct == Decimal("50.0000")
    assert project.yield_latest_pct == Decimal("95.0000")
    assert project.yield_gain_pp == Decimal("45.0000")


def test_the_first_run_is_the_earliest_measured_even_when_its_sequence_is_higher():
    """EVT#3 measured in January comes before DVT#1 measured in March: the date decides, the
    sequence only orders runs measured on the same day."""
    project = add_runs(
        factories.ProjectFactory(),
        ("DVT", 1, 60, 100, 70),
        ("EVT", 3, 10, 100, 30),
    )
    assert project.yield_first_pct == Decimal("30.0000")
    assert project.yield_latest_pct == Decimal("70.0000")
    assert project.yield_gain_pp == Decimal("40.0000")


def test_gain_can_be_negative():
    project = add_runs(factories.ProjectFactory(), ("DVT", 1, 1, 10, 9), ("DVT", 2, 2, 10, 6))
    assert project.yield_gain_pp == Decimal("-30.0000")


def test_summary_follows_edits_and_deletes_of_runs():
    project = add_runs(factories.ProjectFactory(), ("DVT", 1, 1, 10, 4), ("PVT", 1, 2, 10, 9))
    last = project.yield_runs.get(stage="PVT")
    last.units_passed = 10
    last.save()
    project.refresh_from_db()
    assert project.yield_gain_pp == Decimal("60.0000")
    last.delete()
    project.refresh_from_db()
    assert (project.yield_run_count, project.yield_gain_pp) == (1, None)


def test_bulk_loaded_runs_are_summarised_by_one_refresh_in_two_queries(django_assert_num_queries):
    projects = factories.ProjectFactory.create_batch(3)
    YieldRun.objects.bulk_create(
        YieldRun(
            project=project,
            stage="DVT",
            sequence=sequence,
            measured_on=project.start_on + dt.timedelta(days=sequence),
            units_tested=3,
            units_passed=sequence,
        )
        for project in projects
        for sequence in (1, 2, 3)
    )
    with django_assert_num_queries(2):
        Project.objects.filter(pk__in=[p.pk for p in projects]).refresh_yield_summary()
    gains = set(Project.objects.values_list("yield_run_count", "yield_gain_pp"))
    assert gains == {(3, Decimal("66.6667"))}


def test_fractional_yields_round_half_up_to_four_decimals():
    # 1/128 = 0.78125 %: the trailing 5 goes up, in Python as in the stored SQL summary.
    assert yield_percent(1, 128) == Decimal("0.7813")
    assert yield_percent(3, 128) == Decimal("2.3438")
    assert yield_percent(2, 3) == Decimal("66.6667")
    assert yield_percent(1, 3) == Decimal("33.3333")
    assert yield_percent(0, 7) == Decimal("0.0000")
    project = add_runs(factories.ProjectFactory(), ("DVT", 1, 1, 3, 1), ("DVT", 2, 2, 3, 2))
    assert project.yield_first_pct == yield_percent(1, 3)
    assert project.yield_latest_pct == yield_percent(2, 3)
    project = add_runs(factories.ProjectFactory(), ("DVT", 1, 1, 128, 1), ("DVT", 2, 2, 128, 3))
    assert project.yield_first_pct == yield_percent(1, 128) == project.yield_runs.first().yield_pct
    assert project.yield_latest_pct == yield_percent(3, 128)


def test_first_pass_yield_is_computed_from_first_pass_units():
    run = factories.YieldRunFactory(units_tested=200, units_passed=180, first_pass_units=150)
    assert run.yield_pct == Decimal("90.0000")
    assert run.first_pass_yield_pct == Decimal("75.0000")

"""The report query layer against hand-computed figures (see ``tests/report_fixtures.py``)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation

from projects.reports import queries
from projects.reports.scope import Scope, command_user
from tests import factories

pytestmark = pytest.mark.django_db


def test_manager_headline_counts_every_metric_of_the_zone(report_world):
    result = queries.headline(Scope(), report_world["manager"])

    assert result.platforms == 2
    assert result.key_platforms == 1  # B's recognition is revoked; the provincial list never counts
    assert result.key_platform_share == Decimal("0.25")  # 1 of the province's 4 entries
    assert result.projects == 4
    assert result.enterprises == 2
    assert result.new_products == 2
    assert result.service_revenue == Decimal("1300.60")
    assert result.output_value == Decimal("3500.55")
    assert result.financing == Decimal("1000300.03")
    assert result.yield_projects == 2  # A3 has one run, B1 none
    assert result.yield_gain_pp_mean == Decimal("40.0")
    assert result.yield_gain_pp_median == Decimal("40.0")


def test_administrator_headline_spans_two_provinces_so_the_share_is_unknown(report_world):
    result = queries.headline(Scope(), report_world["admin_user"])

    assert (result.platforms, result.key_platforms, result.key_platform_share) == (3, 2, None)
    assert (result.projects, result.enterprises, result.new_products) == (5, 3, 2)
    assert result.service_revenue == Decimal("1305.60")
    assert result.output_value == Decimal("3507.55")
    assert result.financing == Decimal("1000350.03")
    assert result.yield_projects == 3
    assert result.yield_gain_pp_mean == Decimal("23.3")  # (50 + 30 - 10) / 3
    assert result.yield_gain_pp_median == Decimal("30.0")


def test_share_is_unknown_when_the_province_has_no_reference_total(report_world):
    result = queries.headline(Scope(), report_world["other_manager"])

    assert (result.platforms, result.key_platforms) == (1, 1)
    assert result.key_platform_share is None


def test_staff_report_counts_only_their_platform_unlike_the_managers(report_world):
    staff = queries.headline(Scope(), report_world["staff_a"])
    manager = queries.headline(Scope(), report_world["manager"])

    assert (staff.platforms, staff.projects, staff.new_products) == (1, 3, 1)
    assert staff.service_revenue == Decimal("300.60")
    assert staff.financing == Decimal("1000000.03")
    assert staff.key_platform_share == Decimal("0.25")
    assert (manager.platforms, manager.projects) == (2, 4)


def test_a_user_without_membership_sees_an_empty_report(report_world):
    result = queries.headline(Scope(), factories.UserFactory())

    assert (result.platforms, result.projects, result.financing) == (0, 0, Decimal("0.00"))
    assert result.yield_gain_pp_mean is None
    assert result.yield_gain_pp_median is None


def test_year_filter_narrows_projects_but_not_platforms(report_world):
    result = queries.headline(Scope(year_from=2024, year_to=2024), report_world["manager"])

    assert result.platforms == 2
    assert (result.projects, result.enterprises, result.new_products) == (3, 2, 1)
    assert result.service_revenue == Decimal("1200.50")
    assert result.financing == Decimal("300.00")  # only B1 (2024) raised money
    assert (result.yield_projects, result.yield_gain_pp_median) == (1, Decimal("30.0"))


def test_zone_platform_and_sector_filters_narrow_the_scope(report_world):
    admin = report_world["admin_user"]
    by_zone = queries.headline(Scope(zone=report_world["zone2"]), admin)
    by_platform = queries.headline(Scope(platform=report_world["platform_b"]), admin)
    by_sector = queries.headline(Scope(sector="information_technology"), admin)

    assert (by_zone.platforms, by_zone.projects, by_zone.financing) == (1, 1, Decimal("50.00"))
    assert (by_platform.platforms, by_platform.key_platforms, by_platform.projects) == (1, 0, 1)
    assert by_platform.key_platform_share is None  # no key platform: nothing to compare
    assert (by_sector.platforms, by_sector.projects) == (2, 4)


def test_median_of_an_even_number_of_gains_is_the_mean_of_the_middle_two(report_world):
    extra = factories.ProjectFactory(
        platform=report_world["platform_c"], start_on=dt.date(2025, 1, 1)
    )
    for sequence, passed in enumerate((10, 30), start=1):
        factories.YieldRunFactory(
            project=extra,
            sequence=sequence,
            measured_on=dt.date(2025, 2, sequence),
            units_tested=100,
            units_passed=passed,
        )

    result = queries.headline(Scope(), report_world["admin_user"])

    assert result.yield_projects == 4  # gains -10, 20, 30, 50
    assert result.yield_gain_pp_median == Decimal("25.0")
    assert result.yield_gain_pp_mean == Decimal("22.5")


def test_money_sums_are_exact_to_the_fen_where_float_addition_is_not(world):
    # Near the maximum an amount may have (10^12 yuan), where a double has no digit to spare.
    amounts = [Decimal("999999999999.99")] * 9 + [Decimal("0.10"), Decimal("0.20")] * 5
    for amount in amounts:
        factories.ProjectFactory(
            platform=world["platform_a"], service_revenue=amount, output_value=amount
        )
        # A cheap float trap in financing as well.
    exact = sum(amounts)

    result = queries.headline(Scope(), world["admin_user"])

    assert exact == Decimal("9000000000001.41")
    assert result.service_revenue == exact
    assert result.output_value == exact
    if connection.vendor == "sqlite":
        # The naive SUM really is wrong on SQLite: this test would catch a regression to it.
        # In insertion order (NOT INDEXED): read from the (service_revenue, id) index, the
        # amounts come sorted, and that order happens to add up exactly.
        with connection.cursor() as cursor:
            cursor.execute("SELECT SUM(service_revenue) FROM projects_project NOT INDEXED")
            naive = Decimal(str(cursor.fetchone()[0]))
        assert naive != exact


def test_financing_sum_is_exact_for_many_small_amounts(world):
    project = factories.ProjectFactory(platform=world["platform_a"])
    for day in range(1, 21):
        factories.FinancingFactory(
            project=project, date=dt.date(2024, 1, day), amount=Decimal("0.10")
        )
        factories.FinancingFactory(
            project=project, date=dt.date(2024, 2, day), amount=Decimal("0.20")
        )

    result = queries.headline(Scope(), world["admin_user"])

    assert result.financing == Decimal("6.00")
    assert result.financing_rounds == 40


def test_by_platform_rows_add_up_to_the_headline(report_world):
    manager = report_world["manager"]
    rows = queries.by_platform(Scope(), manager)
    total = queries.headline(Scope(), manager)

    assert sorted(row["label"] for row in rows) == ["另一平台", "蜂鸟平台"]
    a = next(row for row in rows if row["pk"] == report_world["platform_a"].pk)
    assert (a["projects"], a["enterprises"], a["new_products"], a["key_platforms"]) == (3, 2, 1, 1)
    assert a["service_revenue"] == Decimal("300.60")
    assert a["financing"] == Decimal("1000000.03")
    assert a["yield_gain_pp_mean"] == Decimal("40.0")
    for figure in ("projects", "new_products", "service_revenue", "output_value", "financing"):
        assert sum(row[figure] for row in rows) == getattr(total, figure)
    assert sum(row["platforms"] for row in rows) == total.platforms
    assert sum(row["key_platforms"] for row in rows) == total.key_platforms


def test_platforms_without_projects_in_the_year_still_appear_with_zeros(report_world):
    rows = queries.by_platform(Scope(year_from=2023, year_to=2023), report_world["manager"])

    assert {row["label"]: row["projects"] for row in rows} == {"另一平台": 0, "蜂鸟平台": 1}
    empty = next(row for row in rows if row["label"] == "另一平台")
    assert empty["service_revenue"] == empty["financing"] == Decimal("0.00")


def test_by_sector_zone_and_year_add_up_to_the_headline(report_world):
    admin = report_world["admin_user"]
    total = queries.headline(Scope(), admin)
    sectors = queries.by_sector(Scope(), admin)
    zones = queries.by_zone(Scope(), admin)
    years = queries.by_start_year(Scope(), admin)

    assert {row["sector"]: row["projects"] for row in sectors} == {
        "information_technology": 4,
        "raw_materials": 1,
    }
    assert {row["label"]: (row["platforms"], row["projects"]) for row in zones} == {
        "成都高新区": (2, 4),
        "昆山高新区": (1, 1),
    }
    assert [(row["year"], row["projects"], row["financing"]) for row in years] == [
        (2023, 1, Decimal("1000000.03")),
        (2024, 3, Decimal("300.00")),
        (2025, 1, Decimal("50.00")),
    ]
    for rows in (sectors, zones, years):
        for figure in ("projects", "service_revenue", "output_value", "financing", "new_products"):
            assert sum(row[figure] for row in rows) == getattr(total, figure)


def test_yield_section_histogram_reach_and_stages(report_world):
    section = queries.yield_section(Scope(), report_world["admin_user"])

    counts = {row["label"]: row["projects"] for row in section.histogram}
    assert counts["< 0"] == 1
    assert counts["30–40"] == 1
    assert counts["50–60"] == 1
    assert sum(counts.values()) == 3
    assert (section.with_runs, section.reached) == (4, 2)  # A1 at 90%, A3 at 95%
    assert section.reached_share == Decimal("50.0")
    assert [
        (row["stage"], row["projects"], row["yield_gain_pp_mean"]) for row in section.by_stage
    ] == [
        ("DVT", 1, Decimal("30.0")),
        ("PVT", 1, Decimal("50.0")),
        ("MP", 1, Decimal("-10.0")),
    ]


def test_top_gains_list_first_and_latest_yield_best_first(report_world):
    top = queries.top_gains(Scope(), report_world["admin_user"])

    assert [row["code"] for row in top] == ["A1", "A2", "C1"]
    assert (top[0]["yield_first_pct"], top[0]["yield_latest_pct"]) == (Decimal(40), Decimal(90))
    assert top[0]["yield_gain_pp"] == Decimal(50)


def test_confidential_title_is_masked_for_the_manager_but_not_for_its_staff(report_world):
    with translation.override("en"):
        manager_rows = queries.top_gains(Scope(), report_world["manager"])
    staff_rows = queries.top_gains(Scope(), report_world["staff_a"])

    masked = next(row for row in manager_rows if row["code"] == "A2")
    assert masked["title"] == masked["product"] == "Confidential project"
    assert masked["masked"] is True
    own = next(row for row in staff_rows if row["code"] == "A2")
    assert own["title"] == "A2 标题"
    assert own["masked"] is False


def test_financing_by_round_instrument_investor_type_and_year(report_world):
    admin = report_world["admin_user"]

    by_round = queries.financing_by(Scope(), admin, "round")
    by_instrument = queries.financing_by(Scope(), admin, "instrument")
    by_investor = queries.financing_by(Scope(), admin, "investor_type")
    by_year = queries.financing_by(Scope(), admin, "year")

    assert [(row["key"], row["amount"]) for row in by_round] == [
        ("seed", Decimal("300.00")),
        ("angel", Decimal("0.02")),
        ("a", Decimal("1000000.01")),
        ("strategic", Decimal("50.00")),
    ]
    assert {row["key"]: row["rounds"] for row in by_instrument} == {
        "equity": 2,
        "bank_loan": 1,
        "other": 1,
    }
    assert {row["key"]: row["amount"] for row in by_investor}["guidance_fund"] == Decimal("300.00")
    assert [(row["key"], row["amount"]) for row in by_year] == [
        (2023, Decimal("1000000.01")),
        (2024, Decimal("300.02")),
        (2025, Decimal("50.00")),
    ]


def test_command_user_reports_unscoped(report_world):
    assert queries.headline(Scope(), command_user()).platforms == 3


def _gain_project(platform, percents, tested=200):
    """A project whose yield runs measure ``percents`` (of ``tested`` units), a month apart."""
    project = factories.ProjectFactory(platform=platform, start_on=dt.date(2024, 1, 1))
    for month, percent in enumerate(percents, start=2):
        factories.YieldRunFactory(
            project=project,
            sequence=month - 1,
            measured_on=dt.date(2024, month, 1),
            units_tested=tested,
            units_passed=int(Decimal(percent) * tested / 100),
        )
    return project


def test_29_fen_are_29_fen_in_every_figure_group_not_28(world):
    # 0.29 × 100 is 28.999999999999996 in floating point: a sum of ``x * 100`` truncated to
    # integer fen (instead of rounded, on SQLite) reports 0.28.
    project = factories.ProjectFactory(
        platform=world["platform_a"],
        service_revenue=Decimal("0.29"),
        output_value=Decimal("0.29"),
    )
    factories.FinancingFactory(project=project, amount=Decimal("0.29"))
    admin, fen29 = world["admin_user"], Decimal("0.29")

    result = queries.headline(Scope(), admin)
    platform = next(row for row in queries.by_platform(Scope(), admin) if row["projects"])
    (year,) = queries.by_start_year(Scope(), admin)
    (by_round,) = queries.financing_by(Scope(), admin, "round")

    assert (result.service_revenue, result.output_value, result.financing) == (fen29,) * 3
    assert (platform["service_revenue"], platform["output_value"], platform["financing"]) == (
        (fen29,) * 3
    )
    assert (year["service_revenue"], year["financing"], by_round["amount"]) == (fen29,) * 3


def test_the_mean_and_median_gain_round_a_trailing_5_up_not_to_even(world):
    # Gains of 12 and 12.5 pp: mean and median 12.25, which half up makes 12.3 (half even 12.2).
    _gain_project(world["platform_a"], ["40", "52"])
    _gain_project(world["platform_a"], ["40", "52.5"])
    admin = world["admin_user"]

    result = queries.headline(Scope(), admin)
    platform = next(row for row in queries.by_platform(Scope(), admin) if row["projects"])
    (stage,) = queries.yield_section(Scope(), admin).by_stage

    assert result.yield_projects == 2
    assert result.yield_gain_pp_mean == result.yield_gain_pp_median == Decimal("12.3")
    assert platform["yield_gain_pp_mean"] == Decimal("12.3")
    assert stage["yield_gain_pp_mean"] == Decimal("12.3")
    assert stage["yield_latest_pct_mean"] == Decimal("52.3")  # (52 + 52.5) / 2 = 52.25

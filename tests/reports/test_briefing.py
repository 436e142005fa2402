"""Briefing text: the rules that keep 超 / 近 / 余 honest, at their edges; the published text."""

import datetime as dt
from decimal import Decimal

import pytest

from platforms.models import Platform, Zone
from projects.reports import briefing, queries
from projects.reports.scope import Scope, command_user

D = Decimal

CHENGDU_ZH = (
    "成都高新区共有中试平台96家,其中工信部首批重点培育中试平台8家(占全省50%);累计服务中试项目4547个,"
    "中试服务收入超18亿元,产品产值超100亿元,助力企业融资超28.5亿元。"
)
CHENGDU_EN = (
    "Chengdu High-tech Zone has built 96 pilot-test platforms, 8 of them on MIIT's first list "
    "of key cultivated pilot platforms (50% of the province's). They have served 4,547 pilot "
    "projects, with pilot-service revenue over 1.8 billion yuan, product output value over "
    "10 billion yuan, and financing raised over 2.85 billion yuan."
)


@pytest.mark.parametrize(
    ("yuan", "zh", "en"),
    [
        ("1834567890.12", "超18亿元", "over 1.8 billion yuan"),  # the example
        ("1800000000.00", "18亿元", "1.8 billion yuan"),  # exact round figure: plainly
        ("1800000000.01", "超18亿元", "over 1.8 billion yuan"),  # just above
        ("1799999999.99", "超17.5亿元", "over 1.75 billion yuan"),  # just below: never 18
        ("1849999999.99", "超18亿元", "over 1.8 billion yuan"),  # top of the 超18亿 bracket
        ("2872000000.00", "超28.5亿元", "over 2.85 billion yuan"),  # half step, third digit
        ("2850000000.00", "28.5亿元", "2.85 billion yuan"),
        ("10260000000.00", "超100亿元", "over 10 billion yuan"),
        ("1960000000.00", "19.6亿元", "1.96 billion yuan"),  # three digits: exact
        ("1960000000.01", "近20亿元", "nearly 2 billion yuan"),  # within 3% below 20亿
        ("1939999999.99", "超19亿元", "over 1.9 billion yuan"),  # just outside the 3%
        ("99500000.01", "近1亿元", "nearly 100 million yuan"),  # 近 crosses into 亿
        ("12345.00", "超1.2万元", "over 12,000 yuan"),
        ("0.00", "0元", "0 yuan"),  # zero
    ],
)
def test_amounts_are_stated_without_overstating(yuan, zh, en):
    assert briefing.amount_zh(D(yuan)) == zh
    assert briefing.amount_en(D(yuan)) == en


@pytest.mark.parametrize(
    ("yuan",),
    [("1834567890.12",), ("1799999999.99",), ("1960000000.01",), ("5.55",), ("123456789.01",)],
)
def test_an_over_figure_is_below_the_data_and_a_nearly_figure_above_it(yuan):
    stated = briefing.state_amount(D(yuan))
    if stated.qualifier == briefing.OVER:
        assert stated.figure < D(yuan)
    elif stated.qualifier == briefing.NEARLY:
        assert D(yuan) < stated.figure <= D(yuan) / (1 - briefing.NEARLY_WITHIN)
    else:
        assert stated.figure == D(yuan)


@pytest.mark.parametrize(
    ("count", "zh", "en"),
    [
        (612, "600余项", "over 600"),  # the example
        (389, "近400项", "nearly 400"),  # the example
        (600, "600项", "600"),  # exact round figure
        (601, "600余项", "over 600"),  # just above
        (599, "近600项", "nearly 600"),  # just below a round figure
        (581, "500余项", "over 500"),  # 19 below 600: outside 近 (3% of 600 = 18)
        (388, "近400项", "nearly 400"),  # 3% of 400 = 12: the edge of 近
        (387, "300余项", "over 300"),
        (4547, "4500余项", "over 4,500"),
        (96, "96项", "96"),  # below 100: always exact
        (0, "0项", "0"),
    ],
)
def test_counts_of_a_platform_briefing_are_rounded_down_or_nearly(count, zh, en):
    assert briefing.count_zh(count, "项", rounded=True) == zh
    assert briefing.count_en(count, rounded=True) == en


def test_counts_of_a_zone_briefing_are_exact():
    assert briefing.count_zh(4547, "个") == "4547个"
    assert briefing.count_en(4547) == "4,547"


def test_share_is_whole_percent_or_floored_with_over():
    assert briefing.share_zh(D("0.5")) == "50%"
    assert briefing.share_zh(D("0.4375")) == "超43%"
    assert briefing.share_en(D("0.4375")) == "over 43%"


def test_briefing_leaves_out_the_share_when_the_province_total_is_missing(report_world):
    rollup = queries.headline(Scope(), report_world["other_manager"])

    text = briefing.briefing(rollup, "zh-hans")

    assert text.startswith("昆山高新区共有中试平台1家,其中工信部首批重点培育中试平台1家;")
    assert "占全省" not in text
    assert "of the province" not in briefing.briefing(rollup, "en")


def test_briefing_of_the_small_data_set(report_world):
    rollup = queries.headline(Scope(), report_world["manager"])

    zh = briefing.briefing(rollup, "zh-hans")
    en = briefing.briefing(rollup, "en")

    assert zh.startswith(
        "成都高新区共有中试平台2家,其中工信部首批重点培育中试平台1家(占全省25%);累计服务中试项目4个,"
        "中试服务收入超1300元,产品产值超3500元,助力企业融资超100万元。"
    )
    assert "服务企业2家,孵化新产品2个。" in zh
    assert "良率平均提升40.0个百分点(中位数40.0个百分点)" in zh
    name = report_world["zone1"].name_en
    assert en.startswith(f"{name} has built 2 pilot-test platforms, 1 of them on MIIT's first")
    assert "yield rose by 40.0 percentage points on average (median 40.0)" in en


def test_chengdu_demo_data_reproduces_the_published_sentence(db, demo):
    zone = Zone.objects.get(name="成都高新区")
    rollup = queries.headline(Scope(zone=zone), command_user())

    assert briefing.briefing(rollup, "zh-hans").startswith(CHENGDU_ZH)
    assert briefing.briefing(rollup, "en").startswith(CHENGDU_EN)


def test_hummingbird_platform_briefing_rounds_its_counts_like_the_platform_bulletin(db, demo):
    platform = Platform.objects.get(name="成都高新蜂鸟智能硬件中试平台")
    rollup = queries.headline(Scope(platform=platform), command_user())

    text = briefing.briefing(rollup, "zh-hans")

    assert text.startswith("成都高新蜂鸟智能硬件中试平台累计服务中试项目600余项,")
    assert "产品产值超20亿元" in text
    assert "孵化新产品近400个" in text


@pytest.mark.parametrize(
    ("years", "zh", "en"),
    [
        ((2024, 2024), "2024年服务中试项目", "pilot projects started in 2024"),
        ((2022, 2024), "2022—2024年服务中试项目", "pilot projects started in 2022–2024"),
        ((2023, None), "2023年以来服务中试项目", "pilot projects started in or after 2023"),
        ((None, 2023), "2023年及以前服务中试项目", "pilot project started by 2023"),
    ],
)
def test_briefing_names_the_start_years_of_a_year_scope(report_world, years, zh, en):
    scope = Scope(year_from=years[0], year_to=years[1])
    rollup = queries.headline(scope, report_world["manager"])

    assert zh in briefing.briefing(rollup, "zh-hans")
    assert en in briefing.briefing(rollup, "en")


def test_briefing_names_zone_sector_and_years_first(report_world):
    zone = report_world["zone1"]
    scope = Scope(zone=zone, sector="information_technology", year_from=2024, year_to=2024)
    rollup = queries.headline(scope, report_world["manager"])

    zh = briefing.briefing(rollup, "zh-hans")
    en = briefing.briefing(rollup, "en")

    assert zh.startswith("成都高新区信息技术领域共有中试平台1家")
    assert ";2024年服务中试项目" in zh
    assert en.startswith(
        f"{zone.name_en} has built 1 pilot-test platform in information technology"
    )
    assert "started in 2024" in en
    assert "The zone" not in en


def test_a_platform_briefing_is_about_the_platform_not_the_zone(report_world):
    platform = report_world["platform_a"]
    platform.name_en = "Hummingbird Platform"
    platform.save()
    rollup = queries.headline(Scope(platform=platform), report_world["manager"])

    zh = briefing.briefing(rollup, "zh-hans")
    en = briefing.briefing(rollup, "en")

    assert zh.startswith("蜂鸟平台累计服务中试项目3项")
    assert en.startswith("Hummingbird Platform has served 3 pilot projects")
    assert "The zone" not in en
    assert "pilot-test platform" not in en


def test_briefing_ends_with_the_newest_records_date(report_world):
    from projects.models import Project

    Project.objects.filter(platform=report_world["platform_a"]).update(
        updated_at=dt.datetime(2025, 3, 7, 12, tzinfo=dt.UTC)
    )
    Project.objects.exclude(platform=report_world["platform_a"]).update(
        updated_at=dt.datetime(2024, 1, 2, 12, tzinfo=dt.UTC)
    )
    rollup = queries.headline(Scope(zone=report_world["zone1"]), report_world["manager"])

    assert briefing.briefing(rollup, "zh-hans").endswith("\n数据截至2025年3月7日。")
    assert briefing.briefing(rollup, "en").endswith("\nData as of 7 March 2025.")
    assert rollup.as_json()["as_of"] == "2025-03-07"


def test_a_chosen_period_end_dates_the_briefing(report_world):
    rollup = queries.headline(Scope(zone=report_world["zone1"]), report_world["manager"])

    text = briefing.briefing(rollup, "zh-hans", as_of=dt.date(2025, 6, 30))

    assert text.endswith("数据截至2025年6月30日。")
    assert briefing.briefing(rollup, "en", as_of=dt.date(2025, 6, 30)).endswith(
        "Data as of 30 June 2025."
    )


def test_a_scope_with_a_reporting_period_is_dated_by_its_last_day(report_world):
    from types import SimpleNamespace

    period = SimpleNamespace(
        code="2025", start_on=dt.date(2025, 1, 1), end_on=dt.date(2025, 12, 31)
    )
    scope = Scope(zone=report_world["zone1"], period=period)
    rollup = queries.headline(scope, report_world["manager"])

    assert briefing.briefing(rollup, "zh-hans").endswith("数据截至2025年12月31日。")

"""One formatting and parsing layer (``tracker.formatting``): every amount typed is read by one
parser, every figure shown is rounded half up, and 12.25 shows as 12.3 on every surface."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from projects.charts import yield_chart
from projects.models import Financing, Project, YieldRun
from projects.reports import briefing, queries, tables
from projects.reports.charts import compact_amount
from projects.reports.scope import Scope
from tests import factories
from tests.workspace import add_financing, english, new_project_data
from tracker import formatting
from tracker.formatting import AmountError, parse_amount

# --- the parser: what is accepted -------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "yuan"),
    [
        ("1234.5", "1234.50"),
        ("1,234.5", "1234.50"),
        ("1，234.5", "1234.50"),  # full-width comma
        ("1,234,567", "1234567.00"),
        ("1 234 567.5", "1234567.50"),  # thousands grouped by spaces
        ("12.5万", "125000.00"),
        ("12.5万元", "125000.00"),
        ("12.5 万", "125000.00"),
        ("1.2亿", "120000000.00"),
        ("1.2亿元", "120000000.00"),
        ("0.5万亿", "500000000000.00"),
        ("1万亿", "1000000000000.00"),  # the maximum itself
        ("1.23456万", "12345.60"),
        ("88元", "88.00"),
        ("１２.５万", "125000.00"),  # full-width digits and point
        ("１，２３４．５", "1234.50"),
        ("  85万  ", "850000.00"),
        ("\u300085万\u3000", "850000.00"),  # ideographic spaces around it
        (".5", "0.50"),
        ("0.01", "0.01"),
        ("-3", "-3.00"),  # the sign is read; "cannot be negative" is the field's rule
        (42, "42.00"),
        (0.1, "0.10"),  # a spreadsheet's number cell, read as the number it shows
        (1234.56, "1234.56"),
        (Decimal("12.50"), "12.50"),
    ],
)
def test_the_parser_reads_amounts_as_people_write_them(typed, yuan):
    amount = parse_amount(typed)
    assert amount == Decimal(yuan)
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize("typed", [None, "", "   ", "\u3000"])
def test_nothing_typed_is_none(typed):
    assert parse_amount(typed) is None


# --- the parser: what is refused, and how it says so ------------------------------------------

NOT_AN_AMOUNT = [
    "abc",
    "1e5",
    "1E5",
    "1e999999",
    "Infinity",
    "-Infinity",
    "inf",
    "NaN",
    "sNaN",
    "inf万",
    "万",
    "12万万",
    "万12",
    "1.2.3万",
    "1 23",  # spaces that do not group thousands
    "1,234 567",  # two kinds of grouping in one number
    "1_000",
    "¥100",
    "١٢",  # Arabic-Indic digits: Decimal would read them, a clerk would not type them
    "12 .5",
    True,
    float("inf"),
    float("nan"),
    Decimal("NaN"),
    Decimal("-Infinity"),
]


@pytest.mark.parametrize("typed", NOT_AN_AMOUNT)
def test_what_is_no_amount_is_refused_with_the_accepted_formats(typed):
    with translation.override("en"), pytest.raises(AmountError) as refused:
        parse_amount(typed)
    assert refused.value.code == "invalid"
    assert refused.value.message == (
        "Not an amount. Write yuan as 1234.5 or 1,234.5, or with a unit: 12.5万, 1.2亿, 1.5万亿 "
        "(full-width digits are fine)."
    )


def test_the_formats_are_listed_in_chinese_too():
    with translation.override("zh-hans"), pytest.raises(AmountError) as refused:
        parse_amount("1e5")
    assert "12.5万" in refused.value.message and "1.2亿" in refused.value.message
    assert "金额" in refused.value.message


@pytest.mark.parametrize("typed", ["12,5", "1,23,456", "1.234,5", "1,2345", ",5"])
def test_a_comma_that_does_not_group_thousands_is_refused_as_ambiguous(typed):
    with translation.override("en"), pytest.raises(AmountError) as refused:
        parse_amount(typed)
    assert refused.value.message == (
        "A comma separates thousands (1,234,567.5); write decimals with a point: 12.5, not 12,5."
    )


@pytest.mark.parametrize("typed", ["12.345", "0.001", "1.2345678万", Decimal("0.125"), 0.125])
def test_a_fraction_of_a_fen_is_refused(typed):
    with translation.override("en"), pytest.raises(AmountError) as refused:
        parse_amount(typed)
    assert refused.value.code == "max_decimal_places"
    assert refused.value.message == "Amounts are in yuan with at most two decimals (fen)."


def test_a_fraction_of_a_fen_beyond_the_28_digits_of_decimal_arithmetic_is_refused():
    """Exact arithmetic: with Python's default 28 digits, 1.000…0001 (29 digits) would round to
    1 and be accepted as a whole yuan."""
    with pytest.raises(AmountError):
        parse_amount("1." + "0" * 27 + "1")


@pytest.mark.parametrize("typed", ["1000000000000.01", "10001亿", "1.5万亿", 1e13, "9" * 5000])
def test_more_than_the_maximum_is_refused(typed):
    with translation.override("en"), pytest.raises(AmountError) as refused:
        parse_amount(typed)
    assert refused.value.code == "max_value"
    assert refused.value.message == "An amount cannot exceed 1,000,000,000,000 yuan (1 trillion)."


# --- the rounding rule, at the .x5 edges, for every formatter ---------------------------------


@pytest.mark.parametrize(
    ("value", "places", "rounded"),
    [
        ("12.25", 1, "12.3"),
        ("12.35", 1, "12.4"),
        ("-12.25", 1, "-12.3"),
        ("0.005", 2, "0.01"),
        ("0.78125", 4, "0.7813"),
        ("2.5", 0, "3"),
        (12.25, 1, "12.3"),  # a float average from SQLite, read as it prints
    ],
)
def test_rounding_is_half_up_not_to_even(value, places, rounded):
    assert formatting.round_half_up(value, places) == Decimal(rounded)
    assert str(formatting.round_half_up(value, places)) == rounded


def test_every_percentage_formatter_rounds_12_25_to_12_3():
    value = Decimal("12.25")
    assert formatting.format_number(value) == "12.3"
    assert formatting.format_percent(value) == "12.3%"
    assert formatting.format_percent(Decimal("0.125"), 2) == "0.13%"
    assert formatting.format_points(value, language="en") == "+12.3 pp"
    assert formatting.format_points(-value, language="en") == "-12.3 pp"
    assert formatting.format_points(value, language="zh-hans") == "+12.3个百分点"
    assert formatting.short_percent(value) == "12.3"
    assert formatting.format_short_percent(value) == "12.3%"
    assert formatting.format_yield_journey(
        Decimal("40"), Decimal("52.25"), value, Decimal("30.65"), language="en"
    ) == ("40% → 52.3% (+12.3 pp, +30.7%)")


def test_a_gain_that_rounds_to_zero_has_no_sign():
    assert formatting.format_points(Decimal("-0.04"), language="en") == "0.0 pp"
    assert formatting.short_percent(Decimal("-0.04")) == "0"
    assert formatting.format_yield_journey(
        50, Decimal("49.96"), Decimal("-0.04"), language="en"
    ) == ("50% → 50% (0 pp)")


def test_percentage_points_are_bai_fen_dian_in_chinese_and_pp_only_in_english():
    gain = Decimal("50")
    assert formatting.format_points(gain, language="zh-hans") == "+50.0个百分点"
    assert formatting.format_points(gain, language="en") == "+50.0 pp"
    assert formatting.format_yield_journey(40, 90, gain, 125, language="zh-hans") == (
        "40% → 90%（+50个百分点，+125%）"
    )
    assert formatting.format_yield_journey(40, 90, gain, 125, language="en") == (
        "40% → 90% (+50 pp, +125%)"
    )
    # Without a language given, the active one decides.
    with translation.override("zh-hans"):
        assert "pp" not in formatting.format_points(gain)
    with translation.override("en"):
        assert formatting.format_points(gain).endswith(" pp")


def test_every_money_formatter_rounds_a_trailing_5_up():
    # 12,250 yuan is 1.225万: half to even would say 1.22.
    assert formatting.format_wan(Decimal("12250")) == "1.23万元"
    assert formatting.format_amount(Decimal("12250"), "zh-hans") == "1.23万元"
    assert formatting.format_amount(Decimal("122500000"), "zh-hans") == "1.23亿元"
    assert formatting.format_amount(Decimal("1225000"), "en") == "1.23 million yuan"
    assert formatting.format_amount(Decimal("1225000000"), "en") == "1.23 billion yuan"
    assert formatting.format_amount(Decimal("0.125"), "en") == "0.13 yuan"
    assert formatting.format_amount_short(Decimal("12250"), "zh-hans") == "1.23万"
    assert formatting.format_amount_short(Decimal("122500000"), "zh-hans") == "1.23亿"
    assert formatting.format_amount_short(Decimal("1225000000"), "en") == "1.23bn"
    assert formatting.format_amount_short(Decimal("2500000"), "en") == "3m"
    assert formatting.format_amount_short(Decimal("2.5"), "en") == "3"
    assert formatting.format_yuan(Decimal("1234.565")) == "1,234.57"


def test_nothing_to_show_is_a_dash():
    for formatter in (
        formatting.format_percent,
        formatting.format_points,
        formatting.format_short_percent,
        formatting.format_wan,
        formatting.format_amount,
        formatting.format_amount_short,
        formatting.format_count,
    ):
        assert formatter(None) == "—"
    assert formatting.format_yield_journey(None, None, None) == "—"


# --- 12.25 shows as 12.3 on every surface ----------------------------------------------------


def test_the_template_filters_show_12_25_as_12_3():
    template = Template(
        "{% load tracker_tags project_tags %}{{ v|pct }} {{ v|pp }} {{ v|short_pct }} "
        '{{ v|pct:"0" }}'
    )
    with translation.override("en"):
        assert template.render(Context({"v": Decimal("12.25")})) == "12.3% +12.3 pp 12.3% 12%"


@pytest.fixture
def quarter_project(world):
    """A project of platform A whose yield went from 40% to 52.25%: +12.25 pp, +30.625%."""
    project = factories.ProjectFactory(platform=world["platform_a"], code="Q-1")
    for sequence, (tested, passed) in enumerate([(100, 40), (10000, 5225)], start=1):
        YieldRun.objects.create(
            project=project,
            stage="DVT",
            sequence=sequence,
            measured_on=project.start_on + dt.timedelta(days=sequence),
            units_tested=tested,
            units_passed=passed,
        )
    project.refresh_from_db()
    assert project.yield_gain_pp == Decimal("12.25")
    return project


@pytest.mark.django_db
def test_the_relative_gain_of_a_project_is_rounded_half_up(quarter_project):
    # 12.25 / 40 = 30.625 %; and 4.9 pp over 40 % is 12.25 %, which half to even made 12.2.
    assert quarter_project.yield_gain_relative_pct == Decimal("30.6")
    quarter_project.yield_gain_pp = Decimal("4.9")
    assert quarter_project.yield_gain_relative_pct == Decimal("12.3")


@pytest.mark.django_db
def test_the_gain_sentence_on_the_project_page_shows_12_25_as_12_3(client, world, quarter_project):
    client.force_login(world["staff_a"])
    page = client.get(reverse("projects:project_detail", args=[quarter_project.pk]))
    assert "40% → 52.3%（+12.3个百分点，+30.6%）" in page.content.decode()


@pytest.mark.django_db
def test_the_yield_chart_labels_52_25_as_52_3(quarter_project):
    chart = str(yield_chart(quarter_project.yield_runs.order_by("measured_on")))
    assert ">40%<" in chart and ">52.3%<" in chart and "52.2" not in chart


@pytest.mark.django_db
def test_a_report_table_cell_shows_12_25_as_12_3(world, quarter_project):
    assert tables.display(Decimal("12.25"), tables.PP) == "+12.3个百分点"
    assert tables.display(Decimal("52.25"), tables.PCT) == "52.3%"


@pytest.mark.django_db
def test_the_report_page_shows_a_gain_of_12_25_as_12_3(client, world, quarter_project):
    client.force_login(world["manager"])
    page = client.get(reverse("reports:rollup")).content.decode()
    assert "+12.3个百分点" in page
    assert "+12.2个百分点" not in page


@pytest.mark.django_db
def test_the_briefing_states_a_mean_gain_of_12_25_as_12_3(world, quarter_project):
    rollup = queries.headline(Scope(zone=world["zone1"]), world["manager"])
    assert "良率平均提升12.3个百分点(中位数12.3个百分点)" in briefing.briefing(rollup, "zh-hans")
    assert "by 12.3 percentage points on average (median 12.3)" in briefing.briefing(rollup, "en")


def test_a_report_chart_label_rounds_half_up():
    with translation.override("en"):
        assert compact_amount(Decimal("2500000")) == "3m"
    with translation.override("zh-hans"):
        assert compact_amount(Decimal("12250")) == "1.23万"


# --- the web forms read amounts with the same parser ------------------------------------------


@pytest.mark.django_db
def test_the_project_form_saves_85_wan_and_1_2_yi_as_yuan(client, world):
    client.force_login(world["staff_a"])
    data = add_financing(
        new_project_data(english(client), world["platform_a"], service_revenue="85万"), "1.2亿"
    )
    response = client.post(reverse("projects:project_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    project = Project.objects.get()
    assert project.service_revenue == Decimal("850000")
    assert Financing.objects.get(project=project).amount == Decimal("120000000")


@pytest.mark.django_db
def test_an_ambiguous_amount_in_the_form_is_refused_and_kept(client, world):
    client.force_login(world["staff_a"])
    data = new_project_data(english(client), world["platform_a"], output_value="12,5")
    response = client.post(reverse("projects:project_create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["output_value"] == [
        "A comma separates thousands (1,234,567.5); write decimals with a point: 12.5, not 12,5."
    ]
    assert 'value="12,5"' in response.content.decode()
    assert not Project.objects.exists()


def test_the_money_input_shows_the_wan_figure_of_what_was_typed():
    from tracker.fields import MoneyInput

    html = MoneyInput().render("amount", "1.2亿", attrs={"id": "id_amount"})
    assert 'value="1.2亿"' in html and 'inputmode="decimal"' in html
    assert ">12000万元</output>" in html

"""Amounts in 万元/亿元, counts per language, and spreadsheet exports that cannot run formulas."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tracker.exports import csv_response, escape_cell, xlsx_response
from tracker.formatting import format_amount, format_count, format_wan


@pytest.mark.parametrize(
    ("amount", "zh", "en"),
    [
        (Decimal("1834567890.12"), "18.35亿元", "1.83 billion yuan"),
        (Decimal("100000000"), "1亿元", "100 million yuan"),
        (Decimal("99999999.99"), "10000万元", "100 million yuan"),
        (Decimal("123456.78"), "12.35万元", "123,456.78 yuan"),
        (Decimal("0"), "0万元", "0 yuan"),
    ],
)
def test_amounts_are_stated_in_wan_or_yi_in_chinese(amount, zh, en):
    assert format_amount(amount, "zh-hans") == zh
    assert format_amount(amount, "en") == en


def test_rounding_is_half_up():
    assert format_wan(Decimal("125")) == "0.01万元"  # 0.0125 → 0.01
    assert format_wan(Decimal("50")) == "0.01万元"  # 0.005 → 0.01 (half up, not half even)
    assert format_wan(Decimal("150")) == "0.02万元"  # 0.015 → 0.02


def test_counts_have_separators_in_english_only():
    assert format_count(4547, "zh-hans") == "4547"
    assert format_count(4547, "en") == "4,547"


@pytest.mark.parametrize("text", ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_is_escaped(text):
    assert escape_cell(text) == "'" + text


def test_numbers_and_ordinary_text_are_left_alone():
    assert escape_cell(-5) == -5
    assert escape_cell(Decimal("-1.5")) == Decimal("-1.5")
    assert escape_cell("成都臻识") == "成都臻识"


def test_csv_export_escapes_cells_and_keeps_amounts_numeric():
    response = csv_response(
        "x.csv", ["title", "revenue (yuan)"], [["=HYPERLINK(1)", Decimal("12.50")]]
    )
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["title", "revenue (yuan)"], ["'=HYPERLINK(1)", "12.50"]]
    assert "attachment" in response["Content-Disposition"]


def test_xlsx_export_escapes_cells_and_keeps_amounts_numeric():
    response = xlsx_response("x.xlsx", ["title", "revenue (yuan)"], [["@x", Decimal("12.50")]])
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "'@x"
    assert sheet["B2"].value == 12.5

"""Cells as Chinese offices write them: amounts in 万/亿, three date styles, yes/no, labels."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from projects.choices import FinancingRound, Stage
from projects.imports import parsers


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1,234.56", Decimal("1234.56")),
        ("1234.56", Decimal("1234.56")),
        ("12.5万", Decimal("125000.00")),
        ("1.2亿", Decimal("120000000.00")),
        ("3000万元", Decimal("30000000.00")),
        (" 88 元", Decimal("88.00")),
        (1234.56, Decimal("1234.56")),
        (0.1, Decimal("0.10")),
        (42, Decimal("42.00")),
        (None, None),
        ("", None),
    ],
)
def test_amounts_are_read_exactly(cell, expected):
    assert parsers.parse_amount(cell) == expected


@pytest.mark.parametrize("cell", ["12.345", "abc", "1.2.3万", "1.23456789万"])
def test_amounts_with_fractions_of_a_fen_or_garbage_are_refused(cell):
    with pytest.raises(parsers.CellError):
        parsers.parse_amount(cell)


@pytest.mark.parametrize(
    "cell",
    ["2024-03-01", "2024/3/1", "2024年3月1日", dt.date(2024, 3, 1), dt.datetime(2024, 3, 1)],
)
def test_dates_are_read_in_every_usual_spelling(cell):
    assert parsers.parse_date(cell) == dt.date(2024, 3, 1)


@pytest.mark.parametrize("cell", ["2024-02-30", "01/03/2024", "next week"])
def test_impossible_or_ambiguous_dates_are_refused(cell):
    with pytest.raises(parsers.CellError):
        parsers.parse_date(cell)


def test_choices_accept_the_value_and_the_label_in_either_language():
    lookup = parsers.choice_lookup(Stage)
    for cell in ["DVT", "dvt", "Design verification test", "设计验证测试"]:
        assert parsers.parse_choice(cell, lookup, Stage) == "DVT"
    rounds = parsers.choice_lookup(FinancingRound)
    assert parsers.parse_choice("战略融资", rounds, FinancingRound) == "strategic"


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("zh-hans", "工程验证测试、设计验证测试、小批量试产"),
        ("en", "Engineering verification test, Design verification test"),
    ],
)
def test_an_unknown_choice_names_the_allowed_labels_in_the_users_language(language, labels):
    with translation.override(language), pytest.raises(parsers.CellError) as refusal:
        parsers.parse_choice("XVT", parsers.choice_lookup(Stage), Stage)
    assert labels in str(refusal.value)
    assert "EVT" not in str(refusal.value)  # labels, not codes


@pytest.mark.parametrize(
    ("cell", "expected"), [("是", True), ("否", False), (1, True), ("no", False)]
)
def test_yes_and_no_in_both_languages(cell, expected):
    assert parsers.parse_bool(cell) is expected


def test_a_formula_is_refused_and_escaped_text_is_unescaped():
    with pytest.raises(parsers.CellError):
        parsers.parse_text("=cmd|' /C calc'!A0")
    assert parsers.parse_text("'=1+2") == "=1+2"
    assert parsers.parse_text(2024001.0) == "2024001"

"""Numbers the way Chinese reports state them, and amounts the way people type them: one module.

Every page, export, chart, briefing and template filter formats through here, and the web forms
and the import read typed amounts through ``parse_amount``, so a figure looks the same and a
typed amount means the same wherever it appears.

**Rounding: half up, everywhere.** Each formatter rounds with ``round_half_up`` (Python's
``ROUND_HALF_UP``: a trailing 5 goes away from zero, 12.25 → 12.3, 0.005 → 0.01, −12.25 → −12.3).
Most statistical bulletins round half up, and a reader checks our figures against them; GB/T
8170 would round a trailing 5 to even (12.25 → 12.2), and so would Python's own ``quantize`` and
``format`` defaults, which is how "12.25 %" once showed as 12.2 % in one place and 12.3 % in
another. Stored figures that are computed, not typed (a run's yield to 4 decimals, a project's
relative gain, the report means) are rounded by the same function.

Money stays ``Decimal`` from the database to the page: 万元 (10^4 yuan) and 亿元 (10^8 yuan) with
up to two decimals in Chinese, "million yuan" / "billion yuan" in English; counts with thousands
separators in English (4,547), without in Chinese (4547). Percentages (a yield, a share) carry
"%"; gains in percentage points carry their unit and sign, so nobody reads +50 pp as +50 %: "百分点"
in Chinese ("+50.0个百分点"), "pp" only in English.

**Typed amounts** (``parse_amount``) are yuan, written as
``1234.5``, ``1,234.5`` (thousands grouped by commas, either width, or by spaces), ``12.5万``,
``1.2亿``, ``1.5万亿`` (also 万元 / 亿元 / 万亿元 / 元), with full-width digits (``１２.５万``) and
surrounding spaces. Refused, each with a message in the user's language that lists those
formats: text that is no amount, infinity and NaN, exponents (``1e5``: nobody writes money that
way, and ``1e999999`` would be a million digits), a comma that is not a thousands separator
(``12,5`` may be a decimal comma), digits of other scripts, a fraction of a fen, and more than
``MAX_AMOUNT``.

The largest amount any money field accepts is ``MAX_AMOUNT``, 10^12 yuan (1万亿元): far above
any real project or financing round (the largest in the demo zone is a few hundred million),
and the largest amount *both* databases store exactly. PostgreSQL's ``numeric`` is exact at any
size, but SQLite keeps a decimal column as a double, which holds 15 significant digits, and
Django reads it back with 15: 999,999,999,999.99 (13 + 2 digits) survives the round trip to the
fen, 99,999,999,999,999.99 (the old limit of 16 digits) comes back as 100,000,000,000,000.00
and used to crash every page that read it. The limit is checked by the model field
(``tracker.fields.MoneyField``), the web forms and the import (both through ``parse_amount``)
and a CHECK constraint on each column; sums in integer fen stay exact for 92,000 rounds at the
maximum.
"""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

WAN = Decimal(10) ** 4
YI = Decimal(10) ** 8
MILLION = Decimal(10) ** 6
BILLION = Decimal(10) ** 9
CENT = Decimal("0.01")

MAX_AMOUNT = Decimal(10) ** 12
AMOUNT_TOO_LARGE = _("An amount cannot exceed 1,000,000,000,000 yuan (1 trillion).")
DASH = "—"

# --------------------------------------------------------------------------------------------
# The one rounding rule


def to_decimal(value) -> Decimal | None:
    """A finite Decimal, or None for nothing, text that is no number, infinity and NaN.

    Floats (SQLite's averages) go through their shortest repr, the number they print as.
    """
    if value is None or value == "":
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def round_half_up(value, places: int) -> Decimal:
    """``value`` to ``places`` decimals, a trailing 5 away from zero (see the module docstring).

    The precision follows the size of the value, so a huge figure is rounded, not refused.
    """
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    context = Context(prec=max(28, number.adjusted() + places + 2))
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=context)


def _plain(number: Decimal) -> str:
    """Without trailing zeros or exponent: 12.50 → "12.5", 3.00 → "3", -0.0 → "0"."""
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def round2(value: Decimal) -> Decimal:
    """Two decimals, half up; trailing zeros dropped ("12.50" → "12.5", "3.00" → "3")."""
    return Decimal(_plain(round_half_up(value, 2)))


def format_number(value, places: int = 1) -> str:
    """Exactly ``places`` decimals, half up, no sign added: 12.25 → "12.3", 40 → "40.0"."""
    number = round_half_up(value, places)
    return f"{number.copy_abs() if number == 0 else number:f}"


# --------------------------------------------------------------------------------------------
# Money and counts


def _is_chinese(language: str | None) -> bool:
    return (language or get_language() or "zh-hans").startswith("zh")


def _group(value: Decimal) -> str:
    return f"{value:,f}"


def format_wan(value) -> str:
    """Always in 万元: 1234567.89 → "123.46万元"."""
    amount = to_decimal(value)
    if amount is None:
        return DASH
    return f"{round2(amount / WAN):f}万元"


def format_amount(value, language: str | None = None) -> str:
    """An amount in the unit a report would use: 亿元 from 1亿 up, else 万元 (English: bn/m)."""
    amount = to_decimal(value)
    if amount is None:
        return DASH
    if _is_chinese(language):
        if abs(amount) >= YI:
            return f"{round2(amount / YI):f}亿元"
        return f"{round2(amount / WAN):f}万元"
    if abs(amount) >= BILLION:
        return f"{_group(round2(amount / BILLION))} billion yuan"
    if abs(amount) >= MILLION:
        return f"{_group(round2(amount / MILLION))} million yuan"
    return f"{_group(round2(amount))} yuan"


def table_amount_unit(language: str | None = None) -> str:
    """The one unit of a report table's money column: 万元 in Chinese, million yuan in English
    (the header names it, so that every cell of the column is in it: ``format_table_amount``)."""
    return "万元" if _is_chinese(language) else "million yuan"


def in_table_unit(value, language: str | None = None) -> Decimal:
    """An amount in yuan expressed in ``table_amount_unit`` (exact, not rounded)."""
    return to_decimal(value) / (WAN if _is_chinese(language) else MILLION)


def format_table_amount(value, language: str | None = None) -> str:
    """A money cell in the column's unit, two decimals, half up: 5309000 → "530.90" (万元) or
    "5.31" (million yuan); English groups thousands."""
    if to_decimal(value) is None:
        return DASH
    number = round_half_up(in_table_unit(value, language), 2)
    return f"{number:f}" if _is_chinese(language) else _group(number)


def format_amount_short(value, language: str | None = None) -> str:
    """Short chart labels: "3.27亿" / "12.5万"; "3.27bn" / "327m" / "5,000"."""
    amount = to_decimal(value)
    if amount is None:
        return DASH
    if _is_chinese(language):
        if amount >= YI:
            return f"{round2(amount / YI):f}亿"
        return f"{round2(amount / WAN):f}万"
    if amount >= BILLION:
        return f"{round2(amount / BILLION):f}bn"
    if amount >= MILLION:
        return f"{round_half_up(amount / MILLION, 0):f}m"
    return _group(round_half_up(amount, 0))


def format_amount_exact(value, language: str | None = None) -> str:
    """A stored amount exactly, with its unit, as a change history states it: in 亿元 or 万元
    when that takes at most two decimals ("1.2亿元", "85万元", "1.23万元"), else in 元
    ("1234.56元"); in English "850,000 yuan", "1,234.56 yuan". Nothing is rounded: a history
    shows what was stored."""
    amount = to_decimal(value)
    if amount is None:
        return DASH
    if not _is_chinese(language):
        return f"{_group(Decimal(plain_number(amount)))} yuan"
    if abs(amount) >= YI and amount % (YI / 100) == 0:
        return f"{plain_number(amount / YI)}亿元"
    if abs(amount) >= WAN and amount % (WAN / 100) == 0:
        return f"{plain_number(amount / WAN)}万元"
    return f"{plain_number(amount)}元"


def thousand_yuan(value) -> Decimal | None:
    """Yuan → 千元 (thousands of yuan, as the Torch survey's forms state amounts), rounded half
    up to one decimal: 1234567.89 → 1234.6."""
    amount = to_decimal(value)
    if amount is None:
        return None
    return round_half_up(amount / 1000, 1)


def plain_number(value: Decimal) -> str:
    """A Decimal without trailing zeros or exponent: 12.50 → "12.5", 3.00 → "3"."""
    return _plain(value)


def format_yuan(value) -> str:
    """Yuan with thousands separators and two decimals, as a money input shows a stored amount."""
    return _group(round_half_up(value, 2))


def format_count(value, language: str | None = None) -> str:
    """Counts with thousands separators in English (4,547), without in Chinese (4547)."""
    if value is None:
        return DASH
    return str(value) if _is_chinese(language) else f"{value:,}"


# --------------------------------------------------------------------------------------------
# Percentages and percentage points


def format_percent(value, places: int = 1) -> str:
    """A percentage (already in percent) to ``places`` decimals: 66.6667 → "66.7%"."""
    if to_decimal(value) is None:
        return DASH
    return f"{format_number(value, places)}%"


def _points_unit(text: str, language: str | None) -> str:
    """Percentage points after a figure: "50个百分点" in Chinese, "50 pp" in English."""
    return f"{text}个百分点" if _is_chinese(language) else f"{text} pp"


def format_points(value, places: int = 1, language: str | None = None) -> str:
    """A gain in percentage points with its sign: 50 → "+50.0个百分点" / "+50.0 pp"."""
    if to_decimal(value) is None:
        return DASH
    text = format_number(value, places)
    sign = "+" if round_half_up(value, places) > 0 else ""
    return _points_unit(f"{sign}{text}", language)


def short_percent(value) -> str:
    """One decimal at most, trailing zeros dropped: 40.0000 → "40", 66.6667 → "66.7"."""
    return _plain(round_half_up(value, 1))


def _signed(value) -> str:
    text = short_percent(value)
    return text if text.startswith("-") or text == "0" else "+" + text


def format_change(value) -> str:
    """A year-on-year change in percent, signed, one decimal: "+12.5%", "-4.0%"; "—" when
    there is nothing to compare with (last year's figure was zero)."""
    if to_decimal(value) is None:
        return DASH
    number = round_half_up(value, 1)
    return f"{'+' if number > 0 else ''}{format_number(number)}%"


def format_short_percent(value) -> str:
    """A yield for tables: "66.7%"; "—" when undefined."""
    return DASH if to_decimal(value) is None else f"{short_percent(value)}%"


def format_yield_journey(
    first_pct, latest_pct, gain_pp, relative_pct=None, language: str | None = None
) -> str:
    """ "40% → 90% (+50 pp, +125%)" / "40% → 90%（+50个百分点，+125%）": first and latest yield,
    the gain in percentage points and, when the first yield is not zero, the relative change in
    percent, each with its unit."""
    if gain_pp is None:
        return DASH
    parts = [_points_unit(_signed(gain_pp), language)]
    if relative_pct is not None:
        parts.append(f"{_signed(relative_pct)}%")
    journey = f"{short_percent(first_pct)}% → {short_percent(latest_pct)}%"
    if _is_chinese(language):
        return f"{journey}（{'，'.join(parts)}）"
    return f"{journey} ({', '.join(parts)})"


# --------------------------------------------------------------------------------------------
# Typed amounts

AMOUNT_FORMATS = _(
    "Not an amount. Write yuan as 1234.5 or 1,234.5, or with a unit: 12.5万, 1.2亿, 1.5万亿 "
    "(full-width digits are fine)."
)
DECIMAL_COMMA = _(
    "A comma separates thousands (1,234,567.5); write decimals with a point: 12.5, not 12,5."
)
TOO_MANY_DECIMALS = _("Amounts are in yuan with at most two decimals (fen).")

# Powers of ten of the units, longest spelling first.
_UNITS = {"万亿元": 12, "万亿": 12, "亿元": 8, "亿": 8, "万元": 4, "万": 4, "元": 0}
_UNIT = "|".join(_UNITS)
# Thousands grouped by commas or by spaces (one kind in one number), or no grouping at all.
_NUMBER = r"\d{1,3}(?P<sep>[, ])\d{3}(?:(?P=sep)\d{3})*(?:\.\d+)?|\d+\.?\d*|\.\d+"
_AMOUNT = re.compile(rf"(?P<sign>[+-]?)(?P<number>{_NUMBER})\s*(?P<unit>{_UNIT})?", re.ASCII)
# Digits, points and commas, at least one comma, that are no amount: a decimal comma, perhaps.
_COMMA_MISUSED = re.compile(rf"[+-]?[\d.,]*,[\d.,]*\s*(?:{_UNIT})?", re.ASCII)


class AmountError(ValueError):
    """A typed amount that is refused; ``message`` is for the user, ``code`` for a form."""

    def __init__(self, message, code: str = "invalid"):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code


def parse_amount(value) -> Decimal | None:
    """Yuan as an exact Decimal with two decimals; None for nothing typed (formats above).

    Number cells of a spreadsheet arrive as floats; their shortest repr is the number Excel
    shows, so ``Decimal(repr(x))`` is exact where ``Decimal(x)`` would carry binary noise.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise AmountError(gettext(AMOUNT_FORMATS))
    if isinstance(value, int | float | Decimal):
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not amount.is_finite():
            raise AmountError(gettext(AMOUNT_FORMATS))
    else:
        amount = _parse_text(str(value))
        if amount is None:
            return None
    return _in_fen(amount)


def _parse_text(text: str) -> Decimal | None:
    """Typed text → Decimal yuan, exactly (a unit shifts the exponent; nothing is rounded)."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return None
    match = _AMOUNT.fullmatch(text)
    if match is None:
        if _COMMA_MISUSED.fullmatch(text):
            raise AmountError(gettext(DECIMAL_COMMA))
        raise AmountError(gettext(AMOUNT_FORMATS))
    digits = match["number"].replace(",", "").replace(" ", "")
    exact = Context(prec=max(28, len(digits)))
    amount = Decimal(match["sign"] + digits).scaleb(_UNITS.get(match["unit"], 0), context=exact)
    return amount


def _in_fen(amount: Decimal) -> Decimal:
    """The amount to the fen; the size is checked first, so a huge value is never quantised."""
    if amount > MAX_AMOUNT:
        raise AmountError(gettext(AMOUNT_TOO_LARGE), code="max_value")
    exact = Context(prec=max(28, amount.adjusted() + 4))
    in_fen = amount.quantize(CENT, context=exact)
    if in_fen != amount:
        raise AmountError(gettext(TOO_MANY_DECIMALS), code="max_decimal_places")
    return in_fen

"""Amounts the way Chinese reports state them: 万元 (10^4 yuan) and 亿元 (10^8 yuan).

Money stays ``Decimal`` from the database to the page. Rounding is half up (ROUND_HALF_UP), as
most bulletins do, not GB/T 8170's round-half-even; two decimals at most.
English pages say "million yuan" / "billion yuan" for the same amounts.

The largest amount any money field accepts is ``MAX_AMOUNT``, 10^12 yuan (1万亿元): far above
any real project or financing round (the largest in the demo zone is a few hundred million),
and the largest amount *both* databases store exactly. PostgreSQL's ``numeric`` is exact at any
size, but SQLite keeps a decimal column as a double, which holds 15 significant digits, and
Django reads it back with 15: 999,999,999,999.99 (13 + 2 digits) survives the round trip to the
fen, 99,999,999,999,999.99 (the old limit of 16 digits) comes back as 100,000,000,000,000.00
and used to crash every page that read it. The limit is checked by the model field
(``tracker.fields.MoneyField``), the web forms, the import and a CHECK constraint on each
column; sums in integer fen stay exact for 92,000 rounds at the maximum.
"""

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

WAN = Decimal(10) ** 4
YI = Decimal(10) ** 8
MILLION = Decimal(10) ** 6
BILLION = Decimal(10) ** 9
CENT = Decimal("0.01")

MAX_AMOUNT = Decimal(10) ** 12
AMOUNT_TOO_LARGE = _("An amount cannot exceed 1,000,000,000,000 yuan (1 trillion).")


def to_decimal(value) -> Decimal | None:
    """A finite Decimal, or None for nothing, text that is no number, infinity and NaN."""
    if value is None or value == "":
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def round2(value: Decimal) -> Decimal:
    """Two decimals, half up; trailing zeros dropped ("12.50" → "12.5", "3.00" → "3").

    The precision follows the size of the value, so a huge figure is rounded, not refused.
    """
    context = Context(prec=max(28, value.adjusted() + 4))
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP, context=context)
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Decimal(text)


def _group(value: Decimal) -> str:
    return f"{value:,f}"


def format_wan(value) -> str:
    """Always in 万元: 1234567.89 → "123.46万元"."""
    amount = to_decimal(value)
    if amount is None:
        return "—"
    return f"{round2(amount / WAN):f}万元"


def format_amount(value, language: str | None = None) -> str:
    """An amount in the unit a report would use: 亿元 from 1亿 up, else 万元 (English: bn/m)."""
    amount = to_decimal(value)
    if amount is None:
        return "—"
    language = language or get_language() or "zh-hans"
    if language.startswith("zh"):
        if abs(amount) >= YI:
            return f"{round2(amount / YI):f}亿元"
        return f"{round2(amount / WAN):f}万元"
    if abs(amount) >= BILLION:
        return f"{_group(round2(amount / BILLION))} billion yuan"
    if abs(amount) >= MILLION:
        return f"{_group(round2(amount / MILLION))} million yuan"
    return f"{_group(round2(amount))} yuan"


def format_count(value, language: str | None = None) -> str:
    """Counts with thousands separators in English (4,547), without in Chinese (4547)."""
    if value is None:
        return "—"
    language = language or get_language() or "zh-hans"
    return str(value) if language.startswith("zh") else f"{value:,}"

"""Amounts the way Chinese reports state them: 万元 (10^4 yuan) and 亿元 (10^8 yuan).

Money stays ``Decimal`` from the database to the page. Rounding is half up (ROUND_HALF_UP), as
most bulletins do, not GB/T 8170's round-half-even; two decimals at most.
English pages say "million yuan" / "billion yuan" for the same amounts.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import get_language

WAN = Decimal(10) ** 4
YI = Decimal(10) ** 8
MILLION = Decimal(10) ** 6
BILLION = Decimal(10) ** 9
CENT = Decimal("0.01")


def to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None


def round2(value: Decimal) -> Decimal:
    """Two decimals, half up; trailing zeros dropped ("12.50" → "12.5", "3.00" → "3")."""
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
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

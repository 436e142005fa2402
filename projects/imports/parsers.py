"""Turn one spreadsheet cell into a Python value, the way Chinese offices write them.

Every parser takes the raw cell (str, int, float, date, datetime, bool or None, depending on the
reader) and returns a value or raises ``CellError`` with a message for the user. Empty cells
become ``None`` (or "" for text), so "not given" and "given as empty" can be told apart by the
caller only through the header: a column that exists in the file is applied, blanks included.
"""

import datetime as dt
import re
import time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tracker import formatting
from tracker.exports import FORMULA_PREFIXES
from tracker.validators import (
    EARLIEST_DATE,
    latest_date,
    normalize_project_code,
    normalize_uscc,
    refuse_hidden_characters,
    validate_project_code,
    validate_record_date,
)

from .registry import registry


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message is shown to the user."""


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# A blank cell keeps the stored value; this marker (documented in the template) empties it.
CLEAR_MARKERS = ("#CLEAR", "#清空")
_CLEAR = {marker.casefold() for marker in CLEAR_MARKERS}


def is_clear_marker(value) -> bool:
    return isinstance(value, str) and value.strip().casefold() in _CLEAR


def parse_text(value) -> str:
    """Text as typed; numbers as written ("2024001", not "2024001.0").

    Formulas are refused: an import must store what the user sees, and a text that starts
    with "=" would run as a formula again in the next person's spreadsheet (CSV injection).
    Text that really starts with "=" is written with a leading apostrophe, as our own export does;
    the apostrophe is removed on import.
    """
    if is_empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value).strip()
    if text.startswith("="):
        raise CellError(
            _("Formulas are not accepted; enter the value (or start the text with an apostrophe).")
        )
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text


def parse_amount(value) -> Decimal | None:
    """Yuan as an exact Decimal, read by ``tracker.formatting.parse_amount``, the parser of the
    web forms too (1,234.56 / 12.5万 / 1.2亿 / 0.5万亿 / full-width digits / a number cell)."""
    if is_empty(value):
        return None
    try:
        return formatting.parse_amount(value)
    except formatting.AmountError as error:
        raise CellError(error.message) from None


_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_CACHE: dict[str, dt.date] = {}


def parse_date(value) -> dt.date | None:
    """2024-03-01, 2024/3/1, 2024年3月1日 or a date cell, from 1949-10-01 to ten years ahead.

    The range is checked here because the import leaves dates out of the models' field
    validation (a parsed date is a valid date, and checking 300,000 of them twice is slow).
    """
    parsed = _parse_date(value)
    if parsed is not None and not EARLIEST_DATE <= parsed <= _latest_date():
        try:
            validate_record_date(parsed)
        except ValidationError as error:
            raise CellError(" ".join(error.messages)) from None
    return parsed


_LATEST: list = [float("-inf"), None]  # [when computed (monotonic seconds), the date]


def _latest_date() -> dt.date:
    """``latest_date()``, recomputed once a minute: asking the clock for each of 400,000 cells
    cost seconds of an import."""
    now = time.monotonic()
    if now - _LATEST[0] > 60:
        _LATEST[:] = [now, latest_date()]
    return _LATEST[1]


def _parse_date(value) -> dt.date | None:
    """Parsed strings are cached: a 300,000-row file has only a few thousand distinct dates, and
    sharing the date objects keeps memory down."""
    if is_empty(value):
        return None
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise CellError(_("A date without a time is expected."))
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    cached = _DATE_CACHE.get(text)
    if cached is not None:
        return cached
    # "2024-03-01 00:00:00" is how a date cell looks after a round trip through some tools.
    match = _DATE_RE.match(text.removesuffix(" 00:00:00"))
    try:
        if not match:
            raise ValueError
        parsed = dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise CellError(_("Not a date; write it as 2024-03-01.")) from None
    if len(_DATE_CACHE) < 100_000:
        _DATE_CACHE[text] = parsed
    return parsed


def parse_project_code(value) -> str:
    """A project code, normalised (NFKC, trimmed, upper case); invisible characters refused."""
    text = parse_text(value)
    if text:
        _check_code(validate_project_code, text)
    return normalize_project_code(text)


def parse_uscc(value) -> str:
    """A credit code, normalised like a project code; its check character is the model's job."""
    text = parse_text(value)
    _check_code(refuse_hidden_characters, text)
    return normalize_uscc(text)


def _check_code(validate, text: str) -> None:
    """Run a code validator on the code *as typed*, so its message names what was typed."""
    try:
        validate(text)
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from None


def parse_int(value) -> int | None:
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("A whole number is expected."))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(_("A whole number is expected."))
    text = str(value).strip().replace(",", "")
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if re.fullmatch(r"[+-]?\d+\.0*", text):
        return int(text.split(".")[0])
    raise CellError(_("A whole number is expected."))


_TRUE = {"1", "true", "yes", "y", "是", "有", "✓", "√", "x"}
_FALSE = {"0", "false", "no", "n", "否", "无"}


def parse_bool(value) -> bool | None:
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise CellError(_("Yes or no is expected (1/0, yes/no, 是/否)."))
    text = str(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(_("Yes or no is expected (1/0, yes/no, 是/否)."))


def choice_lookup(choices) -> dict[str, str]:
    """Every spelling of every choice → its stored value: the value, English and Chinese labels."""
    from django.utils import translation

    lookup = {}
    chinese = registry.choice_labels.get(choices, {})
    for value, label in choices.choices:
        with translation.override("en"):
            english = str(label)
        spellings = [value, english, chinese.get(value, ""), str(label)]
        for spelling in spellings:
            if spelling:
                lookup.setdefault(_fold(spelling), value)
    return lookup


def _fold(text: str) -> str:
    return str(text).strip().replace("（", "(").replace("）", ")").casefold()


def parse_choice(value, lookup: dict[str, str], choices) -> str | None:
    if is_empty(value):
        return None
    text = parse_text(value)
    found = lookup.get(_fold(text))
    if found is None:
        raise CellError(
            _("Unknown value; expected one of: %(values)s") % {"values": choice_labels(choices)}
        )
    return found


def choice_labels(choices) -> str:
    """The accepted labels of a choice set, as the user's language writes them."""
    if (get_language() or "").startswith("zh"):
        return "、".join(registry.chinese_label(choices, value) for value in choices.values)
    return ", ".join(str(label) for label in choices.labels)


def split_names(value) -> list[str]:
    """A list of names in one cell, separated by semicolons (either width) or 、."""
    text = parse_text(value)
    return [part.strip() for part in re.split(r"[;；、\n]", text) if part.strip()]

"""Period codes: ``2025`` (year), ``2025H1`` (half), ``2025Q4`` (quarter), ``2025-11`` (month).

A code names exactly one date range; ``parse_code`` turns it into its kind, first and last day,
and refuses anything else (lower case, spaces, ``2025Q5``, years outside 1949–2100) with a
message, so that the command, the web form and the URLs read codes one way.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tracker.validators import EARLIEST_YEAR, LATEST_YEAR

from .choices import PeriodKind

CODE_PATTERN = re.compile(r"^(\d{4})(?:(H[12])|(Q[1-4])|-(0[1-9]|1[0-2]))?$")
MALFORMED = _(
    "A period code is a year (2025), a half (2025H1), a quarter (2025Q4) or a month (2025-11)."
)


@dataclass(frozen=True)
class Period:
    code: str
    kind: str
    start_on: dt.date
    end_on: dt.date


def _months(year: int, first: int, count: int) -> tuple[dt.date, dt.date]:
    last = first + count - 1
    return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])


def parse_code(code: str) -> Period:
    """The period a code names, or ``ValidationError`` (malformed, or a year out of range)."""
    text = code if isinstance(code, str) else ""
    match = CODE_PATTERN.match(text)
    if match is None:
        raise ValidationError(MALFORMED, code="malformed")
    year = int(match.group(1))
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValidationError(
            _("A period's year lies between %(first)s and %(last)s."),
            code="year",
            params={"first": EARLIEST_YEAR, "last": LATEST_YEAR},
        )
    half, quarter, month = match.group(2), match.group(3), match.group(4)
    if half:
        kind, (start, end) = PeriodKind.HALF, _months(year, 1 if half == "H1" else 7, 6)
    elif quarter:
        kind, (start, end) = PeriodKind.QUARTER, _months(year, 3 * int(quarter[1]) - 2, 3)
    elif month:
        kind, (start, end) = PeriodKind.MONTH, _months(year, int(month), 1)
    else:
        kind, (start, end) = PeriodKind.YEAR, _months(year, 1, 12)
    return Period(code=text, kind=kind, start_on=start, end_on=end)

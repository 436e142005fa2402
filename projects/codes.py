"""The code a new project is offered: the next one in its platform's own numbering.

Platforms number their projects their own way ("FN-2025-0023", "HB2024-017", "KS-0412"); a clerk
typing the next code by hand looks up the last one and sometimes takes a code that is already
used. So the project form offers the next code of the platform's pattern, which the clerk may
change:

* the pattern is read from the platform's most recently created project: everything before its
  trailing number is the prefix, the number's width is kept ("0023" → "0024");
* a year in the prefix is the current year's ("FN-2024-0107" in 2025 → "FN-2025-0001"), since
  numbering restarts with the year in the codes that carry one;
* a platform without projects, or whose last code ends in no number, gets
  ``<initials of its English name>-<year>-0001`` (e.g. "CHPP-2025-0001");
* the number is one more than the highest of the prefix on that platform, and moves on while the
  code is taken anywhere (codes are unique across platforms).

The highest number is found by the database on the platform's codes (one query), so the offer
costs the same for 10 projects as for 10,000.
"""

import re

from django.db.models.functions import Length
from django.utils import timezone

from .models import Project

YEAR = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")
TRAILING_NUMBER = re.compile(r"^(?P<prefix>.*?)(?P<number>[0-9]+)$")
DEFAULT_WIDTH = 4
# Codes tried after the highest one before giving up (each taken by another platform).
MAX_TRIES = 20


def suggest_code(platform, year: int | None = None) -> str:
    """The next free code of ``platform``'s numbering (see the module docstring); "" if none of
    the next ``MAX_TRIES`` codes is free."""
    year = year or timezone.localdate().year
    latest = (
        Project.objects.filter(platform=platform)
        .order_by("-created_at", "-pk")
        .values_list("code", flat=True)
        .first()
    )
    prefix, width = _pattern(latest, year) if latest else (None, DEFAULT_WIDTH)
    if prefix is None:
        prefix, width = f"{_initials(platform)}-{year}-", DEFAULT_WIDTH
    return _first_free(prefix, _highest_number(platform, prefix) + 1, width)


def _pattern(code: str, year: int) -> tuple[str | None, int]:
    """(prefix, width of the number) of a code, the prefix's year made the current one."""
    match = TRAILING_NUMBER.match(code)
    if match is None:
        return None, DEFAULT_WIDTH
    return YEAR.sub(str(year), match["prefix"]), len(match["number"])


def _initials(platform) -> str:
    """ "Chengdu Hummingbird Pilot Platform" → "CHPP"; "P<id>" for a name without letters."""
    words = re.findall(r"[A-Za-z0-9]+", platform.name_en or "")
    return "".join(word[0] for word in words).upper()[:4] or f"P{platform.pk}"


def _highest_number(platform, prefix: str) -> int:
    """The highest number after ``prefix`` among the platform's codes (0 if none): the longest
    code first, then the greatest, which is the greatest number when widths agree."""
    highest = (
        Project.objects.filter(platform=platform, code__regex=rf"^{re.escape(prefix)}[0-9]+$")
        .order_by(Length("code").desc(), "-code")
        .values_list("code", flat=True)
        .first()
    )
    return int(highest[len(prefix) :]) if highest else 0


def _first_free(prefix: str, number: int, width: int) -> str:
    """The first of the next codes that no project holds, in one query."""
    candidates = [f"{prefix}{n:0{width}d}" for n in range(number, number + MAX_TRIES)]
    taken = set(Project.objects.filter(code__in=candidates).values_list("code", flat=True))
    return next((code for code in candidates if code not in taken), "")

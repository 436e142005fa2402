"""Validators shared by both apps: credit codes, project codes and the dates a user may type.

The unified social credit code (统一社会信用代码, GB 32100-2015) identifies every Chinese
company. Its 18th character is a check character over the first 17, so a mistyped code can be
caught at entry instead of silently creating a second record of the same enterprise.

Codes (credit codes and project codes) are identifiers that people copy from PDFs, WeChat
messages and other spreadsheets, so one code arrives in several spellings that look the same:
full-width ``ＦＮ-２０１９-０００４``, lower-case ``fn-2019-0004``, or ``FN-2019-0004`` with a
zero-width space pasted into it. The rule, the same for every kind of code and every way in
(model ``clean()``, the web forms, the import, the list search):

* **normalised**, silently: Unicode NFKC (full-width letters and digits become ASCII), surrounding
  white space trimmed, upper case. ``ＦＮ-２０１９-０００４`` and ``fn-2019-0004`` *are*
  ``FN-2019-0004``; the stored code is always the normalised one.
* **refused**, with a message naming the character: anything invisible left inside the code —
  control characters, zero-width and other format characters (U+200B, U+FEFF, the bidi marks
  and overrides U+200E/F, U+202A–E, U+2066–9, the soft hyphen), blank-looking letters (U+3164)
  and white space inside the code. Removing them silently would guess what the clerk meant;
  a code that looks right but is not is exactly how a second record of one project is born.
* the list **search** is the exception: it only reads, so it drops invisible characters from
  what was typed and finds the code the user meant (``searchable_code``).

The database backs this up where a CHECK can say it: codes equal their upper case and contain
none of the white-space and invisible characters above (``no_hidden_characters``).
"""

import datetime as dt
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_LENGTH = 18
# The weight of position i (1-based) is 3^(i-1) mod 31.
USCC_WEIGHTS = [pow(3, i, 31) for i in range(USCC_LENGTH - 1)]
# Database-side shape check (the check character itself needs arithmetic a CHECK can't do).
USCC_REGEX = r"^[0-9A-HJ-NP-RTUW-Y]{18}$"

PROJECT_CODE_MAX_LENGTH = 40

# Unicode categories of characters that show nothing (or nothing reliable): control, format
# (zero-width, bidi, BOM, soft hyphen), surrogates, private use, unassigned, line/paragraph
# separators.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
# Letters and symbols that render as blank space although their category says otherwise.
_BLANK_LOOKING = {"\u115f", "\u1160", "\u3164", "\u2800", "\u034f"}
# What the database refuses inside a code: white space and the invisible characters people
# actually paste (a CHECK cannot ask for a Unicode category, so they are listed).
CODE_CHARACTERS_REFUSED_BY_DATABASE = (
    " ",
    "\t",
    "\n",
    "\r",
    "\u00a0",  # no-break space
    "\u00ad",  # soft hyphen
    "\u200b",  # zero width space
    "\u200c",  # zero width non-joiner
    "\u200d",  # zero width joiner
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u202a",  # bidi embeddings and overrides
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2060",  # word joiner
    "\u2066",  # bidi isolates
    "\u2067",
    "\u2068",
    "\u2069",
    "\u3000",  # ideographic (full-width) space
    "\ufeff",  # byte order mark / zero width no-break space
)

# Dates a user may type. Nothing this tracker records (a platform, an enterprise as registered
# today, a project, a run, a financing round, a recognition) predates the founding of the
# People's Republic on 1949-10-01, and nothing is planned more than ten years ahead: a date
# outside that window is a typo (0001-01-01, 9999-12-31, 2204 for 2024) that would otherwise
# stretch every chart and year list to thousands of years.
EARLIEST_DATE = dt.date(1949, 10, 1)
FUTURE_YEARS = 10
# "Today + 10 years" cannot be a database constraint; the database refuses what lies beyond
# this fixed, generous bound instead (and year filters accept years up to it).
LATEST_STORABLE_DATE = dt.date(2100, 12, 31)
EARLIEST_YEAR = EARLIEST_DATE.year
LATEST_YEAR = LATEST_STORABLE_DATE.year


# --- codes ------------------------------------------------------------------------------------


def _normalize_code(value) -> str:
    """NFKC (full-width → ASCII), trimmed, upper case; invisible characters are left in place."""
    return unicodedata.normalize("NFKC", str(value or "")).strip().upper()


def normalize_uscc(value: str) -> str:
    """A credit code as typed → as stored: full-width ``９１３５…ｙ４３`` → ``9135…Y43``."""
    return _normalize_code(value)


def normalize_project_code(value: str) -> str:
    """A project code as typed → as stored: `` ｆｎ-２０１９-０００４ `` → ``FN-2019-0004``."""
    return _normalize_code(value)


def _is_hidden(char: str) -> bool:
    return unicodedata.category(char) in _HIDDEN_CATEGORIES or char in _BLANK_LOOKING


def hidden_characters(code: str) -> list[str]:
    """Invisible characters and white space inside a (normalised) code, in order, once each."""
    if code.isascii() and code.isprintable() and " " not in code:
        return []  # the usual case, answered without a look at each character (imports)
    found = [char for char in code if _is_hidden(char) or char.isspace()]
    return list(dict.fromkeys(found))


def describe_characters(chars) -> str:
    """ "U+200B ZERO WIDTH SPACE, U+0020 SPACE": what a user (or their IT staff) can look up."""
    return ", ".join(f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip() for char in chars)


def refuse_hidden_characters(value) -> None:
    """Refuse a code that still holds white space or an invisible character once normalised."""
    if not hidden_characters(_normalize_code(value)):
        return
    # Named as typed (U+3000 IDEOGRAPHIC SPACE, not the space NFKC turns it into) when possible.
    hidden = hidden_characters(str(value or "").strip()) or hidden_characters(
        _normalize_code(value)
    )
    if hidden:
        raise ValidationError(
            _(
                "A code cannot contain spaces or invisible characters (%(chars)s); "
                "retype it instead of pasting it."
            ),
            code="hidden_characters",
            params={"chars": describe_characters(hidden)},
        )


def searchable_code(value) -> str:
    """What a search compares codes with: normalised, invisible characters dropped.

    A search only reads, so it may be generous: a code pasted with a zero-width space finds the
    record it looks like. Writing such a code is refused instead (``refuse_hidden_characters``).
    """
    code = _normalize_code(value)
    return "".join(char for char in code if not _is_hidden(char))


def no_hidden_characters(field: str) -> Q:
    """Database condition: the column holds none of ``CODE_CHARACTERS_REFUSED_BY_DATABASE``."""
    condition = Q()
    for char in CODE_CHARACTERS_REFUSED_BY_DATABASE:
        condition |= Q(**{f"{field}__contains": char})
    return ~condition


def validate_project_code(value: str) -> None:
    """A project code: no invisible characters or spaces; at most 40 characters once normalised."""
    refuse_hidden_characters(value)
    code = normalize_project_code(value)
    if len(code) > PROJECT_CODE_MAX_LENGTH:
        raise ValidationError(
            _("A project code has at most %(max)d characters (this one has %(length)d)."),
            code="project_code_length",
            params={"max": PROJECT_CODE_MAX_LENGTH, "length": len(code)},
        )


def uscc_check_character(first17: str) -> str:
    """The check character GB 32100-2015 assigns to the first 17 characters."""
    total = sum(
        USCC_ALPHABET.index(char) * weight
        for char, weight in zip(first17, USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    """Reject a code of the wrong length, with a forbidden letter, or a wrong check character."""
    refuse_hidden_characters(value)
    code = normalize_uscc(value)
    if len(code) != USCC_LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters, not %(length)d"),
            code="uscc_length",
            params={"length": len(code)},
        )
    bad = sorted({char for char in code if char not in USCC_ALPHABET})
    if bad:
        raise ValidationError(
            _("A unified social credit code cannot contain: %(chars)s"),
            code="uscc_characters",
            params={"chars": ", ".join(bad)},
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("Invalid unified social credit code check character"), code="uscc_check"
        )


# --- dates ------------------------------------------------------------------------------------


def latest_date(today: dt.date | None = None) -> dt.date:
    """The last date a user may type: ten years from today, never beyond what the database takes."""
    today = today or timezone.localdate()
    try:
        later = today.replace(year=today.year + FUTURE_YEARS)
    except ValueError:  # 29 February, ten years before a non-leap year
        later = today.replace(year=today.year + FUTURE_YEARS, day=28)
    return min(later, LATEST_STORABLE_DATE)


def validate_record_date(value) -> None:
    """A date a user typed: from 1949-10-01 to ten years from today."""
    if value is None:
        return
    latest = latest_date()
    if not EARLIEST_DATE <= value <= latest:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST_DATE.isoformat(), "latest": latest.isoformat()},
        )


def date_in_storable_range(field: str, *, null: bool = False) -> Q:
    """Database condition: the date lies in 1949-10-01 … 2100-12-31 (or is empty, if allowed)."""
    condition = Q(**{f"{field}__gte": EARLIEST_DATE, f"{field}__lte": LATEST_STORABLE_DATE})
    return Q(**{f"{field}__isnull": True}) | condition if null else condition


def date_range_constraint(field: str, *, null: bool = False) -> models.CheckConstraint:
    """The database's half of ``validate_record_date``: a fixed window ("today" cannot be one)."""
    return models.CheckConstraint(
        condition=date_in_storable_range(field, null=null),
        name=f"%(app_label)s_%(class)s_{field}_in_range",
        violation_error_message=_("Dates lie between 1949-10-01 and 2100-12-31."),
    )

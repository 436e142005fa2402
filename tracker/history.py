"""History in words: a recorded value or change reason as a person reads it, in their language.

django-simple-history keeps every version of a record; shown raw, a change reads
"850000.00 → 920000.00", "False → True", "状态: in_progress → completed" and "修改原因 None". The
project pages and the admin's history views show values through ``value_in_words`` instead:

* a choice is its label ("进行中"), a relation the related record's name;
* money is the exact stored amount with its unit: "85万元" when it is a whole number of 万元 to
  two decimals, else "1234.56元" ("850,000 yuan" in English), never rounded, since a history
  must show what was stored;
* yes/no is 是/否, a date is written the way the user's language writes dates ("2024年3月1日");
* nothing is "（空）" / "(empty)", never "None" or an empty cell that looks like a lost value.

A change reason is the text the writer stored ("import #12 (file.xlsx)", written by the imports
app's ``ImportBatch.change_reason``; a data migration's own words); ``reason_in_words`` says
the known ones in the user's language and shows any other as it was stored.
"""

import datetime as dt
import re
from decimal import Decimal

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker import formatting
from tracker.fields import MoneyField

EMPTY = gettext_lazy("(empty)")

# Change reasons the tracker writes, and how they read: the pattern, then the words.
REASONS = [
    (
        re.compile(r"^import #(?P<id>\d+) \((?P<name>.*)\)$"),
        gettext_lazy("Import #%(id)s: %(name)s"),
    ),
    (
        re.compile(r"^duplicate of financing #(?P<id>\d+) removed by migration \d+$"),
        gettext_lazy("Removed as a duplicate of financing round #%(id)s (data clean-up)"),
    ),
]


def value_in_words(model_field, value) -> str:
    """``value`` of ``model_field`` (a stored value, or the related object for a relation)."""
    if value is None or value == "":
        return str(EMPTY)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(model_field, MoneyField):
        return formatting.format_amount_exact(value)
    if isinstance(value, dt.datetime):
        return date_format(value, "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, int) and not isinstance(value, bool):
        return formatting.format_count(value)
    if isinstance(value, Decimal):
        return formatting.plain_number(value)
    return str(value)


def reason_in_words(reason) -> str:
    """A stored change reason in the user's language; "" when there is none."""
    if not reason:
        return ""
    for pattern, words in REASONS:
        match = pattern.match(reason)
        if match:
            return str(words) % match.groupdict()
    return str(reason)

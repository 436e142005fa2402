"""Values of an import as the user reads them: labels, not codes.

The preview shows the first rows of each sheet and every update as "field: old → new" in the
user's language: a choice is its label (Chinese labels as the app registered them, the ones the
template writes), yes/no is 是/否, money is exact in 万元/元 (``tracker.history``, which writes
the change history the same way), a date as the language writes dates, nothing is "（空）".
"""

from django.utils.translation import get_language

from tracker.history import EMPTY, value_in_words

from .columns import CHOICE, REF, REFS, Column
from .registry import registry


def choice_label(column: Column, value, *, chinese: bool | None = None) -> str:
    """The label of a stored choice in the user's language (or the one asked for)."""
    if chinese is None:
        chinese = (get_language() or "").startswith("zh")
    if chinese:
        return registry.chinese_label(column.choices, value)
    return str(column.choices(value).label)


def in_words(model, column: Column, value) -> str:
    """One cell's value, parsed or stored, in words."""
    if value is None or value == "" or value == []:
        return str(EMPTY)
    if column.value_type == REF:
        return str(value)
    if column.value_type == REFS:
        return "; ".join(str(item) for item in value)
    if column.value_type == CHOICE and value in column.choices.values:
        return choice_label(column, value)
    return value_in_words(model._meta.get_field(column.field), value)

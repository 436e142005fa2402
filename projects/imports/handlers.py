"""Row rules of a sheet: natural keys, references, permissions, model validation, writing hooks.

``SheetHandler`` holds what every sheet does; the app that registers a sheet subclasses it
with the rules of its records (who may write which row, what a row may change, what a later
sheet needs to know about it), next to its registration (``platforms/sheets.py``,
``projects/sheet_handlers.py``).

A sheet is checked in chunks of rows. For each chunk the handler loads, in a few queries, the
existing records the rows name (to decide create / update / unchanged) and the records they
refer to (platform by name, enterprise by USCC, project by code, ...). Each row then becomes a
model instance that goes through the model's own ``clean_fields()`` and ``clean()``, so the
import applies exactly the rules the forms apply. Uniqueness is checked in memory against the
file and the database instead of by ``validate_unique()``, which would cost a query per row.
"""

import sys
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import parsers
from .columns import AMOUNT, BOOL, CHOICE, DATE, INT, REF, REFS, TEXT, Column, header_for
from .instances import defaults_of, fast_instance


class RowProblem(Exception):
    """Raised inside a row check; carries (field or "", message) pairs."""

    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


class SheetHandler:
    """Checks the rows of one sheet of a file, and writes them once the whole file is checked.

    The engine makes one per sheet of a file (``run`` is the ``engine.ImportRun``, ``sheet``
    the registration, ``columns`` the [(index, Column)] the header gave) and calls ``parse``,
    ``key_of``, ``load_existing``, ``check_row``, ``resolve`` and ``remember_row`` while
    checking; ``planned`` for every row the check accepts; and ``stamp_update``,
    ``write_links`` and ``after_write`` while writing.
    """

    def __init__(self, run, sheet, columns: list[tuple[int, Column]]):
        self.run = run
        self.sheet = sheet
        self.model = sheet.model
        # Foreign key field → the lookup whose natural key is in the cell; likewise for lists.
        self.references = sheet.references
        self.reference_lists = sheet.reference_lists
        self.columns = columns
        self.given = [column.field for _index, column in columns]
        self.before = None  # set by check_row: the stored values of the row's record
        # The model validates what the parsers cannot know (lengths, ranges, USCC check
        # characters, blank text). Dates, yes/no and choices come out of their parsers as
        # valid values of the field (a choice parser only maps to stored values), so checking
        # them again would cost a third of the check time for nothing.
        value_fields = {
            column.field
            for _index, column in columns
            if column.value_type not in (REF, REFS, CHOICE, DATE, BOOL)
        }
        self.exclude = [
            field.name for field in self.model._meta.fields if field.name not in value_fields
        ]
        self.defaults = defaults_of(self.model)
        self.lookups = {
            column.field: parsers.choice_lookup(column.choices)
            for _index, column in columns
            if column.value_type == CHOICE
        }

    # --- parsing -------------------------------------------------------------------------
    def parse(self, values: list, formulas, row_no: int, first_col: int):
        """Cell values → {field: value}; problems as (field, raw value, message).

        A blank cell is left out of the row: it never erases a stored value (a new record gets
        the field's default, and a required one is reported by ``check_row``). Only the
        explicit marker ``#CLEAR`` / ``#清空`` empties a field, where the field may be empty.
        """
        parsed, problems = {}, []
        for index, column in self.columns:
            raw = values[index] if index < len(values) else None
            if formulas and (row_no, index + first_col) in formulas:
                raw = formulas[(row_no, index + first_col)]
                problems.append((column.field, raw, _("Formulas are not accepted.")))
                continue
            if parsers.is_clear_marker(raw):
                try:
                    parsed[column.field] = self.cleared_value(column)
                except parsers.CellError as error:
                    problems.append((column.field, raw, str(error)))
                continue
            try:
                value = self.parse_cell(column, raw)
            except parsers.CellError as error:
                problems.append((column.field, raw, str(error)))
                continue
            if value is None or value == "" or value == []:
                if column.required and column.key:  # a row without its key is nobody's
                    problems.append((column.field, raw, _("This column is required.")))
                continue
            parsed[column.field] = value
        return parsed, problems

    def cleared_value(self, column: Column):
        """What ``#CLEAR`` stores in the column's field: None or "" where the model allows an
        empty value; anywhere else it is refused, naming the column."""
        field = self.model._meta.get_field(column.field)
        clearable = not column.required and not column.key and column.value_type != REFS
        if clearable and field.null:
            return None
        if clearable and field.blank and column.value_type in (TEXT, CHOICE):
            return ""
        raise parsers.CellError(
            _(
                "%(column)s cannot be emptied: it needs a value. Leave the cell blank to keep "
                "the stored value."
            )
            % {"column": column_label(column)}
        )

    def parse_cell(self, column: Column, raw):
        kind = column.value_type
        if kind in (TEXT, REF):
            text = column.parse(raw) if column.parse else parsers.parse_text(raw)
            # Keys and references repeat (a project code in each of its runs): one string each.
            return sys.intern(text) if column.key or kind == REF else text
        if kind == CHOICE:
            return parsers.parse_choice(raw, self.lookups[column.field], column.choices)
        if kind == DATE:
            return parsers.parse_date(raw)
        if kind == AMOUNT:
            return parsers.parse_amount(raw)
        if kind == INT:
            return parsers.parse_int(raw)
        if kind == BOOL:
            return parsers.parse_bool(raw)
        if kind == REFS:
            return parsers.split_names(raw)
        raise AssertionError(kind)

    # --- keys and lookups ----------------------------------------------------------------
    def key_of(self, parsed: dict):
        return tuple(parsed.get(field) for field in self.sheet.key_fields)

    def load_existing(self, keys: list) -> dict:
        """Existing records of this kind for the given keys (one query per chunk)."""
        raise NotImplementedError

    def resolve(self, parsed: dict):
        """Problems with the records the row names: each must exist (in the file or stored)."""
        problems = []
        for field, target in self.references.items():
            if field not in parsed:
                continue
            if not self.run.knows(target, parsed[field]):
                problems.append((field, self.run.unknown_message(target, parsed[field])))
        for field, target in self.reference_lists.items():
            for name in parsed.get(field) or []:
                if not self.run.knows(target, name):
                    problems.append((field, self.run.unknown_message(target, name)))
        return problems

    # --- one row -------------------------------------------------------------------------
    def new_instance(self):
        return fast_instance(self.model, self.defaults)

    def apply(self, instance, parsed: dict):
        for field, value in parsed.items():
            if field in self.references or field in self.reference_lists:
                continue
            if value is None and not self.model._meta.get_field(field).null:
                value = self.model._meta.get_field(field).get_default()
            setattr(instance, field, value)

    def validate(self, instance):
        """The model's own rules (field validators, choices, ``clean()``), as field → messages."""
        try:
            instance.clean_fields(exclude=self.exclude)
            instance.clean()
        except ValidationError as error:
            return [
                (field, message)
                for field, messages in error.message_dict.items()
                for message in messages
            ]
        return []

    def missing_for_create(self, parsed: dict):
        """Required values a new record lacks: a column left out, or a blank cell."""
        problems = []
        for column in self.sheet.columns:
            if not column.required or parsed.get(column.field) not in (None, "", []):
                continue
            if column.field in self.given:
                problems.append((column.field, _("This column is required for a new record.")))
            else:
                message = _(
                    "Required column %(name)s (%(chinese)s) is missing; a new record needs it."
                ) % {"name": column.english, "chinese": column.chinese}
                problems.append((column.field, message))
        return problems

    def check_scope(self, parsed, existing):
        """Problems with the user's right to write this row; none by default."""
        return []

    def changed_fields(self, before: dict, instance) -> dict:
        return {
            field: getattr(instance, field)
            for field in before
            if getattr(instance, field) != before[field]
        }

    def remember_row(self, key, parsed, instance, existing, ok: bool):
        """Remember a row of the file so that later rows and sheets may refer to it."""

    def extra_changes(self, parsed, existing) -> dict:
        """Changes beyond the row's own fields (e.g. recognitions added to a platform)."""
        return {}

    def check_row(self, parsed: dict, existing):
        """→ (action, changes-or-instance); raises RowProblem."""
        problems = self.resolve(parsed)
        problems += self.check_scope(parsed, existing)
        if existing is None:
            problems += self.missing_for_create(parsed)
            instance = self.new_instance()
            before = None
        else:
            instance = existing
            before = {
                field: getattr(existing, field)
                for field in parsed
                if field not in self.references and field not in self.reference_lists
            }
            before.update(self.reference_values(existing, parsed))
        self.apply(instance, parsed)
        self.attach(instance, parsed)
        reported = {field for field, _message in problems}  # one message per cell is enough
        problems += [(f, m) for f, m in self.validate(instance) if f not in reported]
        if problems:
            raise RowProblem(problems)
        self.before = before  # the stored values an update changes, for the preview
        if before is None:
            return "create", instance
        changes = self.changed_fields(
            {f: v for f, v in before.items() if f not in self.references}, instance
        )
        for field in self.references:
            if field in parsed and parsed[field] != before.get(field):
                changes[field] = parsed[field]
        changes.update(self.extra_changes(parsed, existing))
        return ("update", changes) if changes else ("unchanged", None)

    def warnings(self, rows: list) -> list:
        """Rows the check accepts but the user must acknowledge before confirming: (row
        number, field, value, message) for the (row number, parsed, action) of a chunk."""
        return []

    def hidden_fields(self, existing) -> frozenset:
        """Fields of an existing record whose stored value the user may not read (the preview
        of an update masks them)."""
        return frozenset()

    def reference_values(self, existing, parsed) -> dict:
        """The natural keys the existing record currently refers to, to detect a change."""
        return {}

    def attach(self, instance, parsed):
        """Give the instance what its ``clean()`` reads from related records."""

    # --- writing (only when the whole file checked without an error) ----------------------
    def planned(self, parsed: dict, action: str) -> None:
        """A row the check accepted: ``action`` is create, update or unchanged."""

    def stamp_update(self, obj) -> set[str]:
        """Set what an import's update changes besides the row's fields; → their names."""
        return set()

    def write_links(self, field: str, pairs: list[tuple]) -> None:
        """Write what a list-of-names column (REFS) adds: (record pk, name) pairs."""
        raise NotImplementedError(f"{type(self).__name__} writes no {field}")

    def after_write(self) -> Iterator:
        """Work once every sheet is written, in the same transaction (``engine.Progress``
        events)."""
        return iter(())


def column_label(column: Column) -> str:
    """The column as the user's language calls it in templates and exports."""
    return header_for(column, get_language() or "en")

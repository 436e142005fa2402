"""The import run: check every row of every sheet, then (only if nothing is wrong) write.

``ImportRun.check()`` and ``writing.write()`` are generators of ``Progress`` events, so the
command line can draw a progress bar and the web page can stream one, from the same code.
While checking, the run keeps for every natural key the file or the database knows (by
``registry.Lookup``: platform name, enterprise USCC, project code, ...) whether it exists, its
primary key once known, and the little a later sheet needs (a project's track and start date),
so that a yield run can refer to a project created earlier in the same file. The sheets, their
rules and their lookups come from the registry; the engine names no model.

What will be written is kept compactly (a tuple of values per new row, the changed fields per
updated row) rather than as model instances: 400,000 instances would not fit in 500 MB.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .columns import REF, REFS, header_lookup, normalize_header
from .errors import RowError
from .handlers import RowProblem, SheetHandler, column_label
from .parsers import is_empty
from .permissions import has_full_access
from .reading import SheetData
from .registry import registry
from .wording import in_words

HIDDEN = gettext_lazy("Confidential")

CHUNK_ROWS = 2000
PREVIEW_ROWS = 5
PREVIEW_UPDATES = 200  # updates listed field by field per sheet; the rest are counted


@dataclass(frozen=True)
class Progress:
    phase: str  # "check" or "write"
    sheet: str
    done: int
    total: int


@dataclass
class Plan:
    """What one sheet will do: rows to create (value tuples), updates (pk, changes), counts.

    ``sheet`` is the tab's name in the file; ``handler`` the sheet's rules, which write it too.
    """

    kind: str
    sheet: str
    fields: list
    headers: list
    handler: SheetHandler
    creates: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0  # rows with at least one error (counted too: every row is accounted for)
    preview: list = field(default_factory=list)
    changes: list = field(default_factory=list)  # the first updates, field: old → new, in words
    more_changes: int = 0

    def counts(self) -> dict:
        return {
            "rows": self.created + self.updated + self.unchanged + self.invalid,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "invalid": self.invalid,
        }


def display(value) -> str:
    """A cell value as the user typed it, for error lists and previews."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


class ImportRun:
    """One validation (and possibly write) of a set of sheets on behalf of a user.

    ``user=None`` is the command line without ``--user``: the operator, allowed everything.

    Any other user is *restricted* unless an administrator: the rows may only write what
    ``platforms.access`` lets that user write (their platforms' projects, runs and financing;
    the descriptive fields of their platforms; enterprises only their platforms serve: the
    sheets' handlers ask it), and the errors never tell a restricted user that another
    platform's code, name or client exists: a record they may not name is reported exactly as
    one that does not exist (``registry.Lookup.hidden``).
    """

    def __init__(self, sheets: list[SheetData], *, user=None, change_reason="import"):
        self.sheets = sheets
        self.user = user
        self.change_reason = change_reason
        self.restricted = user is not None and not has_full_access(user)
        # lookup → natural key → (pk or None if new in the file, row ok?, extra info)
        self.known = {name: {} for name in registry.lookups}
        self.absent = {name: set() for name in registry.lookups}
        self.plans: dict[str, Plan] = {}
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []
        self.skipped_sheets: list[str] = list(getattr(sheets, "skipped", []))
        self._cache: dict = {}

    # --- what handlers ask ---------------------------------------------------------------
    def knows(self, target: str, key) -> bool:
        return key in self.known[target]

    def pk_of(self, target: str, key):
        entry = self.known[target].get(key)
        return entry[0] if entry else None

    def info_of(self, target: str, key):
        entry = self.known[target].get(key)
        return entry[2] if entry and entry[1] else None

    def remember(self, target, key, pk, *, ok=True, info=None):
        self.known[target][key] = (pk, ok, info if ok else None)

    def cached(self, name: str, compute):
        """What the sheets' rules share within this run, computed once: the user's platforms,
        the clients the file proves the user knows, the projects whose runs changed, ..."""
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    def unknown_message(self, target: str, key) -> str:
        """What a reference to a missing record says. For a restricted user the same words
        cover a record of another platform, so that guessing keys reveals nothing."""
        return registry.lookup(target).unknown_message(key, restricted=self.restricted)

    def prefetch(self, target: str, keys) -> None:
        """Look up, in one query, the keys of a chunk that neither the file nor a cache knows."""
        wanted = [
            key
            for key in set(keys)
            if key and key not in self.known[target] and key not in self.absent[target]
        ]
        if not wanted:
            return
        # A record the user may not name (another platform's project) is not found.
        for key, pk, info in registry.lookup(target).existing(self, wanted):
            self.remember(target, key, pk, info=info)
        self.absent[target].update(key for key in wanted if key not in self.known[target])

    # --- checking ------------------------------------------------------------------------
    @property
    def error_count(self) -> int:
        return len(self.errors)

    def counts(self) -> dict:
        return {kind: plan.counts() for kind, plan in self.plans.items()}

    def check(self) -> Iterator[Progress]:
        for sheet in self.sheets:
            yield from self._check_sheet(sheet)

    def _map_header(self, sheet: SheetData, header: list):
        """Header cells → [(column index, Column)]; unknown, repeated and missing are errors."""
        spec = registry.sheet(sheet.kind)
        lookup = header_lookup(spec.columns)
        columns, seen, errors = [], {}, []
        for index, cell in enumerate(header):
            if is_empty(cell):
                continue
            column = lookup.get(normalize_header(cell))
            if column is None:
                errors.append((cell, _("Unknown column %(name)s.") % {"name": cell}))
            elif column.field in seen:
                message = _("Column %(name)s appears twice (also as %(other)s).") % {
                    "name": cell,
                    "other": seen[column.field],
                }
                errors.append((cell, message))
            else:
                seen[column.field] = cell
                columns.append((index, column))
        # Key columns are always needed; other required ones only by rows that create a record
        # (an update file may carry just the key and the columns it changes). Rows are still
        # checked past an unknown column (to report their errors too), but not without their
        # key: nothing could say which record a row is.
        missing_key = [
            column
            for column in spec.columns
            if column.key and column.required and column.field not in seen
        ]
        for column in missing_key:
            message = _("Required column %(name)s (%(chinese)s) is missing.") % {
                "name": column.english,
                "chinese": column.chinese,
            }
            errors.append((column.english, message))
        for column_name, message in errors:
            self.errors.append(RowError(sheet.name, 1, str(column_name), "", message))
        return columns, bool(missing_key)

    def _check_sheet(self, sheet: SheetData) -> Iterator[Progress]:
        header, rows, total = sheet.load()
        columns, broken = self._map_header(sheet, header)
        if broken:
            yield Progress("check", sheet.name, 0, total)
            return
        spec = registry.sheet(sheet.kind)
        handler = spec.handler(self, spec, columns)
        headers = {column.field: str(header[index]).strip() for index, column in columns}
        plan = Plan(sheet.kind, sheet.name, handler.given, list(headers.values()), handler)
        self.plans[sheet.kind] = plan
        seen: dict = {}
        chunk, done = [], 0
        for row_no, values in rows:
            if all(value is None or value == "" for value in values):
                continue  # blank rows between blocks of data are not errors
            chunk.append((row_no, values))
            if len(chunk) >= CHUNK_ROWS:
                done += len(chunk)
                self._check_chunk(sheet, handler, plan, headers, chunk, seen)
                chunk = []
                yield Progress("check", sheet.name, done, total)
        if chunk:
            done += len(chunk)
            self._check_chunk(sheet, handler, plan, headers, chunk, seen)
        yield Progress("check", sheet.name, done, total)

    def _check_chunk(self, sheet, handler, plan, headers, chunk, seen):
        parsed_rows = [
            (row_no, values, *handler.parse(values, sheet.formulas, row_no, sheet.first_col))
            for row_no, values in chunk
        ]
        for field_name, target in handler.references.items():
            self.prefetch(target, (parsed.get(field_name) for _r, _v, parsed, _p in parsed_rows))
        for field_name, target in handler.reference_lists.items():
            if field_name in handler.given:
                lists = (parsed.get(field_name, []) for _r, _v, parsed, _p in parsed_rows)
                self.prefetch(target, [name for names in lists for name in names])
        key_fields = set(handler.sheet.key_fields)
        keys = [
            handler.key_of(parsed)
            for _r, _v, parsed, problems in parsed_rows
            if not any(problem[0] in key_fields for problem in problems)
        ]
        existing = handler.load_existing(keys)
        first_key = handler.sheet.key_fields[0]
        accepted = []
        for row_no, _values, parsed, problems in parsed_rows:
            problems = [(name, display(raw), message) for name, raw, message in problems]
            key_ok = not any(problem[0] in key_fields for problem in problems)
            key = handler.key_of(parsed) if key_ok else None
            if key_ok and key in seen:
                problems.append(
                    (
                        first_key,
                        display(parsed.get(first_key)),
                        _("Duplicate of row %(row)d of this sheet.") % {"row": seen[key]},
                    )
                )
            elif key_ok:
                seen[key] = row_no
            action = payload = None
            if problems:
                # The row cannot be validated as a whole, but its references can: report
                # those too, so the user fixes the row in one go.
                problems += [
                    (name, display(parsed.get(name)), message)
                    for name, message in handler.resolve(parsed)
                ]
            else:
                try:
                    action, payload = handler.check_row(parsed, existing.get(key))
                except RowProblem as problem:
                    problems = [
                        (f, display(parsed.get(f, "")) if f in parsed else "", m)
                        for f, m in problem.problems
                    ]
            if problems:
                plan.invalid += 1
                for field_name, raw, message in problems:
                    column = self._column_name(sheet.kind, headers, field_name)
                    self.errors.append(RowError(sheet.name, row_no, column, raw, message))
            if key_ok and seen.get(key) == row_no:
                current = existing.get(key)
                instance = payload if action == "create" else current
                handler.remember_row(key, parsed, instance, current, ok=not problems)
            if not problems:
                self._plan(plan, handler, row_no, parsed, action, payload, existing.get(key))
                accepted.append((row_no, parsed, action))
        for row_no, field_name, value, message in handler.warnings(accepted):
            column = self._column_name(sheet.kind, headers, field_name)
            self.warnings.append(RowError(sheet.name, row_no, column, display(value), message))

    @staticmethod
    def _describe_update(plan, handler, row_no, parsed, changes, existing):
        """The update of one row as the preview lists it: field: old → new, in words."""
        if len(plan.changes) >= PREVIEW_UPDATES:
            plan.more_changes += 1
            return
        spec = handler.sheet
        before = handler.before or {}
        hidden = handler.hidden_fields(existing)
        listed = []
        for name, new in changes.items():
            column = spec.by_field.get(name)
            if column is None:
                continue
            if name in hidden:
                old_words = new_words = str(HIDDEN)
            else:
                old_words = in_words(spec.model, column, before.get(name))
                new_words = in_words(spec.model, column, new)
            if column.value_type == REFS:
                old_words = ""  # a list column only adds names
            listed.append({"field": column_label(column), "old": old_words, "new": new_words})
        key = " / ".join(display(part) for part in handler.key_of(parsed))
        plan.changes.append({"row": row_no, "record": key, "changes": listed})

    @staticmethod
    def _column_name(kind, headers, field_name) -> str:
        """The header as written in the file; for a missing column its English name."""
        if field_name in headers:
            return headers[field_name]
        column = registry.sheet(kind).by_field.get(field_name)
        return column.english if column else ("" if field_name == NON_FIELD_ERRORS else field_name)

    def _plan(self, plan, handler, row_no, parsed, action, payload, existing):
        if action == "create":
            plan.created += 1
        elif action == "update":
            plan.updated += 1
        else:
            plan.unchanged += 1
        handler.planned(parsed, action)
        spec = handler.sheet
        if len(plan.preview) < PREVIEW_ROWS:
            plan.preview.append(
                {
                    "row": row_no,
                    "action": action,
                    "values": [
                        in_words(spec.model, spec.by_field[name], parsed[name])
                        if name in parsed
                        else ""
                        for name in plan.fields
                    ],
                }
            )
        if action == "update":
            self._describe_update(plan, handler, row_no, parsed, payload, existing)
        if self.errors:
            return  # nothing will be written: stop keeping what would have been
        if action == "create":
            spec = handler.sheet
            plan.creates.append(
                tuple(
                    parsed.get(name)
                    if spec.by_field[name].value_type in (REF, REFS)
                    else getattr(payload, name)
                    for name in plan.fields
                )
            )
        elif action == "update":
            plan.updates.append((existing.pk, payload))


def preview_dict(run: ImportRun) -> dict:
    """The first rows and updates of each sheet, and the sheets not read, for the preview page
    (JSON-serialisable)."""
    preview = {
        kind: {
            "sheet": plan.sheet,
            "headers": plan.headers,
            "rows": plan.preview,
            "changes": plan.changes,
            "more_changes": plan.more_changes,
        }
        for kind, plan in run.plans.items()
    }
    preview["skipped_sheets"] = run.skipped_sheets
    return preview


def ordered_plans(run: ImportRun) -> list[Plan]:
    """The plans of the file's sheets, in processing order."""
    return [run.plans[kind] for kind in registry.kinds() if kind in run.plans]

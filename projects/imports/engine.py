"""The import run: check every row of every sheet, then (only if nothing is wrong) write.

``ImportRun.check()`` and ``ImportRun.write()`` are generators of ``Progress`` events, so the
command line can draw a progress bar and the web page can stream one, from the same code.
While checking, the run keeps for every natural key the file or the database knows (platform
name, enterprise USCC, project code, ...) whether it exists, its primary key once known, and
the little a later sheet needs (a project's track and start date), so that a yield run can
refer to a project created earlier in the same file.

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

from platforms import access
from platforms.models import Platform
from projects.models import Enterprise, Project

from .columns import KINDS, REF, REFS, SHEETS, header_lookup, normalize_header
from .errors import RowError
from .handlers import HANDLERS, REFERENCE_MODELS, RowProblem
from .instances import defaults_of, fast_instance
from .parsers import is_empty
from .reading import SheetData

CHUNK_ROWS = 2000
PREVIEW_ROWS = 5


@dataclass(frozen=True)
class Progress:
    phase: str  # "check" or "write"
    sheet: str
    done: int
    total: int


@dataclass
class Plan:
    """What one sheet will do: rows to create (value tuples), updates (pk, changes), counts."""

    kind: str
    sheet: str
    fields: list
    headers: list
    creates: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    preview: list = field(default_factory=list)

    def counts(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


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
    the descriptive fields of their platforms; enterprises only their platforms serve), and
    the errors never tell a restricted user that another platform's code, name or client
    exists: a record they may not name is reported exactly as one that does not exist.
    """

    def __init__(self, sheets: list[SheetData], *, user=None, change_reason="import"):
        self.sheets = sheets
        self.user = user
        self.change_reason = change_reason
        self.restricted = user is not None and not access.has_full_access(user)
        self.editable = (
            set(Platform.objects.editable_by(user).values_list("pk", flat=True))
            if self.restricted
            else None
        )
        self._linkable_enterprises = None
        self._changeable_enterprises = None
        # USCCs whose exact registered name a row of the enterprises sheet gave: the file
        # proves the user knows that company, so its projects may name it as their client.
        self.proven_enterprises: set[str] = set()
        # target kind → natural key → (pk or None if new in the file, row ok?, extra info)
        self.known = {kind: {} for kind in REFERENCE_MODELS}
        self.absent = {kind: set() for kind in REFERENCE_MODELS}
        self.plans: dict[str, Plan] = {}
        self.errors: list[RowError] = []
        self.touched_projects: set[str] = set()
        self._stubs: dict = {}
        self._project_defaults = defaults_of(Project)

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

    def may_edit_platform(self, pk) -> bool:
        """New platforms of the file (pk None) are the creator's; creating them was checked."""
        return self.editable is None or pk is None or pk in self.editable

    def may_link_enterprise(self, uscc) -> bool:
        """May a project of this file name the enterprise with this USCC as its client?

        ``access.may_link_enterprise`` for a whole file: a client of the user's platforms, an
        enterprise new in this file, or one whose exact name the file's enterprises sheet gave.
        """
        if not self.restricted:
            return True
        pk = self.pk_of("enterprises", uscc)
        return pk is None or uscc in self.proven_enterprises or self.serves_enterprise(pk)

    def serves_enterprise(self, pk) -> bool:
        """Is this existing enterprise a client of the user's platforms already
        (``access.enterprises_linkable_by``)?"""
        if not self.restricted:
            return True
        if self._linkable_enterprises is None:
            linkable = Enterprise.objects.linkable_by(self.user)
            self._linkable_enterprises = set(linkable.values_list("pk", flat=True))
        return pk in self._linkable_enterprises

    def may_change_enterprise(self, pk) -> bool:
        """``access.enterprises_changeable_by``: every project using it is on the user's
        platforms (an enterprise new in this file, pk None, is the file's own)."""
        if not self.restricted or pk is None:
            return True
        if self._changeable_enterprises is None:
            changeable = Enterprise.objects.changeable_by(self.user)
            self._changeable_enterprises = set(changeable.values_list("pk", flat=True))
        return pk in self._changeable_enterprises

    def unknown_message(self, target: str, key) -> str:
        """What a reference to a missing record says. For a restricted user the same words
        cover a record of another platform, so that guessing keys reveals nothing."""
        if self.restricted and target in RESTRICTED_UNKNOWN:
            return str(RESTRICTED_UNKNOWN[target]) % {"key": key}
        messages = {
            "zones": _("Unknown zone: %(key)s"),
            "platforms": _("Unknown platform: %(key)s"),
            "enterprises": _("Unknown enterprise (USCC): %(key)s"),
            "projects": _("Unknown project code: %(key)s"),
            "recognition_lists": _("Unknown recognition list: %(key)s"),
        }
        return messages[target] % {"key": key}

    def project_stub(self, code, pk, info):
        """A stand-in project with what ``YieldRun.clean()`` reads: its track and start date."""
        stub = self._stubs.get(code)
        if stub is None:
            if len(self._stubs) > 10_000:
                self._stubs.clear()
            values = {"id": pk, "code": code, "track": info[0], "start_on": info[1]}
            stub = fast_instance(Project, self._project_defaults, values)
            self._stubs[code] = stub
        return stub

    def touch_project(self, code):
        self.touched_projects.add(code)

    def prefetch(self, target: str, keys) -> None:
        """Look up, in one query, the keys of a chunk that neither the file nor a cache knows."""
        wanted = [
            key
            for key in set(keys)
            if key and key not in self.known[target] and key not in self.absent[target]
        ]
        if not wanted:
            return
        model, key_field = REFERENCE_MODELS[target]
        if target == "projects":
            rows = model.objects.filter(code__in=wanted).values_list(
                "code", "pk", "track", "start_on", "platform_id"
            )
            for code, pk, track, start_on, platform_id in rows:
                # Another platform's project does not exist for a restricted user.
                if self.may_edit_platform(platform_id):
                    self.remember(target, code, pk, info=(track, start_on, True))
        else:
            filtered = model.objects.filter(**{f"{key_field}__in": wanted})
            for key, pk in filtered.values_list(key_field, "pk"):
                self.remember(target, key, pk)
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
        lookup = header_lookup(SHEETS[sheet.kind])
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
            for column in SHEETS[sheet.kind].columns
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
        handler = HANDLERS[sheet.kind](self, columns)
        headers = {column.field: str(header[index]).strip() for index, column in columns}
        plan = Plan(sheet.kind, sheet.name, handler.given, list(headers.values()))
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
        if "recognition_lists" in handler.given:
            names = [n for _r, _v, parsed, _p in parsed_rows for n in parsed.get(REFS_FIELD, [])]
            self.prefetch("recognition_lists", names)
        key_fields = set(SHEETS[sheet.kind].key_fields)
        keys = [
            handler.key_of(parsed)
            for _r, _v, parsed, problems in parsed_rows
            if not any(problem[0] in key_fields for problem in problems)
        ]
        existing = handler.load_existing(keys)
        first_key = SHEETS[sheet.kind].key_fields[0]
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
                for field_name, raw, message in problems:
                    column = self._column_name(sheet.kind, headers, field_name)
                    self.errors.append(RowError(sheet.name, row_no, column, raw, message))
            if key_ok and seen.get(key) == row_no:
                current = existing.get(key)
                instance = payload if action == "create" else current
                handler.register(key, parsed, instance, current, ok=not problems)
            if not problems:
                self._plan(plan, handler, row_no, parsed, action, payload, existing.get(key))

    @staticmethod
    def _column_name(kind, headers, field_name) -> str:
        """The header as written in the file; for a missing column its English name."""
        if field_name in headers:
            return headers[field_name]
        column = SHEETS[kind].by_field.get(field_name)
        return column.english if column else ("" if field_name == NON_FIELD_ERRORS else field_name)

    def _plan(self, plan, handler, row_no, parsed, action, payload, existing):
        if action == "create":
            plan.created += 1
        elif action == "update":
            plan.updated += 1
        else:
            plan.unchanged += 1
        if plan.kind == "yield_runs" and action != "unchanged":
            self.touch_project(parsed["project"])
        if len(plan.preview) < PREVIEW_ROWS:
            plan.preview.append(
                {
                    "row": row_no,
                    "action": action,
                    "values": [display(parsed.get(name)) for name in plan.fields],
                }
            )
        if self.errors:
            return  # nothing will be written: stop keeping what would have been
        if action == "create":
            spec = SHEETS[plan.kind]
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


REFS_FIELD = "recognition_lists"

# What a restricted user is told about a key that is missing *or another platform's*.
RESTRICTED_UNKNOWN = {
    "platforms": gettext_lazy("No platform called %(key)s among your platforms."),
    "projects": gettext_lazy("No project with the code %(key)s among your platforms."),
    "enterprises": gettext_lazy(
        "No client enterprise of your platforms has the USCC %(key)s. If it is a new client, "
        "add it to the enterprises sheet with its full name and USCC."
    ),
}


def preview_dict(run: ImportRun) -> dict:
    """The first rows of each sheet, for the preview page (JSON-serialisable)."""
    return {
        kind: {"sheet": plan.sheet, "headers": plan.headers, "rows": plan.preview}
        for kind, plan in run.plans.items()
    }


def ordered_kinds(run: ImportRun) -> list[str]:
    return [kind for kind in KINDS if kind in run.plans]

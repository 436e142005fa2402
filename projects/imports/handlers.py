"""Per-kind row rules: natural keys, references, permissions, and model validation.

A sheet is checked in chunks of rows. For each chunk the handler loads, in a few queries, the
existing records the rows name (to decide create / update / unchanged) and the records they
refer to (platform by name, enterprise by USCC, project by code, ...). Each row then becomes a
model instance that goes through the model's own ``clean_fields()`` and ``clean()``, so the
import applies exactly the rules the forms apply. Uniqueness is checked in memory against the
file and the database instead of by ``validate_unique()``, which would cost a query per row.
"""

import sys

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from platforms import access
from platforms.models import Platform, Recognition, RecognitionList, Zone
from projects.models import Enterprise, Financing, Project, YieldRun

from . import parsers
from .columns import AMOUNT, BOOL, CHOICE, DATE, INT, REF, REFS, SHEETS, TEXT, Column, header_for
from .instances import defaults_of, fast_instance


class RowProblem(Exception):
    """Raised inside a row check; carries (field or "", message) pairs."""

    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


class KindHandler:
    """Checks the rows of one sheet; the engine calls ``check_chunk`` and reads ``plan``."""

    kind = ""
    model = None
    # Foreign key field → the kind of record it names (its natural key is in the cell).
    references: dict[str, str] = {}
    uscc_fields: tuple[str, ...] = ()
    # Columns holding a project code (its own or the one a row refers to).
    project_code_fields: tuple[str, ...] = ()

    def __init__(self, run, columns: list[tuple[int, Column]]):
        self.run = run
        self.spec = SHEETS[self.kind]
        self.columns = columns
        self.given = [column.field for _index, column in columns]
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
        """Cell values → {field: value}; problems as (field, raw value, message)."""
        parsed, problems = {}, []
        for index, column in self.columns:
            raw = values[index] if index < len(values) else None
            if formulas and (row_no, index + first_col) in formulas:
                raw = formulas[(row_no, index + first_col)]
                problems.append((column.field, raw, _("Formulas are not accepted.")))
                continue
            try:
                value = self.parse_cell(column, raw)
            except parsers.CellError as error:
                problems.append((column.field, raw, str(error)))
                continue
            if column.required and (value is None or value == "" or value == []):
                problems.append((column.field, raw, _("This column is required.")))
                continue
            parsed[column.field] = value
        return parsed, problems

    def parse_cell(self, column: Column, raw):
        kind = column.value_type
        if kind in (TEXT, REF):
            if column.field in self.uscc_fields:
                text = parsers.parse_uscc(raw)
            elif column.field in self.project_code_fields:
                text = parsers.parse_project_code(raw)
            else:
                text = parsers.parse_text(raw)
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
        return tuple(parsed.get(field) for field in self.spec.key_fields)

    def load_existing(self, keys: list) -> dict:
        """Existing records of this kind for the given keys (one query per chunk)."""
        raise NotImplementedError

    def resolve(self, parsed: dict):
        """Set ``parsed[field]`` of references to their natural key checked to exist."""
        problems = []
        for field, target in self.references.items():
            if field not in parsed:
                continue
            if not self.run.knows(target, parsed[field]):
                problems.append((field, self.run.unknown_message(target, parsed[field])))
        return problems

    # --- one row -------------------------------------------------------------------------
    def new_instance(self):
        return fast_instance(self.model, self.defaults)

    def apply(self, instance, parsed: dict):
        for field, value in parsed.items():
            if field in self.references or self.spec.by_field[field].value_type == REFS:
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

    def missing_for_create(self):
        return [
            (
                column.field,
                _("Required column %(name)s (%(chinese)s) is missing; a new record needs it.")
                % {"name": column.english, "chinese": column.chinese},
            )
            for column in self.spec.columns
            if column.required and column.field not in self.given
        ]

    def check_scope(self, parsed, existing):
        """Problems with the user's right to write this row; none by default."""
        return []

    def changed_fields(self, before: dict, instance) -> dict:
        return {
            field: getattr(instance, field)
            for field in before
            if getattr(instance, field) != before[field]
        }

    def register(self, key, parsed, instance, existing, ok: bool):
        """Remember a row of the file so that later rows and sheets may refer to it."""

    def extra_changes(self, parsed, existing) -> dict:
        """Changes beyond the row's own fields (e.g. recognitions added to a platform)."""
        return {}

    def check_row(self, parsed: dict, existing):
        """→ (action, changes-or-instance); raises RowProblem."""
        problems = self.resolve(parsed)
        problems += self.check_scope(parsed, existing)
        if existing is None:
            problems += self.missing_for_create()
            instance = self.new_instance()
            before = None
        else:
            instance = existing
            before = {
                field: getattr(existing, field)
                for field in parsed
                if field not in self.references and self.spec.by_field[field].value_type != REFS
            }
            before.update(self.reference_values(existing, parsed))
        self.apply(instance, parsed)
        self.attach(instance, parsed)
        problems += self.validate(instance)
        if problems:
            raise RowProblem(problems)
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

    def reference_values(self, existing, parsed) -> dict:
        """The natural keys the existing record currently refers to, to detect a change."""
        return {}

    def attach(self, instance, parsed):
        """Give the instance what its ``clean()`` reads from related records."""


def column_label(column: Column) -> str:
    """The column as the user's language calls it in templates and exports."""
    return header_for(column, get_language() or "en")


class PlatformHandler(KindHandler):
    """Platforms: the registry. Zone, status, sector, construction model, operator, dates and
    recognitions are reference data (administrators only); a platform's own staff may update
    its descriptive fields (``access.PLATFORM_STAFF_FIELDS``) and must otherwise repeat the
    stored values, as a re-imported export does."""

    kind = "platforms"
    model = Platform
    references = {"zone": "zones"}
    uscc_fields = ("operator_uscc",)

    def load_existing(self, keys):
        names = [key[0] for key in keys]
        found = Platform.objects.filter(name__in=names).select_related("zone")
        existing = {(platform.name,): platform for platform in found}
        if "recognition_lists" in self.given and existing:
            # Every list a platform was ever on (the writer never adds one twice), and those
            # in force (what a staff row may repeat).
            self.current_lists, self.lists_in_force = {}, {}
            for platform_id, list_name, revoked_on in Recognition.objects.filter(
                platform__in=existing.values()
            ).values_list("platform_id", "recognition_list__name", "revoked_on"):
                self.current_lists.setdefault(platform_id, set()).add(list_name)
                if revoked_on is None:
                    self.lists_in_force.setdefault(platform_id, set()).add(list_name)
        return existing

    def resolve(self, parsed):
        if self.run.restricted:
            # A staff row's zone and lists are compared with the stored ones instead
            # (``check_restricted``): whether another zone or list exists is not their concern.
            return []
        problems = super().resolve(parsed)
        for name in parsed.get("recognition_lists") or []:
            if not self.run.knows("recognition_lists", name):
                problems.append(
                    ("recognition_lists", self.run.unknown_message("recognition_lists", name))
                )
        return problems

    def check_row(self, parsed, existing):
        if self.run.restricted and (
            existing is None or not self.run.may_edit_platform(existing.pk)
        ):
            # One message, whether no platform has the name or another platform does; and no
            # other check of the row, whose outcome could differ between the two.
            message = _(
                "No platform called %(name)s among your platforms; only administrators add "
                "platforms."
            )
            raise RowProblem([("name", message % {"name": parsed.get("name")})])
        action, payload = super().check_row(parsed, existing)
        if self.run.restricted:
            self.check_restricted(parsed, existing, payload if action == "update" else {})
        return action, payload

    def check_restricted(self, parsed, existing, changes):
        """A staff row changes descriptive fields only; every other column must repeat the
        stored value. Each column that does not is an error naming it."""
        problems = [
            (
                field,
                _(
                    "Only administrators change %(column)s (reference data); leave the stored "
                    "value or ask an administrator."
                )
                % {"column": column_label(self.spec.by_field[field])},
            )
            for field in changes
            if field not in access.PLATFORM_STAFF_FIELDS and field != "recognition_lists"
        ]
        in_force = getattr(self, "lists_in_force", {}).get(existing.pk, set())
        claimed = sorted(set(parsed.get("recognition_lists") or []) - in_force)
        if claimed:
            message = _(
                "Only administrators grant recognitions; this platform holds no current "
                "recognition on: %(lists)s."
            )
            problems.append(("recognition_lists", message % {"lists": "; ".join(claimed)}))
        if problems:
            raise RowProblem(problems)

    def reference_values(self, existing, parsed):
        return {"zone": existing.zone.name}

    def extra_changes(self, parsed, existing):
        wanted = set(parsed.get("recognition_lists") or [])
        missing = wanted - getattr(self, "current_lists", {}).get(existing.pk, set())
        return {"recognition_lists": sorted(missing)} if missing else {}

    def register(self, key, parsed, instance, existing, ok):
        self.run.remember("platforms", key[0], existing.pk if existing else None, ok=ok)


class EnterpriseHandler(KindHandler):
    """Enterprises are shared by every platform that serves them (``access``):

    * a client of the user's platforms may be repeated as it is; it may be changed only if
      every project using it is on the user's platforms, otherwise an administrator does it;
    * any other registered enterprise may only be *named*, by its USCC and its full exact
      registered name and nothing else (its details are not the user's to see or change):
      the file then proves the user knows the company, and its projects may name it;
    * a new USCC creates the enterprise.
    """

    kind = "enterprises"
    model = Enterprise
    uscc_fields = ("uscc",)

    def load_existing(self, keys):
        found = Enterprise.objects.filter(uscc__in=[key[0] for key in keys])
        return {(enterprise.uscc,): enterprise for enterprise in found}

    def check_row(self, parsed, existing):
        if existing is not None and not self.run.serves_enterprise(existing.pk):
            return self.check_foreign(parsed, existing)
        action, payload = super().check_row(parsed, existing)
        if action == "update" and not self.run.may_change_enterprise(existing.pk):
            message = _(
                "Only an administrator may change the %(column)s of an enterprise that other "
                "platforms serve too; leave the stored value or ask an administrator."
            )
            raise RowProblem(
                [
                    (field, message % {"column": column_label(self.spec.by_field[field])})
                    for field in payload
                ]
            )
        return action, payload

    def check_foreign(self, parsed, existing):
        """A registered enterprise that is not (yet) a client of the user's platforms.

        The outcome depends only on whether the row gives exactly its registered name and no
        other detail, so that trying rows reveals neither its name nor any of its details.
        """
        details = [
            field
            for field, value in parsed.items()
            if field not in ("uscc", "name") and value not in (None, "", [])
        ]
        if details or not access.names_enterprise_exactly(existing, parsed.get("name")):
            message = _(
                "An enterprise is already registered with the USCC %(uscc)s, and it is not a "
                "client of your platforms. To name it as your client, give only its USCC and "
                "its full registered name, exactly; an administrator keeps its details."
            )
            raise RowProblem([("uscc", message % {"uscc": existing.uscc})])
        return "unchanged", None

    def register(self, key, parsed, instance, existing, ok):
        self.run.remember("enterprises", key[0], existing.pk if existing else None, ok=ok)
        if (
            ok
            and existing is not None
            and access.names_enterprise_exactly(existing, parsed.get("name"))
        ):
            self.run.proven_enterprises.add(key[0])


class ProjectHandler(KindHandler):
    kind = "projects"
    model = Project
    references = {"platform": "platforms", "enterprise": "enterprises"}
    uscc_fields = ("enterprise",)
    project_code_fields = ("code",)

    def load_existing(self, keys):
        found = Project.objects.filter(code__in=[key[0] for key in keys]).select_related(
            "platform", "enterprise"
        )
        return {(project.code,): project for project in found}

    def resolve(self, parsed):
        """References, and the client: an enterprise the user may not name is reported with
        the very words of an unknown USCC."""
        problems = super().resolve(parsed)
        uscc = parsed.get("enterprise")
        if uscc and self.run.knows("enterprises", uscc) and not self.run.may_link_enterprise(uscc):
            problems.append(("enterprise", self.run.unknown_message("enterprises", uscc)))
        return problems

    def check_scope(self, parsed, existing):
        problems = []
        if existing is not None and not self.run.may_edit_platform(existing.platform_id):
            # Creating it is impossible (codes are unique), so the refusal says only that.
            problems.append(
                (
                    "code",
                    _("The project code %(code)s is taken; give this project another code.")
                    % {"code": existing.code},
                )
            )
        platform = parsed.get("platform")
        known = platform and self.run.knows("platforms", platform)
        if known and not self.run.may_edit_platform(self.run.pk_of("platforms", platform)):
            problems.append(("platform", self.run.unknown_message("platforms", platform)))
        return problems

    def reference_values(self, existing, parsed):
        return {"platform": existing.platform.name, "enterprise": existing.enterprise.uscc}

    def register(self, key, parsed, instance, existing, ok):
        if not ok:
            self.run.remember("projects", key[0], existing.pk if existing else None, ok=False)
            return
        platform = parsed.get("platform") or (existing.platform.name if existing else None)
        editable = ok and platform is not None and self.run.knows("platforms", platform)
        editable = editable and self.run.may_edit_platform(self.run.pk_of("platforms", platform))
        self.run.remember(
            "projects",
            key[0],
            existing.pk if existing else None,
            ok=ok,
            info=(instance.track, instance.start_on, editable),
        )


class ProjectChildHandler(KindHandler):
    """Yield runs and financing: rows of a project, identified by its code plus their own key."""

    references = {"project": "projects"}
    project_code_fields = ("project",)

    def load_existing(self, keys):
        codes = {key[0] for key in keys}
        pks = {self.run.pk_of("projects", code): code for code in codes}
        pks.pop(None, None)
        found = {}
        for record in self.model.objects.filter(project_id__in=list(pks)).order_by("pk"):
            key = self.existing_key(pks[record.project_id], record)
            found.setdefault(key, record)
        return found

    def existing_key(self, code, record):
        raise NotImplementedError

    def __init__(self, run, columns):
        super().__init__(run, columns)
        # A key column left out or blank means the model default (financing: equity, no name).
        self.key_defaults = {
            field: self.model._meta.get_field(field).get_default()
            for field in self.spec.key_fields
            if field != "project"
        }

    def key_of(self, parsed):
        return tuple(
            parsed[field] if parsed.get(field) is not None else self.key_defaults.get(field)
            for field in self.spec.key_fields
        )

    def check_scope(self, parsed, existing):
        code = parsed.get("project")
        info = self.run.info_of("projects", code) if code else None
        if info is not None and not info[2]:
            return [("project", self.run.unknown_message("projects", code))]
        return []

    def attach(self, instance, parsed):
        code = parsed.get("project")
        info = self.run.info_of("projects", code) if code else None
        if info is not None:
            instance.project = self.run.project_stub(code, self.run.pk_of("projects", code), info)

    def reference_values(self, existing, parsed):
        return {"project": parsed.get("project")}


class YieldRunHandler(ProjectChildHandler):
    kind = "yield_runs"
    model = YieldRun

    def existing_key(self, code, record):
        return (code, record.stage, record.sequence)


class FinancingHandler(ProjectChildHandler):
    kind = "financing"
    model = Financing

    def existing_key(self, code, record):
        return (code, record.date, record.round, record.instrument, record.investor)


HANDLERS = {
    handler.kind: handler
    for handler in (
        PlatformHandler,
        EnterpriseHandler,
        ProjectHandler,
        YieldRunHandler,
        FinancingHandler,
    )
}

# Where references are looked up in the database: kind → (model, natural key field).
REFERENCE_MODELS = {
    "zones": (Zone, "name"),
    "platforms": (Platform, "name"),
    "enterprises": (Enterprise, "uscc"),
    "projects": (Project, "code"),
    "recognition_lists": (RecognitionList, "name"),
}

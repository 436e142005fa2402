"""Row rules of the projects app's sheets (registered in ``projects.sheets``).

Who may write which row is ``platforms.access``'s to say: a platform's staff write projects,
yield runs and financing of their own platforms; enterprises are shared by every platform that
serves them. What a restricted user is told never reveals a record of another platform: a
project or client they may not name is reported with the very words of one that does not exist.
"""

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from platforms import access
from platforms.sheets import may_edit_platform
from projects.imports.engine import Progress
from projects.imports.handlers import RowProblem, SheetHandler, column_label
from projects.imports.instances import defaults_of, fast_instance
from projects.imports.writing import BATCH_ROWS

from .confidential import HIDDEN_TEXT_FIELDS
from .models import Enterprise, Project

# --- enterprises a restricted user may name or change, within one import ---------------------


def proven_enterprises(run) -> set[str]:
    """USCCs whose exact registered name a row of the enterprises sheet gave: the file proves
    the user knows that company, so its projects may name it as their client."""
    return run.cached("proven_enterprises", set)


def serves_enterprise(run, pk) -> bool:
    """Is this existing enterprise a client of the user's platforms already
    (``access.enterprises_linkable_by``)?"""
    if not run.restricted:
        return True
    linkable = run.cached(
        "linkable_enterprises",
        lambda: set(Enterprise.objects.linkable_by(run.user).values_list("pk", flat=True)),
    )
    return pk in linkable


def may_link_enterprise(run, uscc) -> bool:
    """May a project of this file name the enterprise with this USCC as its client?

    ``access.may_link_enterprise`` for a whole file: a client of the user's platforms, an
    enterprise new in this file, or one whose exact name the file's enterprises sheet gave.
    """
    if not run.restricted:
        return True
    pk = run.pk_of("enterprises", uscc)
    return pk is None or uscc in proven_enterprises(run) or serves_enterprise(run, pk)


def may_change_enterprise(run, pk) -> bool:
    """``access.enterprises_changeable_by``: every project using it is on the user's
    platforms (an enterprise new in this file, pk None, is the file's own)."""
    if not run.restricted or pk is None:
        return True
    changeable = run.cached(
        "changeable_enterprises",
        lambda: set(Enterprise.objects.changeable_by(run.user).values_list("pk", flat=True)),
    )
    return pk in changeable


# --- projects, as the rows of a later sheet see them --------------------------------------------


def find_projects(lookup, run, codes):
    """Projects by code, with what a run or financing row needs (track, start date): only
    those of the user's platforms, as another platform's project does not exist for them."""
    rows = Project.objects.filter(code__in=codes).values_list(
        "code", "pk", "track", "start_on", "platform_id"
    )
    for code, pk, track, start_on, platform_id in rows:
        if may_edit_platform(run, platform_id):
            yield code, pk, (track, start_on, True)


def project_stub(run, code, pk, info):
    """A stand-in project with what ``YieldRun.clean()`` reads: its track and start date."""
    stubs = run.cached("project_stubs", dict)
    stub = stubs.get(code)
    if stub is None:
        if len(stubs) > 10_000:
            stubs.clear()
        values = {"id": pk, "code": code, "track": info[0], "start_on": info[1]}
        defaults = run.cached("project_defaults", lambda: defaults_of(Project))
        stub = fast_instance(Project, defaults, values)
        stubs[code] = stub
    return stub


def touched_projects(run) -> set[str]:
    """Codes of the projects whose yield runs the import creates or changes."""
    return run.cached("touched_projects", set)


# --- the handlers -------------------------------------------------------------------------------


class EnterpriseHandler(SheetHandler):
    """Enterprises are shared by every platform that serves them (``access``):

    * a client of the user's platforms may be repeated as it is; it may be changed only if
      every project using it is on the user's platforms, otherwise an administrator does it;
    * any other registered enterprise may only be *named*, by its USCC and its full exact
      registered name and nothing else (its details are not the user's to see or change):
      the file then proves the user knows the company, and its projects may name it;
    * a new USCC creates the enterprise.
    """

    def load_existing(self, keys):
        found = Enterprise.objects.filter(uscc__in=[key[0] for key in keys])
        return {(enterprise.uscc,): enterprise for enterprise in found}

    def check_row(self, parsed, existing):
        if existing is not None and not serves_enterprise(self.run, existing.pk):
            return self.check_foreign(parsed, existing)
        action, payload = super().check_row(parsed, existing)
        if action == "update" and not may_change_enterprise(self.run, existing.pk):
            message = _(
                "Only an administrator may change the %(column)s of an enterprise that other "
                "platforms serve too; leave the stored value or ask an administrator."
            )
            raise RowProblem(
                [
                    (field, message % {"column": column_label(self.sheet.by_field[field])})
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

    def warnings(self, rows):
        """A new enterprise whose name is already recorded under another credit code is most
        often a mistyped code: the user must acknowledge it before confirming. The message does
        not give the other code away."""
        new = {}
        for row_no, parsed, action in rows:
            if action == "create" and parsed.get("name"):
                new.setdefault(parsed["name"], (row_no, parsed["uscc"]))
        if not new:
            return []
        found = Enterprise.objects.filter(name__in=list(new)).values_list("name", "uscc")
        message = _(
            "An enterprise named %(name)s is already recorded under another credit code. "
            "Check the code: confirming creates a second enterprise of that name."
        )
        warned = {name for name, uscc in found if uscc != new[name][1]}
        return [(new[name][0], "name", name, message % {"name": name}) for name in sorted(warned)]

    def remember_row(self, key, parsed, instance, existing, ok):
        self.run.remember("enterprises", key[0], existing.pk if existing else None, ok=ok)
        if (
            ok
            and existing is not None
            and access.names_enterprise_exactly(existing, parsed.get("name"))
        ):
            proven_enterprises(self.run).add(key[0])


class ProjectHandler(SheetHandler):
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
        if uscc and self.run.knows("enterprises", uscc) and not may_link_enterprise(self.run, uscc):
            problems.append(("enterprise", self.run.unknown_message("enterprises", uscc)))
        return problems

    def check_scope(self, parsed, existing):
        problems = []
        if existing is not None and not may_edit_platform(self.run, existing.platform_id):
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
        if known and not may_edit_platform(self.run, self.run.pk_of("platforms", platform)):
            problems.append(("platform", self.run.unknown_message("platforms", platform)))
        return problems

    def reference_values(self, existing, parsed):
        return {"platform": existing.platform.name, "enterprise": existing.enterprise.uscc}

    def hidden_fields(self, existing):
        """A confidential project's text, for a user who may not read it (``access``)."""
        if self.run.user is None or access.may_unmask(self.run.user, existing):
            return frozenset()
        return frozenset(HIDDEN_TEXT_FIELDS)

    def remember_row(self, key, parsed, instance, existing, ok):
        if not ok:
            self.run.remember("projects", key[0], existing.pk if existing else None, ok=False)
            return
        platform = parsed.get("platform") or (existing.platform.name if existing else None)
        editable = ok and platform is not None and self.run.knows("platforms", platform)
        editable = editable and may_edit_platform(self.run, self.run.pk_of("platforms", platform))
        self.run.remember(
            "projects",
            key[0],
            existing.pk if existing else None,
            ok=ok,
            info=(instance.track, instance.start_on, editable),
        )

    def stamp_update(self, obj):
        """Someone editing this project in a form must notice that the import changed it."""
        obj.version += 1
        obj.updated_at = timezone.now()
        return {"version", "updated_at"}


class ProjectChildHandler(SheetHandler):
    """Yield runs and financing: rows of a project, identified by its code plus their own key."""

    def __init__(self, run, sheet, columns):
        super().__init__(run, sheet, columns)
        # A key column left out or blank means the model default (financing: equity, no name).
        self.key_defaults = {
            field: self.model._meta.get_field(field).get_default()
            for field in self.sheet.key_fields
            if field != "project"
        }

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

    def key_of(self, parsed):
        return tuple(
            parsed[field] if parsed.get(field) is not None else self.key_defaults.get(field)
            for field in self.sheet.key_fields
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
            instance.project = project_stub(self.run, code, self.run.pk_of("projects", code), info)

    def reference_values(self, existing, parsed):
        return {"project": parsed.get("project")}


class YieldRunHandler(ProjectChildHandler):
    def existing_key(self, code, record):
        return (code, record.stage, record.sequence)

    def planned(self, parsed, action):
        if action != "unchanged":
            touched_projects(self.run).add(parsed["project"])

    def after_write(self) -> Iterator[Progress]:
        """Recompute the yield summary of every project whose runs the import created or
        changed: bulk writes send no signals."""
        codes = touched_projects(self.run)
        pks = sorted({self.run.pk_of("projects", code) for code in codes} - {None})
        for start in range(0, len(pks), BATCH_ROWS):
            Project.objects.filter(pk__in=pks[start : start + BATCH_ROWS]).refresh_yield_summary()
            yield Progress("write", "yield summary", min(start + BATCH_ROWS, len(pks)), len(pks))


class FinancingHandler(ProjectChildHandler):
    def existing_key(self, code, record):
        return (code, record.date, record.round, record.instrument, record.investor)

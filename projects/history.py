"""A project's change history, read from django-simple-history: who, when, which fields, from → to,
and why (an import, say), all in words (``tracker.history``: labels, 万元, 是/否, dates, "（空）").

The project, its yield runs and its financing rounds each have their own history table; the
page merges them. One query per table (with the user and the foreign keys joined), whatever the
number of records, and the differences are computed in Python between consecutive records of
the same object, so a field never shows a change it did not have.

A confidential project's title, product and description are hidden in its history as on its
page: a value is shown only if the reader may read the project now *and* could read it in the
version the value comes from (a project that was confidential and is public now keeps its old
words hidden from readers who were not allowed them then).
"""

from contextlib import suppress
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from platforms import access
from tracker.history import reason_in_words, value_in_words

from .confidential import HIDDEN_TEXT_FIELDS
from .models import Enterprise, Financing, Project, YieldRun

# The most recent records read per table: enough for a page, bounded for a busy project.
RECORDS_PER_TABLE = 200
# Bookkeeping columns that change on their own; showing them would only add noise.
HIDDEN_FIELDS = {
    "id",
    "version",
    "created_at",
    "updated_at",
    "yield_run_count",
    "yield_first_pct",
    "yield_latest_pct",
    "yield_gain_pp",
    "project",
}
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    who: object
    subject: str
    action: str
    changes: list[Change] = field(default_factory=list)
    # Why the record changed, in words ("导入 #12：file.xlsx"); "" for a change on a page.
    reason: str = ""


def _stored(record, model_field):
    """What a version stored in a field: compared between versions, never shown as such."""
    return getattr(record, model_field.attname)


def _display(record, model_field):
    """A field's value as a person reads it (``tracker.history.value_in_words``)."""
    value = _stored(record, model_field)
    if model_field.is_relation and value is not None:
        # The related record itself, for its name; its id if it was deleted since.
        with suppress(ObjectDoesNotExist):
            value = getattr(record, model_field.name)
    return value_in_words(model_field, value)


def _tracked_fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS and f.editable]


class _TextMask:
    """Whether a version of the project hides its text from the reader.

    Now: the project's own ``hides_text`` (annotated by the page's ``with_masking``; failing
    safe without it). Then: ``access.may_unmask`` about each version (its confidentiality and
    platform then), remembered per (confidentiality, platform) and seeded with the project's
    own answer, so a project that never moved costs no query, and any other at most one per
    (confidentiality, platform) it had, not one per version.
    """

    def __init__(self, user, project):
        self.user = user
        self.masked_now = project.hides_text
        self.answers = {(project.confidentiality, project.platform_id): project.hides_text}

    def hides(self, record) -> bool:
        if self.masked_now:
            return True
        key = (record.confidentiality, record.platform_id)
        if key not in self.answers:
            self.answers[key] = not access.may_unmask(self.user, record)
        return self.answers[key]


def _shown_display(record, model_field, mask):
    if mask is not None and model_field.name in HIDDEN_TEXT_FIELDS and mask.hides(record):
        return gettext("Confidential project")
    return _display(record, model_field)


def _entries_for(records, model, subject, mask=None):
    """Entries for one table's records (oldest first), each diffed against its predecessor.

    Differences are found on the stored values, so that a change stays listed (as
    "Confidential project" → "Confidential project") even where its words are hidden.
    """
    fields = _tracked_fields(model)
    previous = {}
    entries = []
    for record in records:
        before = previous.get(record.id)
        changes = []
        if before is not None and record.history_type == "~":
            for model_field in fields:
                if _stored(before, model_field) == _stored(record, model_field):
                    continue
                old = _shown_display(before, model_field, mask)
                new = _shown_display(record, model_field, mask)
                changes.append(Change(str(capfirst(model_field.verbose_name)), old, new))
        previous[record.id] = record
        if record.history_type == "~" and not changes and before is not None:
            continue  # a save that changed nothing a person would see
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                subject=subject(record),
                action=ACTIONS.get(record.history_type, record.history_type),
                changes=changes,
                reason=reason_in_words(record.history_change_reason),
            )
        )
    return entries


def _recent(queryset):
    """The latest records of a table, returned oldest first for diffing."""
    return reversed(list(queryset.order_by("-history_date", "-history_id")[:RECORDS_PER_TABLE]))


def project_history(project, user) -> list[HistoryEntry]:
    """Every recorded change of the project, its runs and its financing, newest first, with
    the project's hidden text masked for ``user`` (see the module docstring)."""
    entries = _entries_for(
        _recent(
            Project.history.filter(id=project.pk).select_related(
                "history_user", "platform", "enterprise"
            )
        ),
        Project,
        lambda record: str(_("Project")),
        mask=_TextMask(user, project),
    )
    entries += _entries_for(
        _recent(YieldRun.history.filter(project_id=project.pk).select_related("history_user")),
        YieldRun,
        lambda record: str(
            _("Yield run %(label)s") % {"label": f"{record.stage}#{record.sequence}"}
        ),
    )
    entries += _entries_for(
        _recent(Financing.history.filter(project_id=project.pk).select_related("history_user")),
        Financing,
        lambda record: str(
            _("Financing %(round)s of %(date)s")
            % {"round": record.get_round_display(), "date": date_format(record.date)}
        ),
    )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def enterprise_history(enterprise) -> list[HistoryEntry]:
    """Every recorded change of a client enterprise, newest first, in one query (an enterprise
    has no confidential text)."""
    records = Enterprise.history.filter(id=enterprise.pk).select_related("history_user")
    entries = _entries_for(_recent(records), Enterprise, lambda record: str(_("Enterprise")))
    entries.reverse()
    return entries


def last_change(project):
    """(who, when) of the project's latest recorded save: the answer to "who changed it?"."""
    record = (
        Project.history.filter(id=project.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )
    if record is None:
        return None, None
    return record.history_user, record.history_date

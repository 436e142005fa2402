"""Write a checked import in one transaction, in batches, with a history entry per record.

Only called when the check found no error. New rows go in with ``bulk_create`` and changed
rows with ``bulk_update``, each batch followed by one INSERT of its history rows (what
simple_history's ``bulk_create_with_history`` / ``bulk_update_with_history`` write, built more
cheaply: see ``instances``), stamped with the importing user and the import as change reason,
so a project's history says "import #12 (projects-2024.xlsx)". Yield summaries of the projects whose
runs changed are recomputed at the end in SQL (bulk writes send no signals).
"""

from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone

from platforms.models import Recognition
from projects.models import Project

from .columns import REF, REFS, SHEETS
from .engine import ImportRun, Progress, ordered_kinds
from .handlers import HANDLERS
from .instances import bulk_history, defaults_of, fast_instance

BATCH_ROWS = 2000
# Foreign key field → the kind whose natural key the row holds for it.
REFERENCE_TARGET = {
    "zone": "zones",
    "platform": "platforms",
    "enterprise": "enterprises",
    "project": "projects",
}
# Kinds other sheets refer to: after creating them, their new primary keys are remembered.
KEY_FIELD = {"platforms": "name", "enterprises": "uscc", "projects": "code"}


def write(run: ImportRun) -> Iterator[Progress]:
    """Create and update everything the check planned; all or nothing."""
    with transaction.atomic():
        for kind in ordered_kinds(run):
            yield from _write_kind(run, kind)
        yield from _refresh_yields(run)


def _write_kind(run: ImportRun, kind: str) -> Iterator[Progress]:
    plan = run.plans[kind]
    model = HANDLERS[kind].model
    total = len(plan.creates) + len(plan.updates)
    done = 0
    recognitions = []
    defaults = defaults_of(model)
    for start in range(0, len(plan.creates), BATCH_ROWS):
        rows = plan.creates[start : start + BATCH_ROWS]
        objects = [_build(run, model, plan.fields, row, defaults) for row in rows]
        created = model.objects.bulk_create(objects, batch_size=BATCH_ROWS)
        bulk_history(
            model,
            created,
            history_type="+",
            user=run.user,
            reason=run.change_reason,
            batch_size=BATCH_ROWS,
        )
        if kind in KEY_FIELD:
            for obj in created:
                run.remember(kind, getattr(obj, KEY_FIELD[kind]), obj.pk)
        if "recognition_lists" in plan.fields:
            index = plan.fields.index("recognition_lists")
            for obj, row in zip(created, rows, strict=True):
                recognitions += [(obj.pk, name) for name in row[index] or []]
        done += len(rows)
        yield Progress("write", plan.sheet, done, total)
    for start in range(0, len(plan.updates), BATCH_ROWS):
        batch = plan.updates[start : start + BATCH_ROWS]
        recognitions += _update_batch(run, model, kind, batch)
        done += len(batch)
        yield Progress("write", plan.sheet, done, total)
    if recognitions:
        _add_recognitions(run, recognitions)
    plan.creates, plan.updates = [], []


def _build(run: ImportRun, model, fields, row, defaults):
    values = {}
    spec = SHEETS[HANDLERS_KIND[model]]
    for name, value in zip(fields, row, strict=True):
        column = spec.by_field[name]
        if column.value_type == REFS:
            continue
        if column.value_type == REF:
            values[f"{name}_id"] = run.pk_of(REFERENCE_TARGET[name], value)
        else:
            values[name] = value
    return fast_instance(model, defaults, values)


def _update_batch(run: ImportRun, model, kind, batch) -> list:
    """Apply the changed fields of one batch of existing rows; returns recognitions to add."""
    objects = model.objects.in_bulk([pk for pk, _changes in batch])
    fields, changed, recognitions = set(), [], []
    for pk, changes in batch:
        obj = objects[pk]
        for name, value in changes.items():
            if name == "recognition_lists":
                recognitions += [(pk, list_name) for list_name in value]
                continue
            if name in REFERENCE_TARGET:
                setattr(obj, f"{name}_id", run.pk_of(REFERENCE_TARGET[name], value))
            else:
                setattr(obj, name, value)
            fields.add(name)
        if set(changes) == {"recognition_lists"}:
            continue  # only recognitions added: they get their own rows and history
        if isinstance(obj, Project):
            # Someone editing this project in a form must notice that the import changed it.
            obj.version += 1
            obj.updated_at = timezone.now()
            fields.update({"version", "updated_at"})
        changed.append(obj)
    if changed:
        model.objects.bulk_update(changed, sorted(fields), batch_size=BATCH_ROWS)
        bulk_history(
            model,
            changed,
            history_type="~",
            user=run.user,
            reason=run.change_reason,
            batch_size=BATCH_ROWS,
        )
    return recognitions


def _add_recognitions(run: ImportRun, pairs) -> None:
    objects = [
        Recognition(platform_id=platform_id, recognition_list_id=run.pk_of("recognition_lists", n))
        for platform_id, n in dict.fromkeys(pairs)
    ]
    Recognition.objects.bulk_create(objects)
    bulk_history(
        Recognition,
        objects,
        history_type="+",
        user=run.user,
        reason=run.change_reason,
        batch_size=BATCH_ROWS,
    )


def _refresh_yields(run: ImportRun) -> Iterator[Progress]:
    """Recompute the yield summary of every project whose runs the import created or changed."""
    pks = sorted({run.pk_of("projects", code) for code in run.touched_projects} - {None})
    for start in range(0, len(pks), BATCH_ROWS):
        Project.objects.filter(pk__in=pks[start : start + BATCH_ROWS]).refresh_yield_summary()
        yield Progress("write", "yield summary", min(start + BATCH_ROWS, len(pks)), len(pks))


HANDLERS_KIND = {handler.model: kind for kind, handler in HANDLERS.items()}

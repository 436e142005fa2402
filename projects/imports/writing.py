"""Write a checked import in one transaction, in batches, with a history entry per record.

Only called when the check found no error. New rows go in with ``bulk_create`` and changed
rows with ``bulk_update``, each batch followed by one INSERT of its history rows (what
simple_history's ``bulk_create_with_history`` / ``bulk_update_with_history`` write, built more
cheaply: see ``instances``), stamped with the importing user and the import as change reason,
so a project's history says "import #12 (projects-2024.xlsx)". What a sheet adds beyond its
rows (a platform's recognitions) and recomputes afterwards (the yield summaries of projects
whose runs changed: bulk writes send no signals) is its handler's part: ``write_links`` and
``after_write``.

All of it is one transaction: if anything fails half-way (a record saved meanwhile by someone
else, a full disk), nothing of the file is written and the batch says so (``service``).
"""

from collections.abc import Iterator

from django.db import transaction

from .columns import REF, REFS
from .engine import ImportRun, Plan, Progress, ordered_plans
from .instances import bulk_history, defaults_of, fast_instance
from .registry import registry

BATCH_ROWS = 2000


def write(run: ImportRun) -> Iterator[Progress]:
    """Create and update everything the check planned; all or nothing."""
    with transaction.atomic():
        plans = ordered_plans(run)
        for plan in plans:
            yield from _write_plan(run, plan)
        for plan in plans:
            yield from plan.handler.after_write()


def create_with_history(run: ImportRun, model, objects: list) -> list:
    """``bulk_create`` and one history row per record, stamped with the import."""
    created = model.objects.bulk_create(objects, batch_size=BATCH_ROWS)
    bulk_history(
        model,
        created,
        history_type="+",
        user=run.user,
        reason=run.change_reason,
        batch_size=BATCH_ROWS,
    )
    return created


def _write_plan(run: ImportRun, plan: Plan) -> Iterator[Progress]:
    handler = plan.handler
    sheet = handler.sheet
    # A sheet that is also a lookup creates records later sheets name: remember their keys.
    lookup = registry.lookups.get(plan.kind)
    total = len(plan.creates) + len(plan.updates)
    done = 0
    links: dict[str, list] = {}
    defaults = defaults_of(handler.model)
    for start in range(0, len(plan.creates), BATCH_ROWS):
        rows = plan.creates[start : start + BATCH_ROWS]
        objects = [_build(run, sheet, plan.fields, row, defaults) for row in rows]
        created = create_with_history(run, handler.model, objects)
        if lookup is not None:
            for obj in created:
                run.remember(plan.kind, getattr(obj, lookup.key_field), obj.pk)
        for name in sheet.reference_lists:
            if name in plan.fields:
                index = plan.fields.index(name)
                pairs = links.setdefault(name, [])
                for obj, row in zip(created, rows, strict=True):
                    pairs += [(obj.pk, key) for key in row[index] or []]
        done += len(rows)
        yield Progress("write", plan.sheet, done, total)
    for start in range(0, len(plan.updates), BATCH_ROWS):
        batch = plan.updates[start : start + BATCH_ROWS]
        for name, pairs in _update_batch(run, handler, batch).items():
            links.setdefault(name, []).extend(pairs)
        done += len(batch)
        yield Progress("write", plan.sheet, done, total)
    for name, pairs in links.items():
        if pairs:
            handler.write_links(name, pairs)
    plan.creates, plan.updates = [], []


def _build(run: ImportRun, sheet, fields, row, defaults):
    values = {}
    for name, value in zip(fields, row, strict=True):
        column = sheet.by_field[name]
        if column.value_type == REFS:
            continue
        if column.value_type == REF:
            values[f"{name}_id"] = run.pk_of(column.target, value)
        else:
            values[name] = value
    return fast_instance(sheet.model, defaults, values)


def _update_batch(run: ImportRun, handler, batch) -> dict[str, list]:
    """Apply the changed fields of one batch of existing rows; returns the links to add."""
    sheet = handler.sheet
    objects = handler.model.objects.in_bulk([pk for pk, _changes in batch])
    fields, changed, links = set(), [], {}
    for pk, changes in batch:
        obj = objects[pk]
        own_fields = False
        for name, value in changes.items():
            column = sheet.by_field[name]
            if column.value_type == REFS:
                links.setdefault(name, []).extend((pk, key) for key in value)
                continue
            if column.value_type == REF:
                setattr(obj, f"{name}_id", run.pk_of(column.target, value))
            else:
                setattr(obj, name, value)
            fields.add(name)
            own_fields = True
        if not own_fields:
            continue  # only links added: they get their own rows and history
        fields |= handler.stamp_update(obj)
        changed.append(obj)
    if changed:
        handler.model.objects.bulk_update(changed, sorted(fields), batch_size=BATCH_ROWS)
        bulk_history(
            handler.model,
            changed,
            history_type="~",
            user=run.user,
            reason=run.change_reason,
            batch_size=BATCH_ROWS,
        )
    return links

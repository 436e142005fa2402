"""Cheap model instances and history rows for bulk work.

``Model.__init__`` walks every field and its descriptors; for 400,000 rows (and as many
history rows) that is a large share of an import's time. The rows built here are what
``__init__`` would build for plain values: every concrete field's attribute set (defaults
first), a fresh ``ModelState``. They are only used for validation and ``bulk_create``, never
for related-object access through unsaved foreign keys.
"""

from django.db.models.base import ModelState
from django.utils import timezone


def defaults_of(model) -> dict:
    """{attname: default} of every concrete field (models here have no mutable defaults)."""
    return {field.attname: field.get_default() for field in model._meta.concrete_fields}


def fast_instance(model, defaults: dict, values: dict | None = None):
    obj = model.__new__(model)
    state = obj.__dict__
    state.update(defaults)
    if values:
        state.update(values)
    state["_state"] = ModelState()
    return obj


def bulk_history(model, objs, *, history_type: str, user, reason: str, batch_size: int):
    """What ``simple_history``'s ``bulk_history_create`` writes, without ``__init__`` per row.

    One history row per object with its tracked fields, ``+`` for created and ``~`` for
    changed, the importing user and the import as change reason, all stamped with the same
    moment (the import's).
    """
    history_model = model.history.model
    tracked = [field.attname for field in history_model.tracked_fields]
    common = {
        "history_id": None,
        "history_date": timezone.now(),
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user_id": user.pk if user is not None else None,
    }
    rows = []
    for obj in objs:
        source = obj.__dict__
        rows.append(fast_instance(history_model, common, {name: source[name] for name in tracked}))
    history_model.objects.bulk_create(rows, batch_size=batch_size)

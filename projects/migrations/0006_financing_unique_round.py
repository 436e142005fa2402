"""One financing row per project, date, round, instrument and investor.

Concurrent confirms of one import used to write its rows two to four times. Before the database
refuses such copies, the copies already stored are removed: rows identical in every field to an
older row of the same key (amount and investor type too), keeping the oldest, each removal
recorded in the row's history. Rows that share a key but differ otherwise are not guessed at:
the migration stops and lists them, for an administrator to decide.
"""

from django.db import migrations, models

from tracker.migration_steps import restore_data_version_triggers
from django.utils import timezone

KEY = ("project_id", "date", "round", "instrument", "investor")
REASON = "duplicate of financing #%d removed by migration 0005"


def remove_copies(apps, schema_editor):
    Financing = apps.get_model("projects", "Financing")
    HistoricalFinancing = apps.get_model("projects", "HistoricalFinancing")
    kept, copies, conflicts = {}, [], []
    for row in Financing.objects.order_by("pk"):
        key = tuple(getattr(row, name) for name in KEY)
        first = kept.setdefault(key, row)
        if first is row:
            continue
        if (row.amount, row.investor_type) == (first.amount, first.investor_type):
            copies.append((row, first))
        else:
            conflicts.append((first, row))
    if conflicts:
        listed = "; ".join(f"#{a.pk} and #{b.pk}" for a, b in conflicts[:20])
        raise RuntimeError(
            f"{len(conflicts)} financing rows share project, date, round, instrument and "
            f"investor with another row but differ in amount or investor type ({listed}). "
            "Correct or delete one of each pair in the admin, then migrate again."
        )
    now = timezone.now()
    HistoricalFinancing.objects.bulk_create(
        HistoricalFinancing(
            id=row.pk,
            project_id=row.project_id,
            date=row.date,
            round=row.round,
            instrument=row.instrument,
            investor=row.investor,
            investor_type=row.investor_type,
            amount=row.amount,
            history_date=now,
            history_type="-",
            history_change_reason=REASON % first.pk,
        )
        for row, first in copies
    )
    Financing.objects.filter(pk__in=[row.pk for row, _first in copies]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0005_import_batch_claims"),
    ]

    operations = [
        migrations.RunPython(remove_copies, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="financing",
            constraint=models.UniqueConstraint(
                fields=("project", "date", "round", "instrument", "investor"),
                name="projects_financing_unique_round",
                violation_error_message=(
                    "This project already has a financing round on that date with the same "
                    "round, instrument and investor."
                ),
            ),
        ),
        # SQLite rebuilds the table to add the constraint, dropping the report-cache triggers.
        restore_data_version_triggers(["projects_financing"]),
    ]

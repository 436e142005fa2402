"""Import batches moved from the projects app to the imports app without losing a row.

From the last state in which the projects app owned them (``projects.0006``, the imports app
not yet migrated), batches are stored in ``projects_importbatch``; migrating forward keeps
every one of them, in ``imports_importbatch``, under the constraint renamed after the new app,
and the table goes on numbering new batches after the old ones.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from projects.imports.choices import ImportOutcome
from projects.imports.models import ImportBatch
from tests import factories

BEFORE = [("projects", "0006_financing_unique_round"), ("imports", None)]


def tables() -> set[str]:
    return set(connection.introspection.table_names())


def constraints(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_every_batch_and_its_constraint():
    content_type = ContentType.objects.get_for_model(ImportBatch).pk
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        assert "projects_importbatch" in tables() and "imports_importbatch" not in tables()
        # As in a database that never had the imports app: the model's content type is the
        # projects app's (the way back already moved it there; this makes sure of it).
        ContentType.objects.filter(pk=content_type).update(app_label="projects")
        old_state = executor.loader.project_state(BEFORE[:1]).apps
        OldBatch = old_state.get_model("projects", "ImportBatch")
        user = factories.UserFactory()
        stored = [
            OldBatch.objects.create(
                user_id=user.pk,
                file_name=f"history-{n}.xlsx",
                kind="workbook",
                outcome="imported",
                counts={"projects": {"created": n, "updated": 0, "unchanged": 0}},
                error_count=0,
            ).pk
            for n in range(3)
        ]
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

        assert "imports_importbatch" in tables() and "projects_importbatch" not in tables()
        batches = ImportBatch.objects.order_by("pk")
        assert [batch.pk for batch in batches] == stored
        assert [batch.counts["projects"]["created"] for batch in batches] == [0, 1, 2]
        assert {batch.user_id for batch in batches} == {user.pk}
        assert {batch.outcome for batch in batches} == {ImportOutcome.IMPORTED}
        names = constraints("imports_importbatch")
        assert "imports_importbatch_outcome_valid" in names
        assert "projects_importbatch_outcome_valid" not in names
        with pytest.raises(IntegrityError), transaction.atomic():
            ImportBatch.objects.filter(pk=stored[0]).update(outcome="lost")
        assert ImportBatch.objects.create(file_name="next.xlsx", kind="csv").pk > max(stored)
        # The content type moved with the model (its permissions and admin log entries too).
        ContentType.objects.clear_cache()
        assert ContentType.objects.get_for_model(ImportBatch).pk == content_type
        assert not ContentType.objects.filter(app_label="projects", model="importbatch").exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

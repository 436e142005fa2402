"""``DataVersion`` moved from ``tracker`` to ``reports`` keeps its table, row and triggers.

The move is state only (``reports.0001_initial``, ``tracker.0002``): the test goes back to the
state before it, gives the counter a value, comes forward again and checks that the same row is
read through the moved model, that writes to report data still move it, and that the model's
content type (and so any permission on it) followed.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from projects.reports.models import DataVersion, PlatformVersion
from tests import factories

BEFORE_THE_MOVE = [("tracker", "0001_initial"), ("reports", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_the_data_version_keeps_its_table_row_triggers_and_content_type_through_the_move():
    content_type = ContentType.objects.get_for_model(DataVersion)
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        executor = migrate(BEFORE_THE_MOVE)
        old_apps = executor.loader.project_state(("tracker", "0001_initial")).apps
        old_model = old_apps.get_model("tracker", "DataVersion")
        # (A transactional test before this one may have flushed the row: put it back.)
        old_model.objects.update_or_create(pk=1, defaults={"value": 41})
        assert ContentType.objects.filter(app_label="tracker", model="dataversion").exists()
    finally:
        migrate(leaves)
    ContentType.objects.clear_cache()

    assert DataVersion._meta.db_table == "tracker_dataversion"
    assert list(DataVersion.objects.values_list("pk", "value")) == [(1, 41)]
    factories.ZoneFactory()  # a write to reference data: the trigger still bumps the same row
    assert DataVersion.objects.get(pk=1).value == 42
    moved = ContentType.objects.get(app_label="reports", model="dataversion")
    assert moved.pk == content_type.pk
    assert not ContentType.objects.filter(app_label="tracker", model="dataversion").exists()


@pytest.mark.django_db(transaction=True)
def test_per_platform_versions_come_and_go_with_their_migration():
    """``reports.0003``: back, a project write bumps the global row again; forward, every
    existing platform gets a version row, which the next write to it moves."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    platform = factories.PlatformFactory()
    try:
        migrate([("reports", "0002_target")])
        DataVersion.objects.update_or_create(pk=1, defaults={"value": 7})
        factories.ProjectFactory(platform=platform)
        assert DataVersion.objects.get(pk=1).value == 8
    finally:
        migrate(leaves)

    version = PlatformVersion.objects.get(platform=platform).value
    factories.ProjectFactory(platform=platform)  # committed at once (autocommit)
    assert PlatformVersion.objects.get(platform=platform).value == version + 1

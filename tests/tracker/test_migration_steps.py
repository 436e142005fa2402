"""Migrations that add constraints keep the report data version's triggers (SQLite).

SQLite adds a constraint by copying the table and dropping the old one, and its triggers go
with it: the report cache would silently stop following writes to projects, financing and
platforms. The constraint migrations end with ``restore_data_version_triggers``.
"""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The tables whose triggers keep the report data version (``tracker.0001_initial``).
WATCHED_TABLES = importlib.import_module("tracker.migrations.0001_initial").WATCHED_TABLES

# The migrations before the ones that add the value constraints (issue 8, items 9-11).
BEFORE_CONSTRAINTS = [("projects", "0003_importbatch"), ("platforms", "0002_platform_contact")]


def data_version_triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%data_version%'"
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_the_constraint_migrations_keep_the_data_version_triggers_both_ways():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL adds constraints in place; its triggers are never dropped")
    triggers = data_version_triggers()
    # Every watched table keeps its three triggers after the whole migration history.
    assert triggers == {
        f"{table}_data_version_{event}"
        for table in WATCHED_TABLES
        for event in ("insert", "update", "delete")
    }
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE_CONSTRAINTS)
        assert data_version_triggers() == triggers
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
    assert data_version_triggers() == triggers

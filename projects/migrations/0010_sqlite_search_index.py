"""The search index on SQLite: FTS5 tables with the ``trigram`` tokenizer, kept by triggers.

``projects_project_search`` indexes each project's code, title and product (separate columns,
so that a code match and a title or product match can be told apart: the latter counts only
where the reader may read them), ``projects_enterprise_search`` each client's name. Both are
external-content tables (they store no copy of the text, only the index) whose rowid is the
row's id; AFTER INSERT/UPDATE/DELETE triggers keep them in step, and the migrations that remake
these tables re-create the triggers (``tracker.migration_steps``). The index is filled here
from the rows already there. PostgreSQL has its trigram and bigram indexes (0008, 0009): the
step does nothing there.
"""

from django.db import migrations

from tracker.migration_steps import (
    SEARCH_INDEXES,
    create_search_triggers,
    sqlite_search_index_sql,
)


def create_search_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    for table, (index, _) in SEARCH_INDEXES.items():
        schema_editor.execute(sqlite_search_index_sql(table))
        # Index the rows already there (FTS5 reads them from the content table).
        schema_editor.execute(f"INSERT INTO {index} ({index}) VALUES ('rebuild')")
    create_search_triggers(connection, list(SEARCH_INDEXES))


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table, (index, _) in SEARCH_INDEXES.items():
        for event in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_search_{event}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [("projects", "0009_bigram_search_indexes")]

    operations = [migrations.RunPython(create_search_indexes, drop_search_indexes)]

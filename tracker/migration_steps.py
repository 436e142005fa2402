"""Steps for migrations that add constraints to tables which already hold data.

``refuse_rows_breaking``: adding a constraint to a table that already holds a row breaking it
fails inside the database with a bare "check constraint violated" (PostgreSQL) or "CHECK
constraint failed" while SQLite copies the table. This step runs first and, if any row would
break a rule, stops the migration naming the table, the rule and the first ids, and changes
nothing: official figures are never "corrected" by a migration behind their owners' backs.
Whoever runs ``migrate`` corrects those records (the admin site loads them: see
``tracker.fields``) and runs it again.

``restore_data_version_triggers``: SQLite cannot add a constraint to a table; Django copies the
table into a new one and drops the old, and the old table's triggers go with it. Those include
the triggers that bump the report data version (``tracker.0001_initial``): without them, cached
report figures would silently stop following writes. Every migration that remakes one of the
watched tables on SQLite ends with this step. Since ``reports.0003`` the triggers of platforms,
projects and financing bump the version of the platform written (``reports_platformversion``)
rather than the one global row; the step re-creates whichever design the database has.

``restore_search_index_triggers``: the same for the triggers that keep the SQLite search index
(FTS5, ``projects.0010``) in step with projects and enterprises; ``restore_data_version_triggers``
re-creates them as well for the tables it is given.

Why this module lives in ``tracker`` and imports nothing from the apps: the migrations of
``platforms`` and ``projects`` use it, and applied migrations must keep importing the same code
whatever the apps become. The data version's model now belongs to the reports app
(``projects.reports.models.DataVersion``), but its table keeps the name ``tracker_dataversion``,
which is all these steps know of it.
"""

from django.db import migrations
from django.db.models import Q

SHOWN_IDS = 10
# The report data version's triggers (``tracker.0001_initial``), as SQLite row triggers. Every
# SQL text below is built from these constants only (no input): S608 does not apply.
SQLITE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS {table}_data_version_{event_lower} AFTER {event} ON {table} "
    "BEGIN {body} END"
)
GLOBAL_BUMP = "UPDATE tracker_dataversion SET value = value + 1 WHERE id = 1;"
PLATFORM_VERSIONS = "reports_platformversion"
_BUMP_PLATFORMS = (
    f"UPDATE {PLATFORM_VERSIONS} SET value = value + 1 WHERE platform_id IN ({{ids}});"  # noqa: S608
)
_PLATFORM_OF = "(SELECT platform_id FROM projects_project WHERE id = {row}.project_id)"
# Since ``reports.0003``: writes to a platform's own data bump that platform's version only
# (SQLite has one writer at a time, so nothing is gained by deferring the bump to the commit).
SQLITE_PLATFORM_BODIES = {
    "projects_project": {
        "INSERT": _BUMP_PLATFORMS.format(ids="NEW.platform_id"),
        "UPDATE": _BUMP_PLATFORMS.format(ids="OLD.platform_id, NEW.platform_id"),
        "DELETE": _BUMP_PLATFORMS.format(ids="OLD.platform_id"),
    },
    "projects_financing": {
        "INSERT": _BUMP_PLATFORMS.format(ids=_PLATFORM_OF.format(row="NEW")),
        "UPDATE": _BUMP_PLATFORMS.format(
            ids=f"{_PLATFORM_OF.format(row='OLD')}, {_PLATFORM_OF.format(row='NEW')}"
        ),
        "DELETE": _BUMP_PLATFORMS.format(ids=_PLATFORM_OF.format(row="OLD")),
    },
    "platforms_platform": {
        "INSERT": f"INSERT OR IGNORE INTO {PLATFORM_VERSIONS} (platform_id, value) "  # noqa: S608
        "VALUES (NEW.id, 1);",
        "UPDATE": _BUMP_PLATFORMS.format(ids="OLD.id, NEW.id"),
        "DELETE": f"DELETE FROM {PLATFORM_VERSIONS} WHERE platform_id = OLD.id;",  # noqa: S608
    },
}


def sqlite_trigger_sql(table: str, event: str, per_platform: bool) -> str:
    """The SQLite data version trigger of ``table`` for ``event`` (INSERT, UPDATE, DELETE)."""
    body = GLOBAL_BUMP
    if per_platform and table in SQLITE_PLATFORM_BODIES:
        body = SQLITE_PLATFORM_BODIES[table][event]
    return SQLITE_TRIGGER.format(table=table, event=event, event_lower=event.lower(), body=body)


class RowsBreakNewRule(RuntimeError):
    """Existing rows break a constraint the migration is about to add."""


def refuse_rows_breaking(app_label: str, rules: list[tuple[str, Q, str]]) -> migrations.RunPython:
    """A RunPython operation: each (model name, condition, rule in words) must hold for all rows."""

    def check(apps, schema_editor):
        problems = []
        for model_name, condition, rule in rules:
            model = apps.get_model(app_label, model_name)
            breaking = model._base_manager.using(schema_editor.connection.alias).exclude(condition)
            count = breaking.count()
            if count:
                ids = list(breaking.order_by("pk").values_list("pk", flat=True)[:SHOWN_IDS])
                more = ", ..." if count > SHOWN_IDS else ""
                problems.append(
                    f"  {app_label}.{model_name}: {count} row(s) break the rule {rule!r} "
                    f"(ids {', '.join(map(str, ids))}{more})"
                )
        if problems:
            raise RowsBreakNewRule(
                "These records break rules that this migration adds as database constraints. "
                "Nothing was changed; correct them (admin site or shell) and run migrate "
                "again:\n" + "\n".join(problems)
            )

    return migrations.RunPython(check, migrations.RunPython.noop, elidable=False)


def restore_data_version_triggers(tables: list[str]) -> migrations.RunPython:
    """A RunPython operation re-creating, on SQLite, the data version triggers of ``tables``
    and their search index triggers (``SEARCH_INDEXES``, once that index exists).

    Nothing to do on PostgreSQL (it alters tables in place), nor before ``tracker.0001_initial``
    has run (it creates them all).
    """

    def restore(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "sqlite":
            return
        create_search_triggers(connection, tables)
        existing = connection.introspection.table_names()
        if "tracker_dataversion" not in existing:
            return
        per_platform = PLATFORM_VERSIONS in existing
        with connection.cursor() as cursor:
            for table in tables:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(sqlite_trigger_sql(table, event, per_platform))

    return migrations.RunPython(restore, restore, elidable=False)


# The search index on SQLite (``projects.0010_sqlite_search_index``): FTS5 tables with the
# ``trigram`` tokenizer over the searched columns, external content (the rows themselves), kept
# in step by these triggers. A table rebuild drops them like the data version's; the step above
# re-creates them too, once the index exists.
SEARCH_INDEXES = {
    "projects_project": ("projects_project_search", ("code", "title", "product")),
    "projects_enterprise": ("projects_enterprise_search", ("name",)),
}


def sqlite_search_index_sql(table: str) -> str:
    index, columns = SEARCH_INDEXES[table]
    return (
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {index} USING fts5({', '.join(columns)}, "
        f"content='{table}', content_rowid='id', tokenize='trigram')"
    )


def sqlite_search_trigger_sql(table: str) -> list[str]:
    """The triggers keeping ``table``'s search index in step with its rows."""
    index, columns = SEARCH_INDEXES[table]
    names = ", ".join(columns)

    def values(row):
        return ", ".join(f"{row}.{column}" for column in columns)

    # Built from the constants above only (no input): S608 does not apply.
    add = f"INSERT INTO {index} (rowid, {names}) VALUES (NEW.id, {values('NEW')});"  # noqa: S608
    remove = (
        f"INSERT INTO {index} ({index}, rowid, {names}) "  # noqa: S608
        f"VALUES ('delete', OLD.id, {values('OLD')});"
    )
    trigger = "CREATE TRIGGER IF NOT EXISTS {table}_search_{event_lower} AFTER {event} ON {table}"
    return [
        f"{trigger.format(table=table, event='INSERT', event_lower='insert')} BEGIN {add} END",
        f"{trigger.format(table=table, event='UPDATE', event_lower='update')} "
        f"BEGIN {remove} {add} END",
        f"{trigger.format(table=table, event='DELETE', event_lower='delete')} BEGIN {remove} END",
    ]


def create_search_triggers(connection, tables: list[str]) -> None:
    """Re-create the search index triggers of those of ``tables`` that have an index (SQLite)."""
    existing = connection.introspection.table_names()
    with connection.cursor() as cursor:
        for table in tables:
            if table in SEARCH_INDEXES and SEARCH_INDEXES[table][0] in existing:
                for sql in sqlite_search_trigger_sql(table):
                    cursor.execute(sql)


def restore_search_index_triggers(tables: list[str]) -> migrations.RunPython:
    """A RunPython operation re-creating, on SQLite, the search index triggers of ``tables``:
    for a migration remaking a table the data version does not watch (``projects_enterprise``);
    ``restore_data_version_triggers`` does both for the watched ones."""

    def restore(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            create_search_triggers(schema_editor.connection, tables)

    return migrations.RunPython(restore, restore, elidable=False)

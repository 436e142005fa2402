"""Per-platform data versions instead of one global row; per-platform summaries.

Until now, triggers on nine tables bumped the one row of ``tracker_dataversion`` on every
write, so on PostgreSQL every writing transaction waited for every other until its commit
(and two could deadlock). From here on:

* Writes to platforms, projects and financing note the platforms they touched; PostgreSQL bumps
  those platforms' rows of ``reports_platformversion`` at the commit (a deferred constraint
  trigger on the queue table ``reports_pendingversionbump``, whose rows live only inside their
  transaction), all of them in one statement in platform order. Locks on the version rows are
  thus held only for the instant of a commit, taken in one order: writers never wait for each
  other's open transactions and cannot deadlock over them. Each such write also increments the
  transaction-local setting ``tracker.writes``, which the report cache reads to keep a writing
  transaction's own reads apart (``projects.reports.cache``). SQLite has one writer at a time:
  its row triggers bump the platform's version at once.
* Zones, recognitions, lists, province totals and memberships keep bumping the global row (now
  the *reference* version), as do TRUNCATEs of any report table.

Data: one version row per existing platform (value 1); summaries start empty and are computed
on first use. Reversible: going back drops the new triggers and tables and restores the
global-row triggers of ``tracker.0001_initial``.
"""

from django.db import migrations, models

from tracker.migration_steps import SQLITE_TRIGGER, sqlite_trigger_sql

PLATFORM_TABLES = ["projects_project", "projects_financing", "platforms_platform"]
EVENTS = ("INSERT", "UPDATE", "DELETE")
GLOBAL_BUMP = "UPDATE tracker_dataversion SET value = value + 1 WHERE id = 1"

PG_CREATE = [
    # Rows exist only between a write and its transaction's commit (the flush deletes them).
    "CREATE TABLE reports_pendingversionbump ("
    " txid bigint NOT NULL DEFAULT txid_current(), platform_id bigint NOT NULL,"
    " PRIMARY KEY (txid, platform_id))",
    # At the commit: bump every queued platform, locking the rows in platform order.
    """
    CREATE FUNCTION reports_flush_version_bumps() RETURNS trigger AS $$
    BEGIN
      PERFORM 1 FROM reports_platformversion WHERE platform_id IN (
          SELECT platform_id FROM reports_pendingversionbump WHERE txid = txid_current())
        ORDER BY platform_id FOR NO KEY UPDATE;
      UPDATE reports_platformversion SET value = value + 1 WHERE platform_id IN (
          SELECT platform_id FROM reports_pendingversionbump WHERE txid = txid_current());
      DELETE FROM reports_pendingversionbump WHERE txid = txid_current();
      RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    "CREATE CONSTRAINT TRIGGER reports_pendingversionbump_flush AFTER INSERT"
    " ON reports_pendingversionbump DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
    " EXECUTE FUNCTION reports_flush_version_bumps()",
]


# How each table names the platforms of a set of its rows (``{rows}``: a transition table).
PLATFORMS_OF = {
    "projects_project": "SELECT platform_id FROM {rows}",
    "projects_financing": (
        "SELECT p.platform_id FROM projects_project p JOIN {rows} r ON p.id = r.project_id"
    ),
    "platforms_platform": "SELECT id FROM {rows}",
}
COUNT_WRITE = (
    "PERFORM set_config('tracker.writes', (COALESCE(NULLIF(current_setting('tracker.writes', "
    "true), ''), '0')::bigint + 1)::text, true);"
)
QUEUE = "INSERT INTO reports_pendingversionbump (platform_id) {platforms} ON CONFLICT DO NOTHING;"


def _pg_function(table: str) -> str:
    """The statement trigger function of ``table``: count the write, queue its platforms.

    Transition tables: ``old_rows`` (UPDATE, DELETE) and ``new_rows`` (INSERT, UPDATE). A new
    platform gets its version row at once (nobody else can be writing it); a deleted one loses
    it.
    """
    of = PLATFORMS_OF[table]
    inserted = QUEUE.format(platforms=of.format(rows="new_rows"))
    deleted = QUEUE.format(platforms=of.format(rows="old_rows"))
    if table == "platforms_platform":
        inserted = (
            "INSERT INTO reports_platformversion (platform_id, value) "
            "SELECT id, 1 FROM new_rows ON CONFLICT DO NOTHING;"
        )
        deleted = (
            "DELETE FROM reports_platformversion WHERE platform_id IN (SELECT id FROM old_rows);"
        )
    updated = QUEUE.format(
        platforms=f"{of.format(rows='old_rows')} UNION {of.format(rows='new_rows')}"
    )
    return (
        f"CREATE FUNCTION {table}_note_write() RETURNS trigger AS $$ BEGIN {COUNT_WRITE} "
        f"IF TG_OP = 'INSERT' THEN {inserted} ELSIF TG_OP = 'DELETE' THEN {deleted} "
        f"ELSE {updated} END IF; RETURN NULL; END $$ LANGUAGE plpgsql"
    )


def _pg_triggers(table: str) -> list[str]:
    """Three statement triggers (transition tables allow one event per trigger) + TRUNCATE."""
    tables = {
        "INSERT": "NEW TABLE AS new_rows",
        "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "DELETE": "OLD TABLE AS old_rows",
    }
    return [
        _pg_function(table),
        *(
            f"CREATE TRIGGER {table}_platform_version_{event.lower()} AFTER {event} ON {table} "
            f"REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION {table}_note_write()"
            for event, transition in tables.items()
        ),
        f"CREATE TRIGGER {table}_data_version_truncate AFTER TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION tracker_bump_data_version()",
    ]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO reports_platformversion (platform_id, value) "
            "SELECT id, 1 FROM platforms_platform"
        )
        if connection.vendor == "postgresql":
            for table in PLATFORM_TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_data_version ON {table}")
            for statement in PG_CREATE:
                cursor.execute(statement)
            for table in PLATFORM_TABLES:
                for statement in _pg_triggers(table):
                    cursor.execute(statement)
        elif connection.vendor == "sqlite":
            for table in PLATFORM_TABLES:
                for event in EVENTS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_data_version_{event.lower()}")
                    cursor.execute(sqlite_trigger_sql(table, event, per_platform=True))


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in PLATFORM_TABLES:
                for event in (*EVENTS, "TRUNCATE"):
                    kind = "data" if event == "TRUNCATE" else "platform"
                    cursor.execute(
                        f"DROP TRIGGER IF EXISTS {table}_{kind}_version_{event.lower()} ON {table}"
                    )
                cursor.execute(
                    f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE "
                    f"OR TRUNCATE ON {table} FOR EACH STATEMENT "
                    "EXECUTE FUNCTION tracker_bump_data_version()"
                )
            cursor.execute("DROP TABLE IF EXISTS reports_pendingversionbump")
            cursor.execute("DROP FUNCTION IF EXISTS reports_flush_version_bumps()")
            for table in PLATFORM_TABLES:
                cursor.execute(f"DROP FUNCTION IF EXISTS {table}_note_write()")
        elif connection.vendor == "sqlite":
            for table in PLATFORM_TABLES:
                for event in EVENTS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_data_version_{event.lower()}")
                    cursor.execute(
                        SQLITE_TRIGGER.format(
                            table=table,
                            event=event,
                            event_lower=event.lower(),
                            body=f"{GLOBAL_BUMP};",
                        )
                    )
        cursor.execute("UPDATE tracker_dataversion SET value = value + 1 WHERE id = 1")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_target"),
        ("tracker", "0002_move_data_version_to_reports"),
        ("platforms", "0003_record_dates_in_range_and_clean_operator_uscc"),
        ("projects", "0007_importbatch_moved_to_the_imports_app"),
    ]

    operations = [
        migrations.CreateModel(
            name="PlatformVersion",
            fields=[
                (
                    "platform",
                    models.OneToOneField(
                        on_delete=models.deletion.CASCADE,
                        primary_key=True,
                        related_name="data_version",
                        serialize=False,
                        to="platforms.platform",
                        verbose_name="platform",
                    ),
                ),
                ("value", models.BigIntegerField(default=0, verbose_name="value")),
            ],
            options={
                "verbose_name": "platform data version",
                "verbose_name_plural": "platform data versions",
            },
        ),
        migrations.CreateModel(
            name="PlatformSummary",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("start_year", models.PositiveSmallIntegerField(verbose_name="start year")),
                ("version", models.BigIntegerField(verbose_name="version")),
                (
                    "local_mark",
                    models.CharField(blank=True, max_length=60, verbose_name="transaction mark"),
                ),
                ("projects", models.PositiveIntegerField(verbose_name="projects")),
                ("active_projects", models.PositiveIntegerField(verbose_name="active projects")),
                ("enterprises", models.PositiveIntegerField(verbose_name="enterprises")),
                ("new_products", models.PositiveIntegerField(verbose_name="new products")),
                (
                    "yield_projects",
                    models.PositiveIntegerField(verbose_name="projects with a yield gain"),
                ),
                (
                    "yield_gain_centi",
                    models.BigIntegerField(verbose_name="sum of yield gains (0.01 pp)"),
                ),
                ("revenue_fen", models.BigIntegerField(verbose_name="service revenue (fen)")),
                ("output_fen", models.BigIntegerField(verbose_name="output value (fen)")),
                ("financing_fen", models.BigIntegerField(verbose_name="financing (fen)")),
                ("financing_rounds", models.PositiveIntegerField(verbose_name="financing rounds")),
                (
                    "latest_change",
                    models.DateTimeField(blank=True, null=True, verbose_name="latest change"),
                ),
                (
                    "enterprise_ids",
                    models.BinaryField(default=b"", verbose_name="enterprise ids"),
                ),
                (
                    "gains_centi",
                    models.BinaryField(default=b"", verbose_name="yield gains (0.01 pp)"),
                ),
                (
                    "platform",
                    models.ForeignKey(
                        on_delete=models.deletion.CASCADE,
                        related_name="summaries",
                        to="platforms.platform",
                        verbose_name="platform",
                    ),
                ),
            ],
            options={
                "verbose_name": "platform summary",
                "verbose_name_plural": "platform summaries",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("platform", "start_year", "version", "local_mark"),
                        name="reports_platformsummary_unique_year_per_version",
                    )
                ],
            },
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]

"""The report data version and the triggers that bump it on every write to report data.

The model has since moved to the reports app (``reports.0001_initial``, ``tracker.0002``); its
table, row and triggers are the ones created here.
"""

from django.db import migrations, models

# Tables whose rows the report figures are computed from (yield runs reach the reports only
# through the project's yield summary, which is an UPDATE of the project).
WATCHED_TABLES = [
    "projects_project",
    "projects_financing",
    "platforms_platform",
    "platforms_zone",
    "platforms_recognition",
    "platforms_recognitionlist",
    "platforms_provincelisttotal",
    "platforms_platformmembership",
    "platforms_zonemembership",
]
BUMP = "UPDATE tracker_dataversion SET value = value + 1 WHERE id = 1"


def create_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO tracker_dataversion (id, value) VALUES (1, 0)")
        if connection.vendor == "postgresql":
            # One bump per statement, whatever the number of rows (bulk loads stay fast).
            cursor.execute(
                "CREATE FUNCTION tracker_bump_data_version() RETURNS trigger AS $$ "
                f"BEGIN {BUMP}; RETURN NULL; END $$ LANGUAGE plpgsql"
            )
            for table in WATCHED_TABLES:
                cursor.execute(
                    f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE "
                    f"OR TRUNCATE ON {table} FOR EACH STATEMENT "
                    "EXECUTE FUNCTION tracker_bump_data_version()"
                )
        elif connection.vendor == "sqlite":
            # SQLite only has row triggers.
            for table in WATCHED_TABLES:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(
                        f"CREATE TRIGGER {table}_data_version_{event.lower()} AFTER {event} "
                        f"ON {table} BEGIN {BUMP}; END"
                    )


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table in WATCHED_TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_data_version ON {table}")
            elif connection.vendor == "sqlite":
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_data_version_{event}")
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS tracker_bump_data_version()")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("platforms", "0001_initial"),
        ("projects", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.BigIntegerField(default=0, verbose_name="value")),
            ],
            options={"verbose_name": "data version", "verbose_name_plural": "data versions"},
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]

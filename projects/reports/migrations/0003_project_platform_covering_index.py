"""A covering index for the report figures that cannot be summed per platform (PostgreSQL).

Distinct client enterprises and the median gain of a zone (or of any set of platforms and start
years) are read over that set's projects. With ``(platform_id, start_on) INCLUDE (enterprise_id,
yield_gain_pp)`` PostgreSQL reads them from the index alone (an index-only scan per platform)
instead of visiting a heap page per project: the largest zone's cold roll-up went from about
0.8 s to 0.3 s at 1,000,000 projects. SQLite has no INCLUDE; nothing is done there. Building it
takes a few seconds per million projects, during which writes to projects wait.
"""

from django.db import migrations

INDEX = "reports_project_platform_cover_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON projects_project (platform_id, start_on) "
            "INCLUDE (enterprise_id, yield_gain_pp)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_platform_versions_and_summaries")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

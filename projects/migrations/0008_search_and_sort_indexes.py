"""Indexes for lists at a million projects: sorting by money and gain, and the search box.

The sortable figures get a B-tree index each with the id (the paginator's tie-breaker). A
project's client gets an index with the platform, which replaces the foreign key's own index:
a zone manager's enterprise list counts the clients with a project in the zone from it alone
(SQLite remakes the table for that, so the report data version's triggers are restored). On
PostgreSQL the search gets ``pg_trgm`` GIN indexes over exactly the expressions Django's
``icontains`` compares, ``UPPER(col::text)`` (``projects.search``): project code, title and
product in one multi-column index, and the enterprise name. SQLite has no trigram index; the
step does nothing there.
"""

import django.db.models.deletion
from django.db import migrations, models

from tracker.migration_steps import restore_data_version_triggers

TRIGRAM_INDEXES = {
    "projects_project_search_trgm": (
        "projects_project",
        "UPPER(code::text) gin_trgm_ops, UPPER(title::text) gin_trgm_ops, "
        "UPPER(product::text) gin_trgm_ops",
    ),
    "projects_enterprise_name_trgm": ("projects_enterprise", "UPPER(name::text) gin_trgm_ops"),
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # A trusted extension: the database owner may create it. Left in place when migrating back.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, columns) in TRIGRAM_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({columns})")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("platforms", "0003_record_dates_in_range_and_clean_operator_uscc"),
        ("projects", "0007_importbatch_moved_to_the_imports_app"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="project",
            name="projects_project_gain_idx",
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["yield_gain_pp", "id"], name="projects_project_gain_id_idx"),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                fields=["service_revenue", "id"], name="projects_project_revenue_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["output_value", "id"], name="projects_project_output_idx"),
        ),
        migrations.AlterField(
            model_name="project",
            name="enterprise",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="projects",
                to="projects.enterprise",
                verbose_name="enterprise",
            ),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                fields=["enterprise", "platform"], name="projects_proj_client_plat_idx"
            ),
        ),
        restore_data_version_triggers(["projects_project"]),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]

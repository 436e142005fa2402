"""The imports app takes over ``ImportBatch`` from the projects app, rows and all.

State only: the table ``projects_importbatch`` stays as it is (``projects.0007`` removes the
model from the projects app's state at the same time); ``0002`` then renames the table and its
named constraint after this app. The model's content type (and with it its permissions and
the admin's log entries) moves to this app too, instead of being left stale and recreated.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="projects", target="imports"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=target, model="importbatch").exists():
        ContentType.objects.filter(app_label=source, model="importbatch").update(
            app_label=target
        )


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="imports", target="projects")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("projects", "0006_financing_unique_round"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportBatch",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                        ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished at")),
                        ("file_name", models.CharField(max_length=255, verbose_name="file name")),
                        ("checksum", models.CharField(blank=True, max_length=64, verbose_name="SHA-256 checksum")),
                        (
                            "kind",
                            models.CharField(
                                help_text="workbook, or the kind of a CSV file", max_length=20, verbose_name="kind"
                            ),
                        ),
                        ("dry_run", models.BooleanField(default=False, verbose_name="dry run")),
                        (
                            "outcome",
                            models.CharField(
                                choices=[
                                    ("pending", "Uploaded, not checked yet"),
                                    ("checking", "Being checked"),
                                    ("previewed", "Checked, ready to import"),
                                    ("importing", "Being imported"),
                                    ("invalid", "Refused: errors found"),
                                    ("imported", "Imported"),
                                    ("failed", "Stopped by an error"),
                                ],
                                default="pending",
                                max_length=12,
                                verbose_name="outcome",
                            ),
                        ),
                        ("counts", models.JSONField(blank=True, default=dict, verbose_name="counts")),
                        ("error_count", models.PositiveIntegerField(default=0, verbose_name="errors")),
                        ("errors", models.JSONField(blank=True, default=list, verbose_name="error list")),
                        ("preview", models.JSONField(blank=True, default=dict, verbose_name="preview rows")),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="import_batches",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "import batch",
                        "verbose_name_plural": "import batches",
                        "ordering": ["-created_at", "-id"],
                        "db_table": "projects_importbatch",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    (
                                        "outcome__in",
                                        [
                                            "pending",
                                            "checking",
                                            "previewed",
                                            "importing",
                                            "invalid",
                                            "imported",
                                            "failed",
                                        ],
                                    )
                                ),
                                name="projects_importbatch_outcome_valid",
                                violation_error_message="Unknown import outcome.",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back, elidable=False),
    ]

"""``DataVersion`` moves from the ``tracker`` app to ``reports`` without touching the database.

Its table ``tracker_dataversion``, its one row and the triggers that bump it (created by
``tracker.0001_initial``) stay as they are: only Django's idea of which app owns the model
changes (``tracker.0002`` drops it from ``tracker``'s state after this adds it here). Its
content type follows, so that any permission granted on it is kept.
"""

from django.db import migrations, models


def content_type_mover(source: str, target: str):
    """A RunPython function re-labelling the model's content type from ``source`` to ``target``.

    Nothing to do on a new database (content types are created after the migrations), nor if
    ``target`` already has one (then the stale ``source`` row is ``remove_stale_contenttypes``'
    business).
    """

    def move(apps, schema_editor):
        content_types = apps.get_model("contenttypes", "ContentType").objects.using(
            schema_editor.connection.alias
        )
        if content_types.filter(app_label=target, model="dataversion").exists():
            return
        content_types.filter(app_label=source, model="dataversion").update(app_label=target)

    return move


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("tracker", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DataVersion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("value", models.BigIntegerField(default=0, verbose_name="value")),
                    ],
                    options={
                        "verbose_name": "data version",
                        "verbose_name_plural": "data versions",
                        "db_table": "tracker_dataversion",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            content_type_mover("tracker", "reports"),
            content_type_mover("reports", "tracker"),
            elidable=False,
        ),
    ]

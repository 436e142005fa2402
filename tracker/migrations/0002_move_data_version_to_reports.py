"""``DataVersion`` now belongs to the ``reports`` app (``reports.0001_initial`` adopts it).

State only: the table ``tracker_dataversion``, its row and its triggers stay in the database.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0001_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DataVersion")],
            database_operations=[],
        ),
    ]

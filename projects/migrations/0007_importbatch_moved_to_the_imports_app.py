"""``ImportBatch`` now belongs to the imports app (``imports.0001_initial``).

State only: the table and its rows stay; the imports app owns them from here on.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0006_financing_unique_round'),
        ('imports', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ImportBatch')],
            database_operations=[],
        ),
    ]

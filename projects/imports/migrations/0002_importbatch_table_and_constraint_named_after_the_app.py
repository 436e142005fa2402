"""``projects_importbatch`` becomes ``imports_importbatch``, rows and all, and its outcome
constraint takes the new app's name (``%(app_label)s_%(class)s_outcome_valid``).

The rows met the constraint under its old name, so adding it again under the new one finds
nothing to refuse.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelTable(
            name='importbatch',
            table=None,
        ),
        migrations.RemoveConstraint(
            model_name='importbatch',
            name='projects_importbatch_outcome_valid',
        ),
        migrations.AddConstraint(
            model_name='importbatch',
            constraint=models.CheckConstraint(condition=models.Q(('outcome__in', ['pending', 'checking', 'previewed', 'importing', 'invalid', 'imported', 'failed'])), name='imports_importbatch_outcome_valid', violation_error_message='Unknown import outcome.'),
        ),
    ]

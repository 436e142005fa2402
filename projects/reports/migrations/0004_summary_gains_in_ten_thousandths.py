"""Per-platform summaries keep yield gains in 0.0001 pp (the projects' precision), not 0.01 pp.

Gains are stored with four decimals; summed in hundredths (truncated) the summaries' mean and
median could differ by 0.1 pp from the projects' at a rounding boundary. Stored summaries are
deleted (their gains are in the old unit); they are computed again on first use.
"""

from django.db import migrations, models


def delete_summaries(apps, schema_editor):
    apps.get_model("reports", "PlatformSummary").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_platform_versions_and_summaries")]

    operations = [
        migrations.RunPython(delete_summaries, delete_summaries),
        migrations.RenameField("platformsummary", "yield_gain_centi", "yield_gain_e4"),
        migrations.RenameField("platformsummary", "gains_centi", "gains_e4"),
        migrations.AlterField(
            model_name="platformsummary",
            name="yield_gain_e4",
            field=models.BigIntegerField(verbose_name="sum of yield gains (0.0001 pp)"),
        ),
        migrations.AlterField(
            model_name="platformsummary",
            name="gains_e4",
            field=models.BinaryField(default=b"", verbose_name="yield gains (0.0001 pp)"),
        ),
    ]

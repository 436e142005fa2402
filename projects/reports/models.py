"""What the report cache needs to know that report data changed (no domain data here)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """A counter the database bumps on every write to the data reports read.

    Database triggers (migration ``tracker.0001_initial``, kept on SQLite by
    ``tracker.migration_steps.restore_data_version_triggers``) increment ``value`` after any
    insert, update or delete on those tables, whichever code path writes (forms, the admin,
    ``bulk_create``, ``QuerySet.update``, raw SQL). Cached report figures are keyed by the value
    (``projects.reports.cache``), so a write makes every cached figure unreachable at once, in
    every process.

    The model moved here from the ``tracker`` app; its table keeps its first name (the triggers
    and ``tracker.migration_steps`` name it in SQL), and its one row (id 1) is the counter.
    """

    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        db_table = "tracker_dataversion"
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return str(self.value)

"""Infrastructure models of the site itself (no domain data)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """A counter the database bumps on every write to the data reports read.

    Database triggers (migration ``tracker.0001_initial``) increment ``value`` after any insert,
    update or delete on those tables, whichever code path writes (forms, the admin,
    ``bulk_create``, ``QuerySet.update``, raw SQL). Cached report figures are keyed by the
    value, so a write makes every cached figure unreachable at once, in every process.
    """

    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return str(self.value)

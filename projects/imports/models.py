"""The record of every import attempt.

The table began as ``projects_importbatch`` when imports were part of the projects app; the
imports app took it over without copying a row (``imports.0001_initial`` only tells Django that
the model is now here) and then renamed it (``imports.0002``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import ImportOutcome


class ImportBatch(models.Model):
    """One attempt to import a spreadsheet: who, when, which file, what it did or would do.

    Kept for every attempt (dry runs and refusals too), so that a zone can answer "where did these
    4,547 projects come from?" and so that the records an import wrote can be traced back to it
    (their history entries carry the change reason ``import #<id>``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_batches",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, help_text=_("workbook, or the kind of a CSV file")
    )
    dry_run = models.BooleanField(_("dry run"), default=False)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=ImportOutcome, default=ImportOutcome.PENDING
    )
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("error list"), default=list, blank=True)
    preview = models.JSONField(_("preview rows"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=ImportOutcome.values),
                name="%(app_label)s_%(class)s_outcome_valid",
                violation_error_message=_("Unknown import outcome."),
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.file_name}"

    def get_absolute_url(self):
        return reverse("imports:batch", args=[self.pk])

    @property
    def change_reason(self) -> str:
        """What the history of every record this import wrote says about where it came from."""
        return f"import #{self.pk} ({self.file_name})"[:100]

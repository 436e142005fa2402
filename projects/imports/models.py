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
    # What the user must acknowledge before confirming (a new enterprise whose name is already
    # recorded under another credit code), and whether they did.
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    warnings_acknowledged = models.BooleanField(_("warnings acknowledged"), default=False)
    # The job's state, read by the batch page's poll (projects/imports/tasks.py): kept here, not
    # in the browser or a worker's memory, so that a closed tab or another host loses nothing.
    # Set by the job that takes the batch (one conditional UPDATE, so a job delivered twice runs
    # once), cleared when it ends.
    job_started_at = models.DateTimeField(_("job started at"), null=True, blank=True)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    progress_phase = models.CharField(_("progress phase"), max_length=10, blank=True)
    progress_sheet = models.CharField(_("progress sheet"), max_length=100, blank=True)
    progress_done = models.PositiveIntegerField(_("rows done"), default=0)
    progress_total = models.PositiveIntegerField(_("rows in all"), default=0)

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
            models.CheckConstraint(
                condition=Q(progress_done__lte=models.F("progress_total")),
                name="%(app_label)s_%(class)s_progress_within_total",
                violation_error_message=_("More rows done than there are."),
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

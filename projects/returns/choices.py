"""Choice sets of reporting rounds, with translated labels, and the status groups views use."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Year")
    HALF = "half", _("Half year")
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ReturnStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


# The platform may still change its return (manual fields, evidence) and submit it.
EDITABLE = (ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT, ReturnStatus.RETURNED)
# Figures and project rows are frozen: submitted (waiting for review) or approved (locked).
FROZEN = (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED)
# Once submitted at least once: a submitter and a submission date are on record.
SUBMITTED_ONCE = (ReturnStatus.SUBMITTED, ReturnStatus.RETURNED, ReturnStatus.APPROVED)
# Not in yet: what ``remind_returns`` reminds of after the due date.
MISSING = (ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT, ReturnStatus.RETURNED)


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    APPROVE = "approve", _("Approved")
    RETURN = "return", _("Returned")
    REOPEN = "reopen", _("Reopened")


# The evidence file types a return takes (the signed and stamped return, scanned or printed).
class EvidenceType(models.TextChoices):
    PDF = "application/pdf", "PDF"
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"

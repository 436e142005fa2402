"""Choice sets of the imports app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportOutcome(models.TextChoices):
    """Where an import batch is or ended up; only IMPORTED means rows were written.

    CHECKING and IMPORTING are claimed with a conditional UPDATE (``service.claim``) before the
    work starts, so that two requests for one batch (a double click, two tabs, a reloaded
    page) never check or write it twice. EXPIRED: its uploaded file was removed
    (``manage.py clean_uploads``) or lost before it was confirmed; nothing was written.
    """

    PENDING = "pending", _("Uploaded, not checked yet")
    CHECKING = "checking", _("Being checked")
    PREVIEWED = "previewed", _("Checked, ready to import")
    IMPORTING = "importing", _("Being imported")
    INVALID = "invalid", _("Refused: errors found")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Stopped by an error")
    EXPIRED = "expired", _("Upload expired: upload the file again")

"""Confidential text: a confidential project's title, product and description reach only its own
platform's staff and administrators (``platforms.access.unmasked_projects_q`` is the rule);
everyone else reads "Confidential project", and the project's figures still count everywhere.

Pages, tables and exports show ``shown_title`` / ``shown_product`` / ``shown_description``, never
the raw fields; SQL exports and sorts use ``shown_text``, so that neither the cells nor the order
of rows give the hidden text away.
"""

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext

from platforms import access

from .choices import Confidentiality

# The project fields a confidential project hides from everyone but its staff and administrators.
HIDDEN_TEXT_FIELDS = ("title", "product", "description")


def masked_condition(user, prefix: str = "") -> Q | None:
    """Where ``user`` must NOT read a project's hidden text: the negation of
    ``access.unmasked_projects_q`` (the one rule), or ``None`` when the user may read it all.
    ``prefix`` reaches the project from another model (``"project__"``)."""
    unmasked = access.unmasked_projects_q(user, prefix)
    # An empty Q() is "every project" (an administrator): nothing to mask, no expression.
    return ~unmasked if unmasked else None


def shown_text(field: str, user, prefix: str = ""):
    """SQL expression of a hidden-text field as ``user`` may read it: the stored text, or the
    translated "Confidential project" (in the active language). For ``values()`` exports and
    for sorting, so that neither the cells nor the order of rows give away the hidden text."""
    masked = masked_condition(user, prefix)
    if masked is None:
        return F(f"{prefix}{field}")
    return Case(
        When(masked, then=Value(gettext("Confidential project"))),
        default=F(f"{prefix}{field}"),
        output_field=models.TextField(),
    )


class ConfidentialText:
    """The reader-dependent face of a project's hidden text (mixed into ``Project``)."""

    @property
    def hides_text(self) -> bool:
        """Whether the reader must see "Confidential project" instead of the text.

        Set per reader by ``Project.objects.with_masking(user)`` or ``mask_for(user)``. Fails
        safe: a confidential project loaded without either hides its text from everybody.
        """
        masked = self.__dict__.get("is_masked")
        if masked is None:
            return self.confidentiality == Confidentiality.CONFIDENTIAL
        return bool(masked)

    def mask_for(self, user):
        """Decide ``hides_text`` for one project loaded without ``with_masking``."""
        self.is_masked = not access.may_unmask(user, self)
        return self

    def _shown(self, field: str) -> str:
        return gettext("Confidential project") if self.hides_text else getattr(self, field)

    @property
    def shown_title(self) -> str:
        return self._shown("title")

    @property
    def shown_product(self) -> str:
        return self._shown("product")

    @property
    def shown_description(self) -> str:
        return self._shown("description")

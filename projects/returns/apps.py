from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    """Reporting rounds: each platform's period return, its logic checks, evidence and review;
    approved returns are frozen and become the official roll-up (``basis=returns``)."""

    name = "projects.returns"
    label = "returns"
    verbose_name = _("Reporting rounds")

"""Choices of the reports app: the metrics a zone sets targets for."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetMetric(models.TextChoices):
    """A zone's countable target: the headline metrics plus new platforms and firms incubated.

    How each is measured over a target's years is in ``queries/targets.py``.
    """

    NEW_PLATFORMS = "new_platforms", _("New platforms")
    PLATFORMS = "platforms", _("Pilot-test platforms")
    KEY_PLATFORMS = "key_platforms", _("MIIT key platforms")
    PROJECTS = "projects", _("Pilot projects served")
    ENTERPRISES = "enterprises", _("Enterprises served")
    NEW_PRODUCTS = "new_products", _("New products incubated")
    FIRMS_INCUBATED = "firms_incubated", _("Firms incubated")
    SERVICE_REVENUE = "service_revenue", _("Pilot-service revenue")
    OUTPUT_VALUE = "output_value", _("Product output value")
    FINANCING = "financing", _("Financing raised")


# Targets in yuan (the rest are counts, whole numbers).
AMOUNT_METRICS = frozenset(
    {TargetMetric.SERVICE_REVENUE, TargetMetric.OUTPUT_VALUE, TargetMetric.FINANCING}
)

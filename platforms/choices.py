"""Choice sets of the platforms app, with translated labels (stored values never change)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ZoneLevel(models.TextChoices):
    NATIONAL_HIGH_TECH = "national_htz", _("National high-tech zone")
    PROVINCIAL_HIGH_TECH = "provincial_htz", _("Provincial high-tech zone")
    ECONOMIC_DEVELOPMENT = "edz", _("Economic development zone")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    """MIIT's six key areas for pilot-test platforms."""

    RAW_MATERIALS = "raw_materials", _("Raw materials")
    EQUIPMENT = "equipment", _("Equipment manufacturing")
    CONSUMER_GOODS = "consumer_goods", _("Consumer goods")
    INFORMATION_TECHNOLOGY = "information_technology", _("Information technology")
    EMERGING_FUTURE = "emerging_future", _("Emerging and future industries")
    COMMON_NEEDS = "common_needs", _("Common needs")


class ConstructionModel(models.TextChoices):
    """MIIT's six ways a platform is built and run."""

    GOVERNMENT_PUBLIC = "government_public", _("Government-invested public service")
    UNIVERSITY_TRANSFER = "university_transfer", _("University/institute transfer")
    MULTI_PARTY = "multi_party", _("Multi-party joint building")
    ENTERPRISE_MARKET = "enterprise_market", _("Enterprise-operated market service")
    ENTERPRISE_OPENED = "enterprise_opened", _("Enterprise-built and opened up")
    LEADING_IN_HOUSE = "leading_in_house", _("Leading-enterprise in-house")


class PlatformStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    CLOSED = "closed", _("Closed")


class ListLevel(models.TextChoices):
    """Rungs of the recognition ladder; MIIT_KEY is what the headline "key platforms" counts."""

    RESERVE = "reserve", _("Reserve")
    MIIT_KEY = "miit_key", _("MIIT key cultivated")
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")

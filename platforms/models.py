"""Zones, platforms, the recognition lists they are on, and who may see or edit them.

Who may see or change them is decided in ``platforms.access``; the managers'
``visible_to(user)`` / ``editable_by(user)`` methods delegate to it, so that views, exports and
reports scope their querysets without re-writing a rule.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Upper
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from platforms import access
from tracker.validators import (
    USCC_LENGTH,
    date_range_constraint,
    no_hidden_characters,
    normalize_uscc,
    validate_record_date,
    validate_uscc,
)

from .choices import ConstructionModel, ListLevel, PlatformStatus, Sector, ZoneLevel


class Province(models.Model):
    """A province-level division; the denominator of a zone's share of a recognition list."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    code = models.CharField(
        _("code"), max_length=2, unique=True, help_text=_("Two-digit GB/T 2260 code, e.g. 51")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("code"), 2),
                name="%(app_label)s_%(class)s_code_two_digits",
                violation_error_message=_("The province code has two digits."),
            )
        ]

    def __str__(self):
        return self.name


class ZoneQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Zones a user can see (``access.zones_visible_to``)."""
        return access.zones_visible_to(self, user)

    def reviewable_by(self, user):
        """Zones whose period returns the user reviews (``access.zones_reviewable_by``)."""
        return access.zones_reviewable_by(self, user)


class Zone(models.Model):
    """A high-tech (or development) zone that hosts platforms and reports their combined figures."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="zones"
    )
    city = models.CharField(_("city"), max_length=50, blank=True)
    level = models.CharField(
        _("level"), max_length=20, choices=ZoneLevel, default=ZoneLevel.NATIONAL_HIGH_TECH
    )
    history = HistoricalRecords()

    objects = ZoneQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")

    def __str__(self):
        return self.name


class PlatformQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Platforms a user may read (``access.platforms_visible_to``)."""
        return access.platforms_visible_to(self, user)

    def editable_by(self, user):
        """Platforms whose records a user may write (``access.platforms_editable_by``)."""
        return access.platforms_editable_by(self, user)


class Platform(models.Model):
    """A pilot-test platform (中试平台): takes clients' prototypes to mass-producible products."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    zone = models.ForeignKey(
        Zone, verbose_name=_("zone"), on_delete=models.PROTECT, related_name="platforms"
    )
    sector = models.CharField(_("sector"), max_length=30, choices=Sector)
    operator_name = models.CharField(_("operator"), max_length=150, blank=True)
    operator_uscc = models.CharField(
        _("operator USCC"),
        max_length=USCC_LENGTH,
        blank=True,
        validators=[validate_uscc],
        help_text=_("Unified social credit code of the operating organisation (optional)"),
    )
    construction_model = models.CharField(
        _("construction model"), max_length=30, choices=ConstructionModel, blank=True
    )
    established_on = models.DateField(
        _("established on"), null=True, blank=True, validators=[validate_record_date]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlatformStatus, default=PlatformStatus.ACTIVE
    )
    description = models.TextField(_("description"), blank=True)
    # The operator's contact for the platform: descriptive, so its own staff keep it current.
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    history = HistoricalRecords()

    objects = PlatformQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
        constraints = [
            models.CheckConstraint(
                condition=Q(operator_uscc="")
                | (
                    Exact(Length("operator_uscc"), USCC_LENGTH)
                    & Q(operator_uscc=Upper("operator_uscc"))
                ),
                name="%(app_label)s_%(class)s_operator_uscc_shape",
                violation_error_message=_("The operator USCC has 18 upper-case characters."),
            ),
            models.CheckConstraint(
                condition=no_hidden_characters("operator_uscc"),
                name="%(app_label)s_%(class)s_operator_uscc_no_hidden_characters",
                violation_error_message=_("A code cannot contain spaces or invisible characters."),
            ),
            date_range_constraint("established_on", null=True),
            models.CheckConstraint(
                condition=Q(sector__in=Sector.values),
                name="%(app_label)s_%(class)s_sector_valid",
                violation_error_message=_("Unknown sector."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=PlatformStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("Unknown platform status."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("platforms:platform_detail", args=[self.pk])

    def clean(self):
        self.operator_uscc = normalize_uscc(self.operator_uscc)


class RecognitionList(models.Model):
    """A published list of recognised platforms, e.g. MIIT's first batch of key cultivated ones."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=250, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=ListLevel)
    issuer = models.CharField(_("issuer"), max_length=100, blank=True)
    batch = models.PositiveSmallIntegerField(_("batch"), null=True, blank=True)
    published_on = models.DateField(
        _("published on"), null=True, blank=True, validators=[validate_record_date]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "name"]
        verbose_name = _("recognition list")
        verbose_name_plural = _("recognition lists")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=ListLevel.values),
                name="%(app_label)s_%(class)s_level_valid",
                violation_error_message=_("Unknown list level."),
            ),
            models.CheckConstraint(
                condition=Q(batch__isnull=True) | Q(batch__gte=1),
                name="%(app_label)s_%(class)s_batch_positive",
                violation_error_message=_("The batch number starts at 1."),
            ),
            date_range_constraint("published_on", null=True),
        ]

    def __str__(self):
        return self.name


class RecognitionQuerySet(models.QuerySet):
    def current(self):
        """Recognitions in force. A revoked entry stays on record but stops counting."""
        return self.filter(revoked_on__isnull=True)


class Recognition(models.Model):
    """A platform's entry on a recognition list, from its grant until (possibly) its revocation."""

    platform = models.ForeignKey(
        Platform,
        verbose_name=_("platform"),
        on_delete=models.CASCADE,
        related_name="recognitions",
    )
    recognition_list = models.ForeignKey(
        RecognitionList,
        verbose_name=_("recognition list"),
        on_delete=models.PROTECT,
        related_name="recognitions",
    )
    granted_on = models.DateField(
        _("granted on"), null=True, blank=True, validators=[validate_record_date]
    )
    revoked_on = models.DateField(
        _("revoked on"), null=True, blank=True, validators=[validate_record_date]
    )
    history = HistoricalRecords()

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        ordering = ["platform__name", "recognition_list__name"]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "recognition_list"],
                name="%(app_label)s_%(class)s_unique_platform_list",
                violation_error_message=_("This platform is already on that list."),
            ),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True)
                | Q(granted_on__isnull=True)
                | Q(revoked_on__gte=models.F("granted_on")),
                name="%(app_label)s_%(class)s_revoked_after_granted",
                violation_error_message=_("A recognition cannot be revoked before it was granted."),
            ),
            date_range_constraint("granted_on", null=True),
            date_range_constraint("revoked_on", null=True),
        ]

    def __str__(self):
        return f"{self.platform} · {self.recognition_list}"

    @property
    def is_current(self) -> bool:
        return self.revoked_on is None


class ProvinceListTotal(models.Model):
    """How many entries a whole province has on a list: the denominator of "8 = 50% of Sichuan"."""

    recognition_list = models.ForeignKey(
        RecognitionList,
        verbose_name=_("recognition list"),
        on_delete=models.CASCADE,
        related_name="province_totals",
    )
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.CASCADE, related_name="list_totals"
    )
    entries = models.PositiveIntegerField(_("entries"))

    class Meta:
        ordering = ["recognition_list__name", "province__code"]
        verbose_name = _("province list total")
        verbose_name_plural = _("province list totals")
        constraints = [
            models.UniqueConstraint(
                fields=["recognition_list", "province"],
                name="%(app_label)s_%(class)s_unique_list_province",
                violation_error_message=_("This province already has a total for that list."),
            ),
            models.CheckConstraint(
                condition=Q(entries__gte=1),
                name="%(app_label)s_%(class)s_entries_positive",
                violation_error_message=_("A province total has at least one entry."),
            ),
        ]

    def __str__(self):
        return f"{self.province} · {self.recognition_list}: {self.entries}"


class PlatformMembership(models.Model):
    """Platform staff: the users who enter and edit that platform's projects."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="platform_memberships",
    )
    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.CASCADE, related_name="memberships"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["platform__name", "user__username"]
        verbose_name = _("platform membership")
        verbose_name_plural = _("platform memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "platform"],
                name="%(app_label)s_%(class)s_unique_user_platform",
                violation_error_message=_("This user is already staff of that platform."),
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.platform}"


class ZoneMembership(models.Model):
    """Zone managers: the users who read (never edit) everything in that zone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="zone_memberships",
    )
    zone = models.ForeignKey(
        Zone, verbose_name=_("zone"), on_delete=models.CASCADE, related_name="memberships"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["zone__name", "user__username"]
        verbose_name = _("zone membership")
        verbose_name_plural = _("zone memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "zone"],
                name="%(app_label)s_%(class)s_unique_user_zone",
                violation_error_message=_("This user already manages that zone."),
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.zone}"

"""Back office for zones, platforms, recognition lists and who may see or edit what.

Every list page annotates its counts in the same query (fixed query count whatever the rows);
models with history use ``HistoryInWordsAdmin`` so "History" shows who changed what, when and
why, in words.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from tracker.admin import BoundedChangeListMixin, HistoryInWordsAdmin

from .models import (
    Platform,
    PlatformMembership,
    Province,
    ProvinceListTotal,
    Recognition,
    RecognitionList,
    Zone,
    ZoneMembership,
)


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code"]
    search_fields = ["name", "name_en", "code"]


@admin.register(Zone)
class ZoneAdmin(HistoryInWordsAdmin):
    list_display = ["name", "name_en", "province", "city", "level", "platform_count"]
    list_filter = ["level", "province"]
    list_select_related = ["province"]
    search_fields = ["name", "name_en", "city"]
    autocomplete_fields = ["province"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_platform_count=Count("platforms"))

    @admin.display(description=_("platforms"), ordering="_platform_count")
    def platform_count(self, obj):
        return obj._platform_count


class RecognitionInline(admin.TabularInline):
    model = Recognition
    extra = 0
    autocomplete_fields = ["recognition_list"]


class PlatformMembershipInline(admin.TabularInline):
    model = PlatformMembership
    extra = 0
    autocomplete_fields = ["user", "platform"]
    # Both names: Django makes a missing plural by appending "s" ("平台工作人员s").
    verbose_name = _("platform staff")
    verbose_name_plural = _("platform staff")


@admin.register(Platform)
class PlatformAdmin(BoundedChangeListMixin, HistoryInWordsAdmin):
    list_display = [
        "name",
        "zone",
        "sector",
        "status",
        "construction_model",
        "project_count",
        "key_recognitions",
    ]
    list_filter = [
        "zone",
        "sector",
        "status",
        "construction_model",
        "recognitions__recognition_list",
    ]
    list_select_related = ["zone"]
    search_fields = ["name", "name_en", "operator_name", "operator_uscc"]
    autocomplete_fields = ["zone"]
    date_hierarchy = "established_on"
    inlines = [RecognitionInline, PlatformMembershipInline]

    def get_queryset(self, request):
        # Two independent counts over different joins: distinct keeps them from multiplying.
        return (
            super()
            .get_queryset(request)
            .annotate(
                _project_count=Count("projects", distinct=True),
                _key_count=Count(
                    "recognitions",
                    filter=Q(
                        recognitions__revoked_on__isnull=True,
                        recognitions__recognition_list__level="miit_key",
                    ),
                    distinct=True,
                ),
            )
        )

    @admin.display(description=_("projects"), ordering="_project_count")
    def project_count(self, obj):
        return obj._project_count

    @admin.display(description=_("MIIT key recognitions"), ordering="_key_count")
    def key_recognitions(self, obj):
        return obj._key_count


class ProvinceListTotalInline(admin.TabularInline):
    model = ProvinceListTotal
    extra = 0
    autocomplete_fields = ["province"]


@admin.register(RecognitionList)
class RecognitionListAdmin(BoundedChangeListMixin, HistoryInWordsAdmin):
    list_display = ["name", "level", "issuer", "batch", "published_on", "entry_count"]
    list_filter = ["level", "issuer"]
    search_fields = ["name", "name_en", "issuer"]
    date_hierarchy = "published_on"
    inlines = [ProvinceListTotalInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _entries=Count("recognitions", filter=Q(recognitions__revoked_on__isnull=True))
            )
        )

    @admin.display(description=_("current entries"), ordering="_entries")
    def entry_count(self, obj):
        return obj._entries


@admin.register(Recognition)
class RecognitionAdmin(BoundedChangeListMixin, HistoryInWordsAdmin):
    list_display = ["platform", "recognition_list", "granted_on", "revoked_on"]
    list_filter = ["recognition_list", "platform__zone"]
    list_select_related = ["platform", "recognition_list"]
    search_fields = ["platform__name", "recognition_list__name"]
    autocomplete_fields = ["platform", "recognition_list"]
    date_hierarchy = "granted_on"


@admin.register(ProvinceListTotal)
class ProvinceListTotalAdmin(admin.ModelAdmin):
    list_display = ["recognition_list", "province", "entries"]
    list_filter = ["recognition_list", "province"]
    list_select_related = ["recognition_list", "province"]
    search_fields = ["recognition_list__name", "province__name"]
    autocomplete_fields = ["recognition_list", "province"]


@admin.register(PlatformMembership)
class PlatformMembershipAdmin(HistoryInWordsAdmin):
    list_display = ["user", "platform"]
    list_filter = ["platform__zone", "platform"]
    list_select_related = ["user", "platform"]
    search_fields = ["user__username", "platform__name"]
    autocomplete_fields = ["user", "platform"]


@admin.register(ZoneMembership)
class ZoneMembershipAdmin(HistoryInWordsAdmin):
    list_display = ["user", "zone"]
    list_filter = ["zone"]
    list_select_related = ["user", "zone"]
    search_fields = ["user__username", "zone__name"]
    autocomplete_fields = ["user", "zone"]


class ZoneMembershipInline(admin.TabularInline):
    model = ZoneMembership
    extra = 0
    autocomplete_fields = ["zone"]
    verbose_name = _("managed zone")
    verbose_name_plural = _("managed zones")


class UserPlatformMembershipInline(admin.TabularInline):
    model = PlatformMembership
    extra = 0
    autocomplete_fields = ["platform"]
    verbose_name = _("platform staff of")
    verbose_name_plural = _("platform staff of")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class TrackerUserAdmin(BoundedChangeListMixin, UserAdmin):
    """Users with their roles on the same page: staff of platforms, manager of zones."""

    inlines = [UserPlatformMembershipInline, ZoneMembershipInline]


admin.site.site_header = _("Pilot Tracker administration")
admin.site.site_title = _("Pilot Tracker")

"""Reporting rounds in the admin. Figures are never typed here (they come from the records at
submission); an approved return is read-only as a whole, and changes of status go through the
pages, which record them (``services``)."""

from django.contrib import admin

from projects.reports.queries import PeriodFigures
from projects.reports.queries.returns import INCREMENTS
from tracker.admin import HistoryInWordsAdmin

from .choices import ReturnStatus
from .models import Evidence, PeriodReturn, ReportingPeriod, ReturnProjectRow, ReviewLogEntry

# Every frozen figure and increment, and where the increments were taken from.
FIGURES = (
    *PeriodFigures.__dataclass_fields__,
    *INCREMENTS.values(),
    "baseline",
    "frozen_at",
)
REVIEW = (
    "status",
    "submitted_by",
    "submitted_at",
    "reviewed_by",
    "reviewed_at",
    "approved_at",
    "review_comment",
)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "zone", "start_on", "end_on", "due_on", "status"]
    list_filter = ["status", "kind", "zone"]
    readonly_fields = ["code", "kind", "start_on", "end_on", "opened_by", "opened_at"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReviewLogInline(admin.TabularInline):
    model = ReviewLogEntry
    extra = 0
    fields = ["at", "action", "actor", "text"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PeriodReturn)
class PeriodReturnAdmin(HistoryInWordsAdmin):
    list_display = ["period", "platform", "status", "submitted_at", "approved_at"]
    list_filter = ["status", "period"]
    list_select_related = ["period", "platform"]
    search_fields = ["platform__name"]
    readonly_fields = ["period", "platform", *REVIEW, *FIGURES]
    inlines = [EvidenceInline, ReviewLogInline]

    def has_add_permission(self, request):
        return False  # Returns are created by opening a round.

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == ReturnStatus.APPROVED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == ReturnStatus.APPROVED:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ReturnProjectRow)
class ReturnProjectRowAdmin(admin.ModelAdmin):
    list_display = ["period_return", "code", "status", "start_on", "is_new", "is_active"]
    list_select_related = ["period_return__period", "period_return__platform"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

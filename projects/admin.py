"""Back office for enterprises, projects, yield runs and financing.

List pages select their related rows in the same query and show the stored yield summary, so a
changelist costs the same number of queries for 5 rows or 5,000.
"""

from django.contrib import admin
from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _

from tracker.admin import BoundedChangeListMixin, HistoryInWordsAdmin

from .history import HIDDEN_FIELDS
from .models import Enterprise, Financing, Project, YieldRun


@admin.register(Enterprise)
class EnterpriseAdmin(BoundedChangeListMixin, HistoryInWordsAdmin):
    list_display = ["name", "uscc", "sector", "size", "is_high_tech", "srdi_level", "project_count"]
    list_filter = ["sector", "size", "is_high_tech", "srdi_level"]
    search_fields = ["name", "uscc"]
    date_hierarchy = "founded_on"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_project_count=Count("projects"))

    @admin.display(description=_("projects"), ordering="_project_count")
    def project_count(self, obj):
        return obj._project_count


class YieldRunInline(admin.TabularInline):
    model = YieldRun
    extra = 0
    fields = [
        "stage",
        "sequence",
        "measured_on",
        "units_tested",
        "units_passed",
        "first_pass_units",
        "unit",
        "yield_display",
    ]
    readonly_fields = ["yield_display"]

    @admin.display(description=_("yield"))
    def yield_display(self, obj):
        return "—" if obj.pk is None else f"{obj.yield_pct:.1f}%"


class FinancingInline(admin.TabularInline):
    model = Financing
    extra = 0
    fields = ["date", "round", "instrument", "investor", "investor_type", "amount"]


@admin.register(Project)
class ProjectAdmin(BoundedChangeListMixin, HistoryInWordsAdmin):
    list_display = [
        "code",
        "title",
        "platform",
        "enterprise",
        "stage",
        "status",
        "start_on",
        "yield_latest_pct",
        "yield_gain_pp",
        "service_revenue",
    ]
    list_filter = [
        "platform__zone",
        "platform__sector",
        "status",
        "track",
        "stage",
        "new_product",
        "confidentiality",
        "platform",
    ]
    list_select_related = ["platform", "enterprise"]
    search_fields = ["code", "title", "product", "enterprise__name", "enterprise__uscc"]
    autocomplete_fields = ["platform", "enterprise"]
    date_hierarchy = "start_on"
    readonly_fields = [
        "version",
        "yield_run_count",
        "yield_first_pct",
        "yield_latest_pct",
        "yield_gain_pp",
    ]
    inlines = [YieldRunInline, FinancingInline]
    list_per_page = 50
    # Bookkeeping (version, computed yield summary) is left out of the history's changes.
    history_hidden_fields = tuple(HIDDEN_FIELDS)

    def get_queryset(self, request):
        """Marked for the signed-in user, so that the project's name (``str``, breadcrumbs,
        autocomplete) shows its title where that user may read it. Elsewhere (the project column
        of runs and financing) a confidential project reads "<code> Confidential project"."""
        return super().get_queryset(request).with_masking(request.user)

    def save_model(self, request, obj, form, change):
        """An admin edit moves the version on too, so a web form opened before it is stale."""
        super().save_model(request, obj, form, change)
        if change:
            Project.objects.filter(pk=obj.pk).update(version=F("version") + 1)


@admin.register(YieldRun)
class YieldRunAdmin(BoundedChangeListMixin, HistoryInWordsAdmin):
    list_display = [
        "project",
        "run_label",
        "measured_on",
        "units_tested",
        "units_passed",
        "first_pass_units",
        "yield_display",
    ]
    list_filter = ["stage", "unit", "project__platform__zone"]
    list_select_related = ["project"]
    search_fields = ["project__code", "project__title"]
    autocomplete_fields = ["project"]
    date_hierarchy = "measured_on"

    @admin.display(description=_("yield"))
    def yield_display(self, obj):
        return f"{obj.yield_pct:.1f}%"

    # A column header of its own: the model's ``label`` property would read "Label".
    @admin.display(description=_("Run"), ordering="stage")
    def run_label(self, obj):
        return obj.label


@admin.register(Financing)
class FinancingAdmin(BoundedChangeListMixin, HistoryInWordsAdmin):
    list_display = ["project", "date", "round", "instrument", "investor", "investor_type", "amount"]
    list_filter = ["round", "instrument", "investor_type", "project__platform__zone"]
    list_select_related = ["project"]
    search_fields = ["project__code", "investor"]
    autocomplete_fields = ["project"]
    date_hierarchy = "date"

"""Platform pages, scoped to what the signed-in user may see (other platforms: 404)."""

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from projects.choices import ACTIVE
from projects.models import Financing, Project
from projects.reports.cache import read_versions
from projects.reports.queries import ensure_current_totals, latest_total
from projects.reports.scope import Scope
from tracker.generic import ObjectDetailView, ObjectEditView, ObjectListView

from .filters import PlatformFilterSet
from .forms import PlatformForm
from .models import Platform
from .tables import PlatformTable

MONEY_ZERO = Value(0, output_field=DecimalField(max_digits=16, decimal_places=2))
RECENT_PROJECTS = 20


# The list's figures, from each platform's all-years summary row (``PlatformSummary``).
LIST_FIGURES = {
    "project_count": "projects",
    "active_project_count": "active_projects",
    "enterprise_count": "enterprises",
    "revenue_fen": "revenue_fen",
    "financing_fen": "financing_fen",
}


class PlatformListView(ObjectListView):
    """The platforms the user sees, with their figures read from the per-platform summaries.

    The summaries of the visible platforms are brought up to date first (one query when they
    are; see ``projects.reports.queries.summaries``), so the figures are exact and a sort by
    one of them orders a few hundred summary rows, never the projects.
    """

    queryset = Platform.objects.select_related("zone")
    filterset_class = PlatformFilterSet
    table_class = PlatformTable
    template_name = "platforms/platform_list.html"
    export_stem = "platforms"
    export_url_name = "platforms:platform_export"

    def get_queryset(self):
        versions = read_versions(Scope(), self.request.user)
        ensure_current_totals(versions)
        figures = {
            name: latest_total(figure, versions.local_mark) for name, figure in LIST_FIGURES.items()
        }
        return super().get_queryset().annotate(**figures)


def platform_figures(platform) -> dict:
    """The platform's headline figures: two aggregate queries whatever its size."""
    projects = Project.objects.filter(platform=platform)
    figures = projects.aggregate(
        projects=Count("pk"),
        active_projects=Count("pk", filter=Q(status__in=ACTIVE.statuses)),
        new_products=Count("pk", filter=Q(new_product=True)),
        service_revenue=Coalesce(Sum("service_revenue"), MONEY_ZERO),
        output_value=Coalesce(Sum("output_value"), MONEY_ZERO),
    )
    figures["financing"] = Financing.objects.filter(project__platform=platform).aggregate(
        total=Coalesce(Sum("amount"), MONEY_ZERO)
    )["total"]
    return figures


class PlatformDetailView(ObjectDetailView):
    """Profile, recognitions, figures and the latest projects of one platform."""

    queryset = Platform.objects.select_related("zone__province")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        platform = self.object
        context["recognitions"] = platform.recognitions.select_related("recognition_list")
        context["figures"] = platform_figures(platform)
        context["active"] = ACTIVE
        context["recent_projects"] = (
            Project.objects.filter(platform=platform)
            .with_masking(self.request.user)
            .select_related("enterprise")[:RECENT_PROJECTS]
        )
        return context


class PlatformUpdateView(ObjectEditView):
    """The descriptive fields a platform's own staff keep current (``PlatformForm``).

    Zone, status, sector, construction model, operator and recognitions are reference data:
    administrators change them in the admin site, so they are not on this form at all.
    """

    queryset = Platform.objects.all()
    form_class = PlatformForm
    success_message = _("The profile of %(object)s was saved.")

"""Site-wide views: the home page."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.views.generic import TemplateView

from platforms.models import Platform
from projects.choices import ProjectStatus
from projects.models import Project

# A superuser sees every platform: the home page shows the first ones and links to the list.
HOME_PLATFORMS = 12
LATEST_GAINS = 3


def _project_count(**conditions):
    """Number of the outer platform's projects matching ``conditions``, as a subquery."""
    projects = (
        Project.objects.filter(platform=OuterRef("pk"), **conditions)
        .order_by()
        .values("platform")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(projects), 0)


class HomeView(LoginRequiredMixin, TemplateView):
    """Landing page: per visible platform, what is in progress, what started this year, and
    the latest yield gains. Three queries whatever the number of platforms and projects."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        year = timezone.localdate().year
        visible = Platform.objects.visible_to(user)
        # Correlated subqueries rather than a JOIN + GROUP BY: they are evaluated only for the
        # platforms on the page, not aggregated over every project first.
        platforms = list(
            visible.select_related("zone").annotate(
                in_progress=_project_count(status=ProjectStatus.IN_PROGRESS),
                started_this_year=_project_count(start_on__year=year),
            )[: HOME_PLATFORMS + 1]
        )
        context["more_platforms"] = len(platforms) > HOME_PLATFORMS
        platforms = platforms[:HOME_PLATFORMS]
        gains = self.latest_gains([platform.pk for platform in platforms], user)
        editable = set(
            Platform.objects.editable_by(user)
            .filter(pk__in=[platform.pk for platform in platforms])
            .values_list("pk", flat=True)
        )
        for platform in platforms:
            platform.latest_gains = gains.get(platform.pk, [])
            platform.can_edit = platform.pk in editable
        context["platforms"] = platforms
        context["year"] = year
        return context

    @staticmethod
    def latest_gains(platform_ids, user):
        """The most recently updated projects with a yield gain, a few per platform, one query
        (a window function numbers each platform's projects), masked for ``user``."""
        projects = (
            Project.objects.filter(platform_id__in=platform_ids, yield_gain_pp__isnull=False)
            .with_masking(user)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=F("platform_id"),
                    order_by=[F("updated_at").desc(), F("pk").desc()],
                )
            )
            .filter(rank__lte=LATEST_GAINS)
            .order_by("platform_id", "rank")
        )
        result = {}
        for project in projects:
            result.setdefault(project.platform_id, []).append(project)
        return result

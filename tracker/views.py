"""Site-wide views: the home page and the password reset pages."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from platforms import access
from platforms.models import Platform
from projects.choices import ACTIVE
from projects.models import Project
from projects.reports.dashboard import zone_dashboard_home
from projects.returns.models import PeriodReturn

from .throttling import password_reset_allowed

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
    """Landing page: per visible platform, its active projects (``choices.ACTIVE``, as
    on the platform page), what started this year, and the latest yield gains. Three queries
    whatever the number of platforms and projects.

    A zone manager (who is nobody's staff) gets the zone dashboard instead: the reports app
    draws it, this view only hands the request over (``access.has_zone_dashboard_home``)."""

    template_name = "home.html"

    def get(self, request, *args, **kwargs):
        if access.has_zone_dashboard_home(request.user):
            return zone_dashboard_home(request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        year = timezone.localdate().year
        visible = Platform.objects.visible_to(user)
        # Correlated subqueries rather than a JOIN + GROUP BY: they are evaluated only for the
        # platforms on the page, not aggregated over every project first.
        platforms = list(
            visible.select_related("zone").annotate(
                active_projects=_project_count(status__in=ACTIVE.statuses),
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
        context["open_returns"] = PeriodReturn.objects.open_for(user)
        context["year"] = year
        context["active"] = ACTIVE
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


class MailRequiredMixin:
    """Without e-mail (production with no EMAIL_HOST) a reset link cannot reach anyone: every
    step of the reset then shows one honest page, "ask an administrator", and no form."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.EMAIL_CONFIGURED:
            status = 200 if request.method in ("GET", "HEAD") else 503
            return render(request, "registration/password_reset_unavailable.html", status=status)
        return super().dispatch(request, *args, **kwargs)


class PasswordResetView(MailRequiredMixin, auth_views.PasswordResetView):
    """Django's reset request, limited per requesting address and per e-mail address
    (``tracker.throttling``), and honest when no mail can be sent at all."""

    def form_valid(self, form):
        if not password_reset_allowed(self.request, form.cleaned_data["email"]):
            form.add_error(
                None, _("Too many password reset requests. Please try again in an hour.")
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        # Django logs a mail that fails to go out and answers "sent" all the same, so that the
        # answer never tells which addresses have an account.
        return super().form_valid(form)


class PasswordResetDoneView(MailRequiredMixin, auth_views.PasswordResetDoneView):
    pass

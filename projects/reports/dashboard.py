"""The zone dashboard (``/reports/dashboard/``), a zone manager's home page.

For one zone the user reviews (managed zones; administrators any): the headline figures with
the change against the same period last year (同比), the platforms ranked by projects, revenue
and mean yield gain, the platforms with no new or changed project in 90 days, and the progress
against the zone's targets. Every figure comes from ``queries`` (the cumulative ones through the
same cached ``Report`` as the report page); the query count does not grow with the data.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from platforms.models import Zone

from .queries import Report
from .queries.dashboard import QUIET_DAYS, quiet_platforms, same_day_last_year, year_on_year
from .scope import Scope

RANKED = 10
RANKINGS = (
    ("projects", gettext_lazy("Platforms by projects served")),
    ("service_revenue", gettext_lazy("Platforms by pilot-service revenue")),
    ("yield_gain_pp_mean", gettext_lazy("Platforms by mean yield gain")),
)
YEAR_ON_YEAR_LABELS = {
    "projects": gettext_lazy("Pilot projects started"),
    "enterprises": gettext_lazy("Enterprises served by them"),
    "new_products": gettext_lazy("New products among them"),
    "service_revenue": gettext_lazy("Their pilot-service revenue"),
    "financing": gettext_lazy("Financing raised in the period"),
}


def ranking(rows: list[dict], key: str, limit: int = RANKED) -> list[dict]:
    """The first ``limit`` platforms by ``key``, largest first; platforms without a value (no
    project with two yield runs) are left out."""
    ranked = [row for row in rows if row.get(key) is not None]
    ranked.sort(key=lambda row: (-row[key], row["label"]))
    return ranked[:limit]


class ZoneDashboardView(LoginRequiredMixin, TemplateView):
    """One zone's dashboard; ``?zone=<id>`` picks among the zones the user reviews."""

    template_name = "reports/dashboard.html"

    def get_zone(self, zones: list) -> Zone:
        wanted = self.request.GET.get("zone", "")
        if not wanted:
            if not zones:
                raise Http404("No zone to show.")
            return zones[0]
        for zone in zones:
            if str(zone.pk) == wanted:
                return zone
        raise Http404("No such zone.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        zones = list(Zone.objects.reviewable_by(user).order_by("name"))
        zone = self.get_zone(zones)
        today = timezone.localdate()
        report = Report(Scope(zone=zone), user)
        platforms = report.platforms
        changes = year_on_year(zone, user, today)
        for row in changes:
            row["label"] = YEAR_ON_YEAR_LABELS[row["name"]]
        context.update(
            {
                "zone": zone,
                "zones": zones if len(zones) > 1 else [],
                "headline": report.headline,
                "year_on_year": changes,
                "last_year_day": same_day_last_year(today),
                "today": today,
                "rankings": [
                    {"key": key, "title": title, "rows": ranking(platforms, key)}
                    for key, title in RANKINGS
                ],
                "quiet": quiet_platforms(zone, user, today),
                "quiet_days": QUIET_DAYS,
                "targets": report.targets,
                "zone_query": f"zone={zone.pk}",
            }
        )
        return context


def zone_dashboard_home(request):
    """The home page of a zone manager (``tracker.views.HomeView`` delegates here)."""
    return ZoneDashboardView.as_view()(request)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Manager reports: the query layer, the report cache and its data version, the pages, the
    JSON, the exports and the ``rollup`` command (nested in ``projects``, whose data it reads)."""

    name = "projects.reports"
    label = "reports"
    verbose_name = _("Reports")

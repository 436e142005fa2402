"""URLs of the reports app, mounted at /reports/ by ``tracker/urls.py``."""

from django.urls import path

from . import dashboard, pack_views, views

app_name = "reports"

urlpatterns = [
    path("", views.RollupView.as_view(), name="rollup"),
    path("rollup.json", views.RollupJsonView.as_view(), name="rollup_json"),
    path("export/<slug:table>.<slug:fmt>", views.ReportExportView.as_view(), name="export"),
    path("dashboard/", dashboard.ZoneDashboardView.as_view(), name="dashboard"),
    path("briefing.docx", pack_views.BriefingDocxView.as_view(), name="briefing_docx"),
    path("report.xlsx", pack_views.ReportXlsxView.as_view(), name="report_xlsx"),
]

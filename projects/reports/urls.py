"""URLs of the reports app, mounted at /reports/ by ``tracker/urls.py``."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.RollupView.as_view(), name="rollup"),
    path("rollup.json", views.RollupJsonView.as_view(), name="rollup_json"),
    path("export/<slug:table>.<slug:fmt>", views.ReportExportView.as_view(), name="export"),
]

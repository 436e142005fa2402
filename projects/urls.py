"""URLs of the projects app, in two namespaces mounted by ``tracker/urls.py``:
``projects`` (projects and enterprises) and ``imports``. The reports app has its own
(``projects/reports/urls.py``)."""

from django.urls import path

from tracker.generic import export_urls

from .views import imports as import_views
from .views import projects as project_views

app_name = "projects"

urlpatterns = [
    path("projects/", project_views.ProjectListView.as_view(), name="project_list"),
    *export_urls("projects/", project_views.ProjectListView.as_view(), "project_export"),
    path("projects/new/", project_views.ProjectCreateView.as_view(), name="project_create"),
    path("projects/<int:pk>/", project_views.ProjectDetailView.as_view(), name="project_detail"),
    path(
        "projects/<int:pk>/edit/", project_views.ProjectUpdateView.as_view(), name="project_update"
    ),
    path(
        "projects/<int:pk>/delete/",
        project_views.ProjectDeleteView.as_view(),
        name="project_delete",
    ),
    path("enterprises/", project_views.EnterpriseListView.as_view(), name="enterprise_list"),
    *export_urls("enterprises/", project_views.EnterpriseListView.as_view(), "enterprise_export"),
    path(
        "enterprises/<int:pk>/",
        project_views.EnterpriseDetailView.as_view(),
        name="enterprise_detail",
    ),
]

# Mounted at /import/ under the "imports" namespace.
import_patterns = [
    path("", import_views.ImportUploadView.as_view(), name="upload"),
    path("template.xlsx", import_views.ImportTemplateView.as_view(), name="template"),
    path("export.xlsx", import_views.ImportExportView.as_view(), name="export"),
    path("history/", import_views.ImportHistoryView.as_view(), name="history"),
    path("<int:pk>/", import_views.ImportBatchView.as_view(), name="batch"),
    path("<int:pk>/check/", import_views.ImportCheckView.as_view(), name="check"),
    path("<int:pk>/confirm/", import_views.ImportConfirmView.as_view(), name="confirm"),
    path("<int:pk>/errors.csv", import_views.ImportErrorsView.as_view(), name="errors"),
]

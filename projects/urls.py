"""URLs of the projects app (namespace ``projects``: projects and enterprises), mounted by
``tracker/urls.py``. Reports and imports are apps of their own, with their own URLs."""

from django.urls import path

from tracker.generic import export_urls

from . import views as project_views

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
    path(
        "enterprises/<int:pk>/edit/",
        project_views.EnterpriseUpdateView.as_view(),
        name="enterprise_update",
    ),
    path(
        "enterprises/suggest/",
        project_views.EnterpriseSuggestView.as_view(),
        name="enterprise_suggest",
    ),
    path(
        "projects/suggest-code/",
        project_views.ProjectCodeSuggestView.as_view(),
        name="project_code_suggest",
    ),
]

from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("enterprises/<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise_detail"),
]

"""Root URLs: the admin, sign-in, language switch, and each app under its own namespace."""

from django.contrib import admin
from django.urls import include, path

from projects.urls import import_patterns, report_patterns

from . import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("reports/", include((report_patterns, "reports"))),
    path("import/", include((import_patterns, "imports"))),
    path("", include("platforms.urls")),
    path("", include("projects.urls")),
]

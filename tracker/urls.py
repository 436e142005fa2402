"""Root URLs: the admin, sign-in, language switch, and each app under its own namespace."""

from django.contrib import admin
from django.urls import include, path

from . import views
from .health import HealthView

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", HealthView.as_view(), name="healthz"),  # status only, for load balancers
    # Before Django's own auth URLs, so that these names resolve to the site's versions.
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password_reset/done/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("reports/", include("projects.reports.urls")),
    path("import/", include("projects.imports.urls")),
    path("returns/", include("projects.returns.urls")),
    path("", include("platforms.urls")),
    path("", include("projects.urls")),
]

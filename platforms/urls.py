from django.urls import path

from tracker.generic import export_urls

from . import views

app_name = "platforms"

urlpatterns = [
    path("platforms/", views.PlatformListView.as_view(), name="platform_list"),
    *export_urls("platforms/", views.PlatformListView.as_view(), "platform_export"),
    path("platforms/<int:pk>/", views.PlatformDetailView.as_view(), name="platform_detail"),
    path("platforms/<int:pk>/edit/", views.PlatformUpdateView.as_view(), name="platform_update"),
]

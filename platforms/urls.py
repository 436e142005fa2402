from django.urls import path

from . import views

app_name = "platforms"

urlpatterns = [
    path("platforms/<int:pk>/", views.PlatformDetailView.as_view(), name="platform_detail"),
]

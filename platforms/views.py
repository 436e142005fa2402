"""Platform pages, scoped to what the signed-in user may see."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView

from .models import Platform


class PlatformDetailView(LoginRequiredMixin, DetailView):
    model = Platform

    def get_queryset(self):
        return Platform.objects.visible_to(self.request.user).select_related("zone")

"""Project and enterprise pages, scoped to what the signed-in user may see."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView

from projects.models import Enterprise, Project


class ProjectDetailView(LoginRequiredMixin, DetailView):
    model = Project

    def get_queryset(self):
        return Project.objects.visible_to(self.request.user).select_related(
            "platform__zone", "enterprise"
        )


class EnterpriseDetailView(LoginRequiredMixin, DetailView):
    model = Enterprise

    def get_queryset(self):
        return Enterprise.objects.visible_to(self.request.user)

"""Site-wide views."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from platforms.models import Platform


class HomeView(LoginRequiredMixin, TemplateView):
    """Landing page: the platforms the signed-in user may see."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["platforms"] = Platform.objects.visible_to(self.request.user).select_related("zone")
        return context

"""FilterSet of the platform list. Choice lists are scoped: a user picks among zones they see."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import PlatformStatus, Sector
from .models import Platform, RecognitionList, Zone


def visible_zones(request):
    """Zone choices of the signed-in user (django-filter calls this with the request)."""
    if request is None:
        return Zone.objects.none()
    return Zone.objects.visible_to(request.user)


class PlatformFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    zone = django_filters.ModelChoiceFilter(label=_("Zone"), queryset=visible_zones)
    sector = django_filters.ChoiceFilter(label=_("Sector"), choices=Sector.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PlatformStatus.choices)
    recognition_list = django_filters.ModelChoiceFilter(
        label=_("Recognition list"),
        queryset=RecognitionList.objects.all(),
        method="filter_recognition_list",
    )

    class Meta:
        model = Platform
        fields = ["q", "zone", "sector", "status", "recognition_list"]

    def filter_q(self, queryset, name, value):
        """Name (Chinese or English) or operator."""
        return queryset.filter(
            Q(name__icontains=value)
            | Q(name_en__icontains=value)
            | Q(operator_name__icontains=value)
        )

    def filter_recognition_list(self, queryset, name, value):
        """Platforms with a *current* (not revoked) entry on that list."""
        return queryset.filter(
            recognitions__recognition_list=value, recognitions__revoked_on__isnull=True
        )

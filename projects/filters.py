"""FilterSets of the project and enterprise lists.

Choice lists come from the scoping querysets: a staff user is offered only their own platforms
(and a zone manager those of their zones), so a filter can never reveal another platform's name.
Every custom filter is followed directly by its ``filter_<name>`` method.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from platforms import access
from platforms.choices import Sector
from platforms.filters import visible_zones
from platforms.models import Platform
from tracker.validators import normalize_uscc

from .choices import ProjectStatus, Stage, Track
from .models import Enterprise, Project


def visible_platforms(request):
    if request is None:
        return Platform.objects.none()
    return Platform.objects.visible_to(request.user)


class ProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    platform = django_filters.ModelChoiceFilter(label=_("Platform"), queryset=visible_platforms)
    zone = django_filters.ModelChoiceFilter(
        label=_("Zone"), queryset=visible_zones, field_name="platform__zone"
    )
    sector = django_filters.ChoiceFilter(
        label=_("Sector"), choices=Sector.choices, field_name="platform__sector"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProjectStatus.choices)
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices)
    track = django_filters.ChoiceFilter(label=_("Track"), choices=Track.choices)
    start_year_from = django_filters.NumberFilter(
        label=_("Started from year"), field_name="start_on", lookup_expr="year__gte"
    )
    start_year_to = django_filters.NumberFilter(
        label=_("Started up to year"), field_name="start_on", lookup_expr="year__lte"
    )
    new_product = django_filters.BooleanFilter(
        label=_("New product"),
        widget=forms.Select(
            choices=[("", "---------"), ("true", _("Yes")), ("false", _("No"))],
        ),
    )
    min_gain = django_filters.NumberFilter(
        label=_("Minimum yield gain (pp)"), field_name="yield_gain_pp", lookup_expr="gte"
    )

    class Meta:
        model = Project
        fields = []

    def filter_q(self, queryset, name, value):
        """Code, title, product, client name, or the client's USCC (exact, any case).

        Title and product match only where the user may read them (``unmasked_projects_q``):
        otherwise a search would confirm a word of a confidential title that the page hides.
        """
        value = value.strip()
        if not value:
            return queryset
        user = self.request.user if self.request is not None else None
        readable_text = (Q(title__icontains=value) | Q(product__icontains=value)) & (
            access.unmasked_projects_q(user)
        )
        return queryset.filter(
            Q(code__icontains=value)
            | readable_text
            | Q(enterprise__name__icontains=value)
            | Q(enterprise__uscc=normalize_uscc(value))
        )


class EnterpriseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    sector = django_filters.ChoiceFilter(label=_("Sector"), choices=Sector.choices)

    class Meta:
        model = Enterprise
        fields = ["q", "sector", "size", "srdi_level", "is_high_tech"]

    def filter_q(self, queryset, name, value):
        """Name, or USCC (a prefix is enough)."""
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(uscc__startswith=normalize_uscc(value)))

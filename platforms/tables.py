"""Table of the platform list (sortable; the figures are annotated by the view from summaries)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from projects.reports.queries import yuan
from tracker.formatting import format_amount, format_count

from .models import Platform

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class CountColumn(tables.Column):
    """A count: thousands separators in English, none in Chinese (``format_count``)."""

    def __init__(self, **kwargs):
        super().__init__(attrs=NUM, **kwargs)

    def render(self, value):
        return format_count(value)


class FenColumn(tables.Column):
    """An amount annotated in fen: shown in 万元/亿元, exported as exact yuan."""

    def __init__(self, **kwargs):
        super().__init__(attrs=NUM, **kwargs)

    def render(self, value):
        return format_amount(yuan(value))


class PlatformTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    zone = tables.Column(verbose_name=_("Zone"), order_by=("zone__name",))
    project_count = CountColumn(verbose_name=_("Projects"))
    active_project_count = CountColumn(verbose_name=_("Active projects"))
    enterprise_count = CountColumn(verbose_name=_("Enterprises served"))
    service_revenue = FenColumn(
        verbose_name=_("Service revenue (yuan)"), accessor="revenue_fen", order_by=("revenue_fen",)
    )
    financing = FenColumn(
        verbose_name=_("Financing (yuan)"), accessor="financing_fen", order_by=("financing_fen",)
    )

    # On a phone each row is a card of these fields (tracker/table.html, tracker.css).
    card_title = "name"
    card_columns = ("name", "zone", "status", "project_count")

    # Exports keep exact yuan (``tracker.generic.export_values`` asks these).
    def value_service_revenue(self, value, record):
        return yuan(value)

    def value_financing(self, value, record):
        return yuan(value)

    class Meta:
        model = Platform
        fields = ["name", "zone", "sector", "status", "construction_model", "established_on"]
        sequence = [
            "name",
            "zone",
            "sector",
            "status",
            "project_count",
            "active_project_count",
            "enterprise_count",
            "service_revenue",
            "financing",
            "...",
        ]
        empty_text = _("No platform matches these filters.")

"""Table of the platform list (sortable; the project count is annotated by the view)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Platform


class PlatformTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    zone = tables.Column(verbose_name=_("Zone"), order_by=("zone__name",))
    project_count = tables.Column(
        verbose_name=_("Projects"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )

    # On a phone each row is a card of these fields (tracker/table.html, tracker.css).
    card_title = "name"
    card_columns = ("name", "zone", "status", "project_count")

    class Meta:
        model = Platform
        fields = ["name", "zone", "sector", "status", "construction_model", "established_on"]
        sequence = ["name", "zone", "sector", "status", "project_count", "..."]
        empty_text = _("No platform matches these filters.")

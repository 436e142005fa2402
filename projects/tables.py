"""Tables of the project and enterprise lists.

Amounts are rendered in 万元/亿元 on the page and exported in yuan as numbers; yields and gains
come from the stored yield summary, so sorting by them is a plain ORDER BY.

Title and product are a confidential project's secret: the columns read ``shown_title`` and
``shown_product`` (the queryset carries ``with_masking(user)``), so the page and both exports
show "Confidential project" to readers who may not see them, and sorting by them orders by
what is shown, so that the place of a masked row does not hint at its hidden words.
"""

import django_tables2 as tables
from django.db.models import Case, F, Q, TextField, Value, When
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import Confidentiality
from .models import Enterprise, Project

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class ProjectTable(tables.Table):
    code = tables.Column(verbose_name=_("Code"))
    title = tables.Column(verbose_name=_("Title"), accessor="shown_title")
    platform = tables.Column(verbose_name=_("Platform"), order_by=("platform__name",))
    enterprise = tables.Column(verbose_name=_("Enterprise"), order_by=("enterprise__name",))
    enterprise_uscc = tables.Column(
        verbose_name=_("USCC"), accessor="enterprise__uscc", visible=False
    )
    product = tables.Column(verbose_name=_("Product"), accessor="shown_product")
    service_revenue = tables.Column(verbose_name=_("Service revenue"), attrs=NUM)
    output_value = tables.Column(verbose_name=_("Output value"), attrs=NUM)
    yield_latest_pct = tables.Column(verbose_name=_("Latest yield (%)"), attrs=NUM)
    yield_gain_pp = tables.Column(verbose_name=_("Yield gain (pp)"), attrs=NUM)

    # On a phone each row is a card of these fields (tracker/table.html, tracker.css).
    card_title = "title"
    card_columns = ("code", "title", "stage", "status", "yield_latest_pct")

    class Meta:
        model = Project
        fields = [
            "code",
            "title",
            "platform",
            "enterprise",
            "enterprise_uscc",
            "product",
            "track",
            "stage",
            "status",
            "start_on",
            "end_on",
            "new_product",
            "service_revenue",
            "output_value",
            "yield_run_count",
            "yield_first_pct",
            "yield_latest_pct",
            "yield_gain_pp",
        ]
        # Shown on the page; the rest only in exports.
        exclude = ()
        empty_text = _("No project matches these filters.")
        # Cells are rendered by the template, straight from the record (see its comment).
        template_name = "projects/project_table.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("product", "track", "end_on", "yield_run_count", "yield_first_pct"):
            self.columns.hide(name)

    def order_title(self, queryset, is_descending):
        return _order_by_shown(queryset, "title", is_descending), True

    def order_product(self, queryset, is_descending):
        return _order_by_shown(queryset, "product", is_descending), True


def _order_by_shown(queryset, field: str, is_descending: bool):
    """Order by the text as shown (masked rows as "Confidential project"), then by id.

    Reads the ``is_masked`` annotation of ``with_masking``; without it, fails safe and orders
    every confidential row as masked."""
    if "is_masked" in queryset.query.annotations:
        masked = Q(is_masked=True)
    else:
        masked = Q(confidentiality=Confidentiality.CONFIDENTIAL)
    shown = Case(
        When(masked, then=Value(gettext("Confidential project"))),
        default=F(field),
        output_field=TextField(),
    )
    key = queryset.annotate(**{f"shown_{field}_key": shown})
    prefix = "-" if is_descending else ""
    return key.order_by(f"{prefix}shown_{field}_key", f"{prefix}pk")


class EnterpriseTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    project_count = tables.Column(verbose_name=_("Visible projects"), attrs=NUM)

    card_title = "name"
    card_columns = ("name", "uscc", "sector", "project_count")

    class Meta:
        model = Enterprise
        fields = ["name", "uscc", "sector", "size", "srdi_level", "is_high_tech", "founded_on"]
        sequence = ["name", "uscc", "...", "project_count"]
        empty_text = _("No enterprise matches these filters.")

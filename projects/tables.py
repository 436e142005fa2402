"""Tables of the project and enterprise lists.

Amounts are rendered in 万元/亿元 on the page and exported in yuan as numbers; yields and gains
come from the stored yield summary, so sorting by them is a plain ORDER BY.

Title and product are a confidential project's secret: the columns read ``shown_title`` and
``shown_product`` (the queryset carries ``with_masking(user)``), so the page and both exports
show "Confidential project" to readers who may not see them.

Only columns an index serves with the id as tie-breaker are sortable (``SORTABLE``): at a
million projects any other sort reads and sorts the whole table for every page. The rest
(texts, names, choices) are filtered instead of sorted.
"""

import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import Enterprise, Project

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}
# Sortable: a column served by an index (Project.Meta.indexes, the unique code); the tables
# are unsortable by default (Meta.orderable) and name these columns ``orderable=True``.
SORTABLE = {"orderable": True}


def model_label(model, field: str):
    """The header django-tables2 gives a model column (its field's name, capitalised)."""
    return capfirst(model._meta.get_field(field).verbose_name)


class ProjectTable(tables.Table):
    code = tables.Column(verbose_name=_("Code"), **SORTABLE)
    title = tables.Column(verbose_name=_("Title"), accessor="shown_title")
    platform = tables.Column(verbose_name=_("Platform"), order_by=("platform__name",))
    enterprise = tables.Column(verbose_name=_("Enterprise"), order_by=("enterprise__name",))
    enterprise_uscc = tables.Column(
        verbose_name=_("USCC"), accessor="enterprise__uscc", visible=False
    )
    product = tables.Column(verbose_name=_("Product"), accessor="shown_product")
    start_on = tables.Column(verbose_name=model_label(Project, "start_on"), **SORTABLE)
    service_revenue = tables.Column(verbose_name=_("Service revenue"), attrs=NUM, **SORTABLE)
    output_value = tables.Column(verbose_name=_("Output value"), attrs=NUM, **SORTABLE)
    yield_latest_pct = tables.Column(verbose_name=_("Latest yield (%)"), attrs=NUM)
    yield_gain_pp = tables.Column(verbose_name=_("Yield gain (pp)"), attrs=NUM, **SORTABLE)

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
        orderable = False
        # Cells are rendered by the template, straight from the record (see its comment).
        template_name = "projects/project_table.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("product", "track", "end_on", "yield_run_count", "yield_first_pct"):
            self.columns.hide(name)


class EnterpriseTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True, **SORTABLE)
    uscc = tables.Column(verbose_name=model_label(Enterprise, "uscc"), **SORTABLE)
    project_count = tables.Column(verbose_name=_("Visible projects"), attrs=NUM)

    card_title = "name"
    card_columns = ("name", "uscc", "sector", "project_count")

    class Meta:
        model = Enterprise
        fields = ["name", "uscc", "sector", "size", "srdi_level", "is_high_tech", "founded_on"]
        sequence = ["name", "uscc", "...", "project_count"]
        empty_text = _("No enterprise matches these filters.")
        orderable = False

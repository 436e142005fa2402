"""Export in the import format, so that a file taken out can be brought back unchanged.

Choices are written as their stored values, amounts as numeric cells in yuan, dates as date
cells; text that a spreadsheet would run as a formula is prefixed with an apostrophe
(``tracker.exports.escape_cell``), which the import removes again. Rows are streamed from the
database with ``iterator()`` into a write-only workbook, so exporting a million runs does not
load them all.

A confidential project's title, product and description are written as "Confidential project"
for a reader who may not see them (``shown_text``), as on every page; the command line
exports as an administrator and writes them all.
"""

from django.db.models import QuerySet

from platforms.models import Platform, Recognition
from projects.models import HIDDEN_TEXT_FIELDS, Enterprise, Financing, Project, YieldRun, shown_text
from tracker.exports import xlsx_bytes

from .columns import KINDS, SHEETS, header_for

# Column field → the database path of the value written for it.
PATHS = {
    "platforms": {"zone": "zone__name"},
    "projects": {"platform": "platform__name", "enterprise": "enterprise__uscc"},
    "yield_runs": {"project": "project__code"},
    "financing": {"project": "project__code"},
}
ORDER = {
    "platforms": ["name"],
    "enterprises": ["uscc"],
    "projects": ["code"],
    "yield_runs": ["project__code", "stage", "sequence"],
    "financing": ["project__code", "date", "pk"],
}


def querysets(platforms: QuerySet) -> dict[str, QuerySet]:
    """What an export of these platforms contains: their projects, clients, runs, financing."""
    projects = Project.objects.filter(platform__in=platforms.values("pk"))
    return {
        "platforms": Platform.objects.filter(pk__in=platforms.values("pk")),
        "enterprises": Enterprise.objects.filter(pk__in=projects.values("enterprise_id")),
        "projects": projects,
        "yield_runs": YieldRun.objects.filter(project__in=projects.values("pk")),
        "financing": Financing.objects.filter(project__in=projects.values("pk")),
    }


def _rows(kind: str, queryset: QuerySet, user):
    spec = SHEETS[kind]
    paths = [PATHS.get(kind, {}).get(c.field, c.field) for c in spec.columns]
    if kind == "projects":
        paths = [shown_text(p, user) if p in HIDDEN_TEXT_FIELDS else p for p in paths]
    lists = "recognition_lists" in paths
    if lists:
        paths[paths.index("recognition_lists")] = "pk"
        names = {}
        recognitions = Recognition.objects.current().filter(platform__in=queryset.values("pk"))
        for platform_id, name in recognitions.order_by("recognition_list__name").values_list(
            "platform_id", "recognition_list__name"
        ):
            names.setdefault(platform_id, []).append(name)
    rows = queryset.order_by(*ORDER[kind]).values_list(*paths).iterator(chunk_size=2000)
    for row in rows:
        if lists:
            row = list(row)
            index = paths.index("pk")
            row[index] = "; ".join(names.get(row[index], []))
        yield row


def export_workbook(platforms: QuerySet, user, language: str = "en") -> bytes:
    """The .xlsx bytes of every sheet for the given platforms, headers in ``language``, with
    confidential text masked for ``user`` (the reader; the command line passes an
    administrator)."""
    sets = querysets(platforms)
    sheets = []
    for kind in KINDS:
        header = [header_for(column, language) for column in SHEETS[kind].columns]
        sheets.append((kind, header, _rows(kind, sets[kind], user)))
    return xlsx_bytes(sheets)

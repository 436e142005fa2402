"""Export in the import format, so that a file taken out can be brought back unchanged.

Choices are written as their stored values, amounts as numeric cells in yuan, dates as date
cells; text that a spreadsheet would run as a formula is prefixed with an apostrophe
(``tracker.exports.escape_cell``), which the import removes again. Rows are streamed from the
database with ``iterator()`` into a write-only workbook, so exporting a million runs does not
load them all.
"""

from django.db.models import QuerySet

from platforms.models import Platform, Recognition
from projects.models import Enterprise, Financing, Project, YieldRun
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


def _rows(kind: str, queryset: QuerySet):
    spec = SHEETS[kind]
    paths = [PATHS.get(kind, {}).get(c.field, c.field) for c in spec.columns]
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


def export_workbook(platforms: QuerySet, language: str = "en") -> bytes:
    """The .xlsx bytes of every sheet for the given platforms, headers in ``language``."""
    sets = querysets(platforms)
    sheets = []
    for kind in KINDS:
        header = [header_for(column, language) for column in SHEETS[kind].columns]
        sheets.append((kind, header, _rows(kind, sets[kind])))
    return xlsx_bytes(sheets)

"""The demo's reporting round: ``2025`` for the Chengdu zone, with something in every status.

The Hummingbird platform's return is approved (so the official roll-up shows the published
case), a few others are submitted, one is returned with the manager's comment, two are drafts
and the rest not started. Everything goes through ``projects.returns.services``, as the pages
do; a second run finds the round and writes nothing.
"""

import datetime as dt

from projects.returns import services
from projects.returns.models import PeriodReturn, ReportingPeriod

CODE = "2025"
DUE = dt.date(2026, 1, 31)
# A minimal well-formed PDF: the demo's "signed and stamped return".
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
MANUAL = {"grants": 0, "staff_headcount": 40, "incubated_firms": 3}
EXPLANATION = "2025年度报表：数据取自平台项目台账，已核对。"


def seed_round(seeder, users) -> None:
    """Open round 2025 for Chengdu and move its returns through the demo's statuses."""
    if ReportingPeriod.objects.filter(code=CODE).exists():
        return
    round_ = services.open_round(CODE, DUE, seeder.chengdu, users["admin"])
    returns = list(
        PeriodReturn.objects.filter(period=round_)
        .select_related("period", "platform")
        .order_by("platform__name")
    )
    seeder._count("period returns", len(returns))
    hummingbird = next(item for item in returns if item.platform_id == seeder.hummingbird.pk)
    others = [item for item in returns if item is not hummingbird]
    _submit(hummingbird, users["staff"])
    services.approve(hummingbird, users["manager"])
    for item in others[:3]:
        _submit(item, users["admin"])
    returned = others[3]
    _submit(returned, users["admin"])
    services.send_back(returned, users["manager"], "请补充财政资助到账凭证，并核对新增项目数。")
    for item in others[4:6]:
        services.save_draft(item, users["admin"], {**MANUAL, "explanation": ""})


def _submit(period_return, user):
    services.save_draft(period_return, user, {**MANUAL, "explanation": EXPLANATION})
    services.add_evidence(period_return, user, _pdf())
    services.submit(period_return, user)


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("2025年度报表（盖章）.pdf", DEMO_PDF, content_type="application/pdf")

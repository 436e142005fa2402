"""The demo's round 2025 for Chengdu: Hummingbird approved, others in every other status, and
the official roll-up resting on it."""

import json
from io import StringIO

from django.core.management import call_command

from projects.returns.models import PeriodReturn


def test_the_demo_round_has_every_status(demo, db):
    statuses = dict(
        PeriodReturn.objects.filter(period__code="2025")
        .values_list("status")
        .annotate(**{"n": __import__("django.db.models", fromlist=["Count"]).Count("pk")})
    )
    assert statuses["approved"] == 1
    assert statuses["submitted"] == 3
    assert statuses["returned"] == 1
    assert statuses["draft"] == 2
    assert statuses["not_started"] == 96 - 7
    approved = PeriodReturn.objects.get(status="approved")
    assert approved.platform.name == "成都高新蜂鸟智能硬件中试平台"
    assert approved.project_rows.count() == approved.projects_cumulative > 0


def test_rollup_on_returns_from_the_command_line(demo, db):
    out = StringIO()
    call_command("rollup", period="2025", basis="returns", zone="成都高新区", stdout=out)
    data = json.loads(out.getvalue())
    approved = PeriodReturn.objects.get(status="approved")
    assert data["basis"] == "returns"
    assert data["as_of"] == "2025-12-31"
    assert (data["returns_expected"], data["returns_approved"]) == (96, 1)
    assert data["projects"] == approved.projects_cumulative
    assert data["platforms"] == 1
    out = StringIO()
    call_command("rollup", period="2025", basis="returns", format="text", stdout=out)
    assert "数据截至2025年12月31日，依据" in out.getvalue()
    assert "家已审核报表" in out.getvalue()

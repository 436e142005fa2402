"""Fixtures of the reporting-round tests: a private MEDIA_ROOT per test, evidence files, and a
round for zone 1 of the ``world`` with projects on platform A."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects.choices import ProjectStatus
from projects.returns import services
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16 + b"IEND\xaeB`\x82"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16 + b"\xff\xd9"


def upload(content=PDF, name="return.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def round_2025(world):
    """Round 2025 for zone 1 (platforms A and B expected), opened by the zone's manager.

    Platform A has three projects: one started in 2024 (completed, with financing in 2024 and
    2025 and two yield runs), two started in 2025 (one in progress, one an intent), and one
    starting in 2026 that the 2025 return must not count.
    """
    a = world["platform_a"]
    old = factories.ProjectFactory(
        platform=a,
        start_on=dt.date(2024, 3, 1),
        end_on=dt.date(2025, 2, 1),
        status=ProjectStatus.COMPLETED,
        new_product=True,
        service_revenue=Decimal("300000.00"),
        output_value=Decimal("2000000.00"),
    )
    factories.YieldRunFactory(project=old, measured_on=dt.date(2024, 5, 1), units_passed=40)
    factories.YieldRunFactory(project=old, measured_on=dt.date(2025, 5, 1), units_passed=90)
    factories.YieldRunFactory(project=old, measured_on=dt.date(2026, 1, 5), units_passed=99)
    factories.FinancingFactory(project=old, date=dt.date(2024, 6, 1), amount=Decimal("1000000"))
    factories.FinancingFactory(project=old, date=dt.date(2025, 6, 1), amount=Decimal("2000000"))
    factories.ProjectFactory(
        platform=a,
        enterprise=old.enterprise,
        start_on=dt.date(2025, 4, 1),
        status=ProjectStatus.IN_PROGRESS,
        service_revenue=Decimal("200000.00"),
        output_value=Decimal("0"),
    )
    factories.ProjectFactory(
        platform=a,
        start_on=dt.date(2025, 12, 31),
        status=ProjectStatus.INTENT,
        service_revenue=Decimal("0"),
        output_value=Decimal("0"),
    )
    factories.ProjectFactory(platform=a, start_on=dt.date(2026, 1, 1))
    return services.open_round("2025", dt.date(2026, 1, 31), world["zone1"], world["manager"])


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English (the msgids); a test about Chinese words sets zh-hans."""
    settings.LANGUAGE_CODE = "en"

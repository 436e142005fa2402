"""A small data set for the report tests, with every figure computed by hand in its docstring.

Built on the ``world`` fixture (zone 1 with platforms A and B, zone 2 with platform C; each zone
in its own province). Import the fixture into a test module to use it.
"""

import datetime as dt
from decimal import Decimal

import pytest

from platforms.choices import ListLevel, Sector
from projects.choices import (
    Confidentiality,
    FinancingInstrument,
    FinancingRound,
    InvestorType,
    Stage,
)
from tests import factories


@pytest.fixture(autouse=True)
def empty_report_cache():
    """Cached headlines are keyed by the data version, which restarts with every test database
    transaction: start each test with an empty cache so no test reads another's figures."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def fast_passwords(settings):
    """The ``world`` users are created with passwords; hash them cheaply in these tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _runs(project, *pairs):
    """Yield runs measured a month apart, (passed, tested) each, in order."""
    for month, (passed, tested) in enumerate(pairs, start=2):
        factories.YieldRunFactory(
            project=project,
            stage=Stage.DVT,
            sequence=month - 1,
            measured_on=dt.date(project.start_on.year, month, 1),
            units_passed=passed,
            units_tested=tested,
        )


@pytest.fixture
def report_world(fast_passwords, world):
    """The hand-computed figures (zone 1 = what ``manager`` sees).

    Recognitions: MIIT key list L1 (batch 1): A current, B revoked, C current; a provincial list
    with B (does not count). Zone 1's province has 4 entries on L1; zone 2's province none.

    | project | platform | enterprise | start | revenue | output  | new | runs (yield %)  | gain |
    |---------|----------|------------|-------|---------|---------|-----|-----------------|------|
    | A1      | A        | E1         | 2023  | 100.10  | 1000.00 | yes | 40 → 90         | 50   |
    | A2 conf.| A        | E1         | 2024  | 200.20  | 0.00    | no  | 50 → 60 → 80    | 30   |
    | A3      | A        | E2         | 2024  | 0.30    | 500.55  | no  | 95 (one run)    | —    |
    | B1      | B        | E2         | 2024  | 1000.00 | 2000.00 | yes | none            | —    |
    | C1      | C        | E3         | 2025  | 5.00    | 7.00    | no  | 80 → 70         | −10  |

    Financing: A1 1,000,000.01 (A, equity, VC/PE, 2023) and 0.02 (angel, bank loan, bank, 2024);
    B1 300.00 (seed, equity, guidance fund, 2024); C1 50.00 (strategic, other, corporate, 2025).
    """
    w = dict(world)
    w["platform_b"].sector = Sector.RAW_MATERIALS
    w["platform_b"].save()
    key_list = factories.RecognitionListFactory(
        name="工信部首批重点培育中试平台", level=ListLevel.MIIT_KEY, batch=1
    )
    provincial = factories.RecognitionListFactory(name="省级中试平台", level=ListLevel.PROVINCIAL)
    factories.RecognitionFactory(platform=w["platform_a"], recognition_list=key_list)
    factories.RecognitionFactory(
        platform=w["platform_b"], recognition_list=key_list, revoked_on=dt.date(2025, 6, 1)
    )
    factories.RecognitionFactory(platform=w["platform_c"], recognition_list=key_list)
    factories.RecognitionFactory(platform=w["platform_b"], recognition_list=provincial)
    factories.ProvinceListTotalFactory(
        recognition_list=key_list, province=w["zone1"].province, entries=4
    )
    e1, e2, e3 = (factories.EnterpriseFactory() for _ in range(3))

    def project(code, platform, enterprise, year, revenue, output, **extra):
        return factories.ProjectFactory(
            code=code,
            title=f"{code} 标题",
            product=f"{code} 产品",
            platform=w[platform],
            enterprise=enterprise,
            start_on=dt.date(year, 1, 10),
            service_revenue=Decimal(revenue),
            output_value=Decimal(output),
            **extra,
        )

    w["a1"] = project("A1", "platform_a", e1, 2023, "100.10", "1000.00", new_product=True)
    w["a1"].stage = Stage.PVT
    w["a1"].save()
    w["a2"] = project(
        "A2", "platform_a", e1, 2024, "200.20", "0.00", confidentiality=Confidentiality.CONFIDENTIAL
    )
    w["a3"] = project("A3", "platform_a", e2, 2024, "0.30", "500.55")
    w["b1"] = project("B1", "platform_b", e2, 2024, "1000.00", "2000.00", new_product=True)
    w["c1"] = project("C1", "platform_c", e3, 2025, "5.00", "7.00", stage=Stage.MP)
    _runs(w["a1"], (4, 10), (9, 10))
    _runs(w["a2"], (50, 100), (60, 100), (80, 100))
    _runs(w["a3"], (19, 20))
    _runs(w["c1"], (8, 10), (7, 10))

    def financing(project, amount, day, round_, instrument, investor_type):
        factories.FinancingFactory(
            project=project,
            amount=Decimal(amount),
            date=day,
            round=round_,
            instrument=instrument,
            investor_type=investor_type,
        )

    financing(
        w["a1"],
        "1000000.01",
        dt.date(2023, 6, 1),
        FinancingRound.A,
        FinancingInstrument.EQUITY,
        InvestorType.VC_PE,
    )
    financing(
        w["a1"],
        "0.02",
        dt.date(2024, 2, 1),
        FinancingRound.ANGEL,
        FinancingInstrument.BANK_LOAN,
        InvestorType.BANK,
    )
    financing(
        w["b1"],
        "300.00",
        dt.date(2024, 7, 1),
        FinancingRound.SEED,
        FinancingInstrument.EQUITY,
        InvestorType.GUIDANCE_FUND,
    )
    financing(
        w["c1"],
        "50.00",
        dt.date(2025, 3, 1),
        FinancingRound.STRATEGIC,
        FinancingInstrument.OTHER,
        InvestorType.CORPORATE,
    )
    w["key_list"] = key_list
    return w

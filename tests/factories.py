"""Factories for tests: every record is built from defaults that pass validation.

Sequences give unique names and codes; USCCs are generated with a correct check character so
that factories never trip the GB 32100-2015 validator by accident.
"""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from platforms.choices import ListLevel, Sector
from platforms.models import (
    Platform,
    PlatformMembership,
    Province,
    ProvinceListTotal,
    Recognition,
    RecognitionList,
    Zone,
    ZoneMembership,
)
from projects.choices import FinancingInstrument, FinancingRound, InvestorType, Stage, Track
from projects.models import Enterprise, Financing, Project, YieldRun
from tracker.validators import uscc_check_character


def make_uscc(n: int) -> str:
    """A valid USCC for serial number n (region 510100, organisation code from n)."""
    first17 = f"91510100{n:09d}"
    return first17 + uscc_check_character(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"省{n}")
    name_en = factory.Sequence(lambda n: f"Province {n}")
    code = factory.Sequence(lambda n: f"{10 + n % 90:02d}")


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    name = factory.Sequence(lambda n: f"高新区{n}")
    name_en = factory.Sequence(lambda n: f"High-tech Zone {n}")
    province = factory.SubFactory(ProvinceFactory)
    city = "成都"


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform

    name = factory.Sequence(lambda n: f"中试平台{n}")
    name_en = factory.Sequence(lambda n: f"Pilot Platform {n}")
    zone = factory.SubFactory(ZoneFactory)
    sector = Sector.INFORMATION_TECHNOLOGY


class RecognitionListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecognitionList

    name = factory.Sequence(lambda n: f"重点培育中试平台名单{n}")
    level = ListLevel.MIIT_KEY
    issuer = "工业和信息化部"
    batch = 1


class RecognitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recognition

    platform = factory.SubFactory(PlatformFactory)
    recognition_list = factory.SubFactory(RecognitionListFactory)
    granted_on = dt.date(2025, 1, 1)


class ProvinceListTotalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProvinceListTotal

    recognition_list = factory.SubFactory(RecognitionListFactory)
    province = factory.SubFactory(ProvinceFactory)
    entries = 16


class PlatformMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlatformMembership

    user = factory.SubFactory(UserFactory)
    platform = factory.SubFactory(PlatformFactory)


class ZoneMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ZoneMembership

    user = factory.SubFactory(UserFactory)
    zone = factory.SubFactory(ZoneFactory)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"成都示例科技有限公司{n}")
    uscc = factory.Sequence(make_uscc)
    sector = Sector.INFORMATION_TECHNOLOGY


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"P-{n:06d}")
    platform = factory.SubFactory(PlatformFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    title = factory.Sequence(lambda n: f"智能模组小批量试产{n}")
    product = "智能相机模组"
    track = Track.DISCRETE
    stage = Stage.DVT
    start_on = dt.date(2024, 1, 1)
    service_revenue = Decimal("100000.00")
    output_value = Decimal("1000000.00")


class YieldRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YieldRun

    project = factory.SubFactory(ProjectFactory)
    stage = Stage.DVT
    sequence = factory.Sequence(lambda n: n + 1)
    measured_on = dt.date(2024, 3, 1)
    units_tested = 100
    units_passed = 80


class FinancingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Financing

    project = factory.SubFactory(ProjectFactory)
    date = dt.date(2024, 6, 1)
    round = FinancingRound.A
    instrument = FinancingInstrument.EQUITY
    # One row per project, date, round, instrument and investor: a distinct investor each.
    investor = factory.Sequence(lambda n: f"成都科创投{n}号基金")
    investor_type = InvestorType.GUIDANCE_FUND
    amount = Decimal("5000000.00")


def client_of(platform, **fields) -> Enterprise:
    """An enterprise the platform already serves (one project of it), so that the platform's
    staff may name it by credit code alone (``platforms.access.enterprises_linkable_by``)."""
    enterprise = EnterpriseFactory(**fields)
    ProjectFactory(platform=platform, enterprise=enterprise)
    return enterprise

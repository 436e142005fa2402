"""Every rule is enforced twice: model validation with a clear message, and a named database
constraint that refuses the bad row even from code that skips validation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from platforms.models import Platform, ProvinceListTotal, Recognition
from projects.models import Enterprise, Financing, Project, YieldRun
from tests import factories

pytestmark = pytest.mark.django_db


def assert_db_refuses(action):
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


# --- Enterprise -------------------------------------------------------------------------------


def test_enterprise_with_wrong_check_character_fails_validation_on_the_uscc_field():
    enterprise = factories.EnterpriseFactory.build(uscc="91350100M000100Y44")
    with pytest.raises(ValidationError) as error:
        enterprise.full_clean()
    assert "uscc" in error.value.message_dict


def test_enterprise_uscc_is_stored_upper_case_after_clean():
    enterprise = factories.EnterpriseFactory.build(uscc="91350100m000100y43")
    enterprise.full_clean()
    assert enterprise.uscc == "91350100M000100Y43"


def test_database_refuses_lower_case_or_short_uscc():
    assert_db_refuses(lambda: Enterprise.objects.bulk_create([Enterprise(name="x", uscc="abc")]))
    assert_db_refuses(
        lambda: Enterprise.objects.bulk_create([Enterprise(name="x", uscc="91350100m000100y43")])
    )


def test_database_refuses_a_second_enterprise_with_the_same_uscc():
    factories.EnterpriseFactory(uscc="91350100M000100Y43")
    assert_db_refuses(lambda: factories.EnterpriseFactory(uscc="91350100M000100Y43"))


# --- Platform ---------------------------------------------------------------------------------


def test_platform_operator_uscc_is_optional_but_validated():
    platform = factories.PlatformFactory.build(zone=factories.ZoneFactory(), operator_uscc="")
    platform.full_clean()
    platform.operator_uscc = "91350100M000100Y44"
    with pytest.raises(ValidationError) as error:
        platform.full_clean()
    assert "operator_uscc" in error.value.message_dict


def test_database_refuses_unknown_sector():
    platform = factories.PlatformFactory()
    assert_db_refuses(lambda: Platform.objects.filter(pk=platform.pk).update(sector="mining"))


def test_zone_cannot_be_deleted_while_it_hosts_platforms():
    platform = factories.PlatformFactory()
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        platform.zone.delete()


def test_recognition_is_unique_per_platform_and_list():
    recognition = factories.RecognitionFactory()
    assert_db_refuses(
        lambda: Recognition.objects.create(
            platform=recognition.platform, recognition_list=recognition.recognition_list
        )
    )


def test_recognition_cannot_be_revoked_before_it_was_granted():
    recognition = factories.RecognitionFactory(granted_on=dt.date(2025, 1, 1))
    recognition.revoked_on = dt.date(2024, 12, 31)
    with pytest.raises(ValidationError):
        recognition.full_clean()
    assert_db_refuses(
        lambda: Recognition.objects.filter(pk=recognition.pk).update(
            revoked_on=dt.date(2024, 12, 31)
        )
    )


def test_revoked_recognitions_are_not_current():
    current = factories.RecognitionFactory()
    factories.RecognitionFactory(revoked_on=dt.date(2025, 6, 1))
    assert list(Recognition.objects.current()) == [current]


def test_province_total_needs_at_least_one_entry():
    total = factories.ProvinceListTotalFactory()
    assert_db_refuses(lambda: ProvinceListTotal.objects.filter(pk=total.pk).update(entries=0))


# --- Project ----------------------------------------------------------------------------------


def test_project_end_before_start_is_refused_by_validation_and_database():
    project = factories.ProjectFactory(start_on=dt.date(2024, 5, 1))
    project.end_on = dt.date(2024, 4, 30)
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "end_on" in error.value.message_dict
    assert_db_refuses(
        lambda: Project.objects.filter(pk=project.pk).update(end_on=dt.date(2024, 4, 30))
    )


@pytest.mark.parametrize("field", ["service_revenue", "output_value"])
def test_negative_money_is_refused_by_validation_and_database(field):
    project = factories.ProjectFactory()
    setattr(project, field, Decimal("-0.01"))
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert field in error.value.message_dict
    assert_db_refuses(lambda: Project.objects.filter(pk=project.pk).update(**{field: -1}))


def test_a_process_project_cannot_be_in_a_discrete_stage():
    project = factories.ProjectFactory(track="process", stage="PILOT")
    project.stage = "DVT"
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "stage" in error.value.message_dict
    assert_db_refuses(lambda: Project.objects.filter(pk=project.pk).update(stage="DVT"))


def test_project_code_is_unique():
    factories.ProjectFactory(code="CD-2024-001")
    assert_db_refuses(lambda: factories.ProjectFactory(code="CD-2024-001"))


def test_platform_with_projects_cannot_be_deleted():
    project = factories.ProjectFactory()
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        project.platform.delete()


# --- Yield runs -------------------------------------------------------------------------------


def test_passed_above_tested_is_refused_by_validation_and_database():
    run = factories.YieldRunFactory(units_tested=100, units_passed=90)
    run.units_passed = 101
    with pytest.raises(ValidationError) as error:
        run.full_clean()
    assert "units_passed" in error.value.message_dict
    assert_db_refuses(lambda: YieldRun.objects.filter(pk=run.pk).update(units_passed=101))


def test_zero_units_tested_is_refused_by_validation_and_database():
    run = factories.YieldRunFactory()
    run.units_tested = 0
    run.units_passed = 0
    with pytest.raises(ValidationError) as error:
        run.full_clean()
    assert "units_tested" in error.value.message_dict
    assert_db_refuses(
        lambda: YieldRun.objects.filter(pk=run.pk).update(units_tested=0, units_passed=0)
    )


def test_first_pass_units_cannot_exceed_passed():
    run = factories.YieldRunFactory(units_tested=100, units_passed=80)
    run.first_pass_units = 81
    with pytest.raises(ValidationError) as error:
        run.full_clean()
    assert "first_pass_units" in error.value.message_dict
    assert_db_refuses(lambda: YieldRun.objects.filter(pk=run.pk).update(first_pass_units=81))


def test_a_run_cannot_be_measured_before_the_project_started():
    project = factories.ProjectFactory(start_on=dt.date(2024, 3, 1))
    run = factories.YieldRunFactory.build(project=project, measured_on=dt.date(2024, 2, 28))
    with pytest.raises(ValidationError) as error:
        run.full_clean()
    assert "measured_on" in error.value.message_dict


def test_stage_and_sequence_are_unique_within_a_project():
    run = factories.YieldRunFactory(stage="DVT", sequence=1)
    duplicate = factories.YieldRunFactory.build(project=run.project, stage="DVT", sequence=1)
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    assert_db_refuses(lambda: YieldRun.objects.bulk_create([duplicate]))


def test_database_refuses_sequence_zero():
    run = factories.YieldRunFactory()
    assert_db_refuses(lambda: YieldRun.objects.filter(pk=run.pk).update(sequence=0))


# --- Financing --------------------------------------------------------------------------------


def test_financing_amount_must_be_positive():
    financing = factories.FinancingFactory()
    financing.amount = Decimal(0)
    with pytest.raises(ValidationError) as error:
        financing.full_clean()
    assert "amount" in error.value.message_dict
    assert_db_refuses(lambda: Financing.objects.filter(pk=financing.pk).update(amount=0))


def test_a_project_with_financing_cannot_be_deleted():
    financing = factories.FinancingFactory()
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        financing.project.delete()


def test_money_is_kept_exact_to_the_fen():
    project = factories.ProjectFactory(service_revenue=Decimal("1834567890.12"))
    project.refresh_from_db()
    assert project.service_revenue == Decimal("1834567890.12")


def test_every_model_has_a_readable_str():
    financing = factories.FinancingFactory()
    run = factories.YieldRunFactory(project=financing.project, stage="PVT", sequence=2)
    assert str(run) == "PVT#2"
    assert financing.project.code in str(financing)
    assert str(financing.project.platform) == financing.project.platform.name

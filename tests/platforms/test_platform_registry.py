"""The platform registry is reference data: staff keep their platform's description current,
administrators change everything else (zone, status, sector, construction model, operator,
dates, recognitions), through the admin site or an import of theirs.

A = platform_a (zone 1, 成都), staff_a its staff; B = platform_b (zone 1); C = platform_c
(zone 2, 昆山); manager reads zone 1. Every refusal asserts that nothing of the file was written.
"""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from platforms import access
from platforms.choices import ConstructionModel, PlatformStatus, Sector
from platforms.forms import PlatformForm
from platforms.models import Platform, Recognition, Zone
from projects.imports.choices import ImportOutcome
from projects.imports.exporting import export_workbook
from projects.imports.workbook_template import template_bytes
from tests import factories
from tests.imports.helpers import counts, messages, row_counts, run_import, write_xlsx
from tests.workspace import english

pytestmark = pytest.mark.django_db

HEADER = ["name", "zone", "sector", "status"]


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def key_list(world):
    """The MIIT key list, with platform B on it: zone 1 has one key platform."""
    recognition = factories.RecognitionFactory(
        platform=world["platform_b"], recognition_list__name="工信部首批重点培育中试平台名单"
    )
    return recognition.recognition_list


def platform_row(platform, **changes):
    """A platforms row repeating every stored value of ``platform``, with ``changes``."""
    values = {
        "name": platform.name,
        "name_en": platform.name_en,
        "zone": platform.zone.name,
        "sector": platform.sector,
        "operator_name": platform.operator_name,
        "operator_uscc": platform.operator_uscc,
        "construction_model": platform.construction_model,
        "established_on": platform.established_on,
        "status": platform.status,
        "description": platform.description,
        "contact_name": platform.contact_name,
        "contact_phone": platform.contact_phone,
        "recognition_lists": "; ".join(
            platform.recognitions.current()
            .order_by("recognition_list__name")
            .values_list("recognition_list__name", flat=True)
        ),
    }
    values.update(changes)
    return list(values), list(values.values())


def import_platform_row(tmp_path, user, platform, **changes):
    header, row = platform_row(platform, **changes)
    path = write_xlsx(tmp_path / "platforms.xlsx", {"platforms": [header, row]})
    return run_import(path, user=user)


def rollup(client, user) -> dict:
    """The manager's headline, computed afresh (the report cache is emptied first)."""
    cache.clear()
    client.force_login(user)
    with translation.override("en"):  # the request activates the page language; restore it
        return client.get(reverse("reports:rollup_json")).json()


def snapshot(platform) -> dict:
    platform.refresh_from_db()
    return {
        field.attname: getattr(platform, field.attname) for field in Platform._meta.concrete_fields
    }


# --- the import: protected columns ----------------------------------------------------------


def test_a_staff_import_putting_their_platform_on_the_key_list_is_refused_and_counts_stay(
    client, world, key_list, tmp_path
):
    before = rollup(client, world["manager"])
    assert (before["platforms"], before["key_platforms"]) == (2, 1)
    counts, recognitions = row_counts(), Recognition.objects.count()

    batch = import_platform_row(
        tmp_path, world["staff_a"], world["platform_a"], recognition_lists=key_list.name
    )

    assert batch.outcome == ImportOutcome.INVALID
    assert [(e["column"], e["row"]) for e in batch.errors] == [("recognition_lists", 2)]
    assert "Only administrators grant recognitions" in batch.errors[0]["message"]
    assert (row_counts(), Recognition.objects.count()) == (counts, recognitions)
    after = rollup(client, world["manager"])
    assert (after["platforms"], after["key_platforms"]) == (2, 1)


def test_a_staff_import_moving_their_platform_to_another_zone_and_closing_it_is_refused(
    client, world, tmp_path
):
    before = snapshot(world["platform_a"])
    batch = import_platform_row(
        tmp_path,
        world["staff_a"],
        world["platform_a"],
        zone=world["zone2"].name,
        status=PlatformStatus.CLOSED,
        description="新简介",  # a staff field: not written either, the file is all or nothing
    )
    assert batch.outcome == ImportOutcome.INVALID
    assert sorted(e["column"] for e in batch.errors) == ["status", "zone"]
    assert all("Only administrators change" in message for message in messages(batch))
    assert snapshot(world["platform_a"]) == before
    # The platform stays in its manager's view and figures.
    assert rollup(client, world["manager"])["platforms"] == 2
    client.force_login(world["manager"])
    assert client.get(world["platform_a"].get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("zone", "昆山高新区"),
        ("zone", "不存在的园区"),  # refused for the same reason, not as "unknown zone"
        ("status", PlatformStatus.SUSPENDED),
        ("sector", Sector.RAW_MATERIALS),
        ("construction_model", ConstructionModel.GOVERNMENT_PUBLIC),
        ("operator_name", "另一家运营公司"),
        ("operator_uscc", "91350100M000100Y43"),
        ("established_on", dt.date(2001, 1, 1)),
    ],
)
def test_every_protected_column_a_staff_row_changes_is_an_error_naming_it(
    world, tmp_path, column, value
):
    before = snapshot(world["platform_a"])
    batch = import_platform_row(tmp_path, world["staff_a"], world["platform_a"], **{column: value})
    assert batch.outcome == ImportOutcome.INVALID
    assert [e["column"] for e in batch.errors] == [column]
    assert messages(batch) == [
        f"Only administrators change {column} (reference data); leave the stored value or ask "
        "an administrator."
    ]
    assert snapshot(world["platform_a"]) == before


def test_the_refusal_names_the_column_in_chinese_for_a_chinese_user(world, tmp_path):
    with translation.override("zh-hans"):
        batch = import_platform_row(
            tmp_path, world["staff_a"], world["platform_a"], status=PlatformStatus.CLOSED
        )
    assert messages(batch) == ["只有管理员可以修改“状态”(基础数据);请保留原值,或联系管理员。"]


def test_a_revoked_recognition_cannot_be_claimed_back_by_staff(world, key_list, tmp_path):
    factories.RecognitionFactory(
        platform=world["platform_a"], recognition_list=key_list, revoked_on=dt.date(2025, 6, 1)
    )
    batch = import_platform_row(
        tmp_path, world["staff_a"], world["platform_a"], recognition_lists=key_list.name
    )
    assert [e["column"] for e in batch.errors] == ["recognition_lists"]


def test_staff_update_the_descriptive_fields_and_a_repeated_export_is_unchanged(world, tmp_path):
    platform = world["platform_a"]
    factories.RecognitionFactory(platform=platform)  # a current recognition, repeated as is
    platform.established_on = dt.date(2019, 6, 1)
    platform.construction_model = ConstructionModel.ENTERPRISE_MARKET
    platform.save()
    protected = {
        k: v for k, v in snapshot(platform).items() if k not in access.PLATFORM_STAFF_FIELDS
    }

    unchanged = import_platform_row(tmp_path, world["staff_a"], platform)
    assert unchanged.outcome == ImportOutcome.IMPORTED, unchanged.errors
    assert unchanged.counts["platforms"] == counts(created=0, updated=0, unchanged=1)

    changes = {
        "name_en": "Hummingbird Pilot Platform",
        "description": "面向智能硬件的中试服务。",
        "contact_name": "张明",
        "contact_phone": "028-85190000",
    }
    batch = import_platform_row(tmp_path, world["staff_a"], platform, **changes)
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    after = snapshot(platform)
    assert {field: after[field] for field in changes} == changes
    assert {k: v for k, v in after.items() if k not in access.PLATFORM_STAFF_FIELDS} == protected
    assert platform.history.latest().history_user == world["staff_a"]


def test_the_exported_workbook_re_imported_by_staff_changes_nothing(world, tmp_path):
    factories.RecognitionFactory(platform=world["platform_a"])
    project = factories.ProjectFactory(platform=world["platform_a"])
    factories.YieldRunFactory(project=project)
    path = tmp_path / "export.xlsx"
    path.write_bytes(export_workbook(world["staff_a"]))
    before = row_counts()
    batch = run_import(path, user=world["staff_a"])
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    assert all(counts["created"] == counts["updated"] == 0 for counts in batch.counts.values())
    assert row_counts() == before


@pytest.mark.parametrize("target", ["zone_mate", "other_zone", "nonexistent"])
def test_a_staff_row_for_a_platform_not_theirs_reads_like_one_that_does_not_exist(
    world, tmp_path, target
):
    name = {
        "zone_mate": world["platform_b"].name,
        "other_zone": world["platform_c"].name,
        "nonexistent": "从未登记的平台",
    }[target]
    before = row_counts()
    path = write_xlsx(
        tmp_path / "p.xlsx", {"platforms": [["name", "description"], [name, "改写别人的简介"]]}
    )
    batch = run_import(path, user=world["staff_a"])
    assert messages(batch) == [
        f"No platform called {name} among your platforms; only administrators add platforms."
    ]
    assert row_counts() == before
    assert not Platform.objects.filter(description="改写别人的简介").exists()


def test_an_administrator_import_changes_reference_data_and_grants_recognitions(
    client, world, key_list, tmp_path
):
    batch = import_platform_row(
        tmp_path,
        world["admin_user"],
        world["platform_a"],
        recognition_lists=key_list.name,
        zone=world["zone1"].name,
        status=PlatformStatus.SUSPENDED,
    )
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    assert rollup(client, world["manager"])["key_platforms"] == 2
    assert Platform.objects.get(pk=world["platform_a"].pk).status == PlatformStatus.SUSPENDED


def test_a_staff_import_cannot_create_a_platform_in_any_zone(world, tmp_path):
    before = row_counts()
    path = write_xlsx(
        tmp_path / "new.xlsx",
        {"platforms": [HEADER, ["新平台", world["zone1"].name, Sector.EQUIPMENT, "active"]]},
    )
    assert run_import(path, user=world["staff_a"]).outcome == ImportOutcome.INVALID
    assert row_counts() == before and Zone.objects.count() == 2


# --- the import format: contact columns -----------------------------------------------------


@pytest.mark.parametrize(
    ("language", "headers"),
    [("en", ["contact_name", "contact_phone"]), ("zh-hans", ["联系人", "联系电话"])],
)
def test_the_template_and_the_export_carry_the_contact_columns(world, language, headers):
    world["platform_a"].contact_name = "张明"
    world["platform_a"].save()
    template = load_workbook(io.BytesIO(template_bytes(language)))["platforms"]
    assert set(headers) <= {cell.value for cell in template[1]}
    export = load_workbook(io.BytesIO(export_workbook(world["admin_user"], language)))
    sheet = export["platforms"]
    header = [cell.value for cell in sheet[1]]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[world["platform_a"].name][header.index(headers[0])] == "张明"


# --- the web page: staff edit their own platform's descriptive fields ------------------------


def test_the_platform_form_has_exactly_the_staff_fields():
    assert set(PlatformForm.Meta.fields) == access.PLATFORM_STAFF_FIELDS
    assert set(PlatformForm().fields) == access.PLATFORM_STAFF_FIELDS


def test_staff_edit_their_platforms_profile_and_smuggled_fields_are_ignored(client, world):
    platform = world["platform_a"]
    protected = {
        k: v for k, v in snapshot(platform).items() if k not in access.PLATFORM_STAFF_FIELDS
    }
    english(client).force_login(world["staff_a"])
    url = reverse("platforms:platform_update", args=[platform.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name_en": "Hummingbird",
            "description": "简介",
            "contact_name": "李华",
            "contact_phone": "13800000000",
            # Not on the form: a hand-made POST must not change them.
            "zone": world["zone2"].pk,
            "status": PlatformStatus.CLOSED,
            "name": "改名",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == platform.get_absolute_url()
    after = snapshot(platform)
    assert (after["contact_name"], after["contact_phone"]) == ("李华", "13800000000")
    assert {k: v for k, v in after.items() if k not in access.PLATFORM_STAFF_FIELDS} == protected
    assert platform.history.latest().history_user == world["staff_a"]
    page = response.content.decode()
    assert "李华" in page and "13800000000" in page


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("manager", 403),
        ("other_manager", 404),
        ("staff_b", 404),
        ("admin_user", 200),
    ],
)
def test_only_the_platforms_staff_and_administrators_reach_its_edit_page(
    client, world, role, status
):
    platform = world["platform_a"]
    if role != "anonymous":
        client.force_login(world[role])
    url = reverse("platforms:platform_update", args=[platform.pk])
    assert client.get(url).status_code == status
    response = client.post(url, {"description": "改写", "contact_name": "x"})
    assert response.status_code == (302 if status == 200 else status)
    platform.refresh_from_db()
    assert (platform.description == "改写") == (status == 200)


def test_the_edit_link_shows_only_to_those_who_may_edit(client, world):
    url = reverse("platforms:platform_update", args=[world["platform_a"].pk])
    client.force_login(world["staff_a"])
    assert url in client.get(world["platform_a"].get_absolute_url()).content.decode()
    client.force_login(world["manager"])
    assert url not in client.get(world["platform_a"].get_absolute_url()).content.decode()


# --- the admin site: administrators only ----------------------------------------------------


@pytest.fixture
def all_permissions_manager(world):
    """A zone manager flagged ``is_staff`` by mistake and holding every model permission."""
    user = world["manager"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.all())
    return user


@pytest.mark.parametrize("role", ["staff_a", "manager", "inactive_admin"])
def test_nobody_but_an_administrator_reaches_the_admin_site(
    client, world, all_permissions_manager, role
):
    if role == "inactive_admin":
        user = factories.UserFactory(is_superuser=True, is_staff=True, is_active=False)
    else:
        user = world[role]
        user.is_staff = True
        user.save()
    client.force_login(user)
    platform = world["platform_a"]
    for url in (
        reverse("admin:index"),
        reverse("admin:platforms_platform_changelist"),
        reverse("admin:platforms_platform_change", args=[platform.pk]),
        reverse("admin:platforms_recognition_add"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login"))


def test_a_manager_with_every_permission_cannot_change_reference_data_in_the_admin(
    client, world, all_permissions_manager, key_list
):
    client.force_login(all_permissions_manager)
    url = reverse("admin:platforms_recognition_add")
    response = client.post(
        url, {"platform": world["platform_a"].pk, "recognition_list": key_list.pk}
    )
    assert response.status_code == 302
    assert not Recognition.objects.filter(platform=world["platform_a"]).exists()


def test_an_administrator_reaches_the_admin_site(client, world):
    client.force_login(world["admin_user"])
    assert client.get(reverse("admin:platforms_platform_changelist")).status_code == 200

"""Enterprises are shared by the platforms that serve them: who may name one, who may change it.

Staff may link an existing enterprise to their project only if it is already a client of one of
their platforms, or by giving its full exact name together with its credit code; the link
changes nothing about it. A refused code reads exactly like a code nobody has, so that typing
codes reveals neither a client's name nor that the code is registered. Staff may change an
enterprise only if every project using it is theirs.

A = platform_a (zone 1, 成都), staff_a its staff; B = platform_b (zone 1); C = platform_c
(zone 2, 昆山).
"""

import pytest
from django.urls import reverse
from django.utils import translation

from platforms.choices import Sector
from projects.imports.choices import ImportOutcome
from projects.models import Enterprise, Project
from tests import factories
from tests.factories import make_uscc
from tests.imports.helpers import (
    PROJECT_HEADER,
    counts,
    messages,
    row_counts,
    run_import,
    write_xlsx,
)
from tests.workspace import english, new_project_data

pytestmark = pytest.mark.django_db

KUNSHAN_NAME = "昆山精密模具有限公司"
UNREGISTERED_USCC = make_uscc(999)  # valid, but no enterprise has it


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def kunshan_client(world):
    """A client of the Kunshan platform only: nobody in Chengdu may see it."""
    enterprise = factories.EnterpriseFactory(name=KUNSHAN_NAME, sector=Sector.EQUIPMENT)
    factories.ProjectFactory(platform=world["platform_c"], enterprise=enterprise, code="KS-1")
    return enterprise


@pytest.fixture
def own_client(world):
    """A client of platform A only."""
    return factories.ProjectFactory(platform=world["platform_a"], code="A-1").enterprise


@pytest.fixture
def shared_client(world):
    """A client of platform A and of the Kunshan platform."""
    enterprise = factories.EnterpriseFactory(name="共同客户有限公司")
    factories.ProjectFactory(platform=world["platform_a"], enterprise=enterprise, code="A-2")
    factories.ProjectFactory(platform=world["platform_c"], enterprise=enterprise, code="KS-2")
    return enterprise


@pytest.fixture
def staff_client(client, world):
    client.force_login(world["staff_a"])
    return english(client)


def as_stored(enterprise) -> dict:
    enterprise.refresh_from_db()
    return {field.attname: getattr(enterprise, field.attname) for field in Enterprise._meta.fields}


def create_with(client, platform, code="ZS-NEW-1", **enterprise_fields):
    """POST /projects/new/ naming the client with ``enterprise_fields``."""
    fields = {"enterprise_ref": "", "new_enterprise_name": "", "new_enterprise_uscc": ""}
    fields.update(enterprise_fields)
    data = new_project_data(client, platform, code=code, **fields)
    return client.post(reverse("projects:project_create"), data)


def refusal_for(client, world, uscc) -> str:
    response = create_with(client, world["platform_a"], code="PROBE", enterprise_ref=uscc)
    assert response.status_code == 400
    return response.context["form"].errors["enterprise_ref"][0]


# --- the web form ---------------------------------------------------------------------------


def test_chengdu_staff_cannot_link_a_kunshan_only_client_by_its_code(
    staff_client, world, kunshan_client
):
    stored = as_stored(kunshan_client)
    response = create_with(staff_client, world["platform_a"], enterprise_ref=kunshan_client.uscc)
    assert response.status_code == 400
    assert not Project.objects.filter(code="ZS-NEW-1").exists()
    assert KUNSHAN_NAME not in response.content.decode()
    assert as_stored(kunshan_client) == stored


def test_the_refusal_of_a_foreign_code_reads_exactly_like_an_unregistered_code(
    staff_client, world, kunshan_client
):
    foreign = refusal_for(staff_client, world, kunshan_client.uscc)
    unknown = refusal_for(staff_client, world, UNREGISTERED_USCC)
    assert foreign.replace(kunshan_client.uscc, "X") == unknown.replace(UNREGISTERED_USCC, "X")
    assert unknown == (
        f"No client enterprise of your platforms has the USCC {UNREGISTERED_USCC}. If it is a "
        "new client, fill in its full name and its USCC below."
    )


def test_the_refusal_in_chinese(client, world, kunshan_client):
    client.force_login(world["staff_a"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    response = create_with(client, world["platform_a"], enterprise_ref=kunshan_client.uscc)
    assert response.context["form"].errors["enterprise_ref"] == [
        f"没有统一社会信用代码为 {kunshan_client.uscc} 的贵平台客户企业。如为新客户,"
        "请在下方同时填写其全称和代码。"
    ]


def test_a_zone_mates_client_is_no_more_linkable_than_another_zones(staff_client, world):
    zone_mate_client = factories.ProjectFactory(platform=world["platform_b"]).enterprise
    response = create_with(staff_client, world["platform_a"], enterprise_ref=zone_mate_client.uscc)
    assert response.status_code == 400
    assert zone_mate_client.name not in response.content.decode()


def test_a_foreign_client_is_linked_by_its_exact_name_and_code_and_nothing_about_it_changes(
    staff_client, world, kunshan_client
):
    stored = as_stored(kunshan_client)
    history = kunshan_client.history.count()
    response = create_with(
        staff_client,
        world["platform_a"],
        enterprise_ref=f"{KUNSHAN_NAME} {kunshan_client.uscc.lower()}",
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Project.objects.get(code="ZS-NEW-1").enterprise == kunshan_client
    assert as_stored(kunshan_client) == stored
    assert kunshan_client.history.count() == history
    assert Enterprise.objects.count() == 1


@pytest.mark.parametrize(
    "name",
    [
        "昆山精密模具",  # a prefix
        "昆山精密模具有限公司 ",  # trailing space is fine: this one links (control case)
        "昆山精密模具有限責任公司",  # one character off
        "昆山精密模具(有限公司)",
    ],
)
def test_only_the_exact_name_links_a_foreign_client(staff_client, world, kunshan_client, name):
    response = create_with(
        staff_client, world["platform_a"], enterprise_ref=f"{name} {kunshan_client.uscc}"
    )
    if name.strip() == KUNSHAN_NAME:
        assert response.status_code == 302
        return
    assert response.status_code == 400
    assert response.context["form"].errors["enterprise_ref"] == [
        refusal_for(staff_client, world, kunshan_client.uscc)
    ]
    assert KUNSHAN_NAME not in response.content.decode()


def test_the_new_enterprise_pair_matching_a_registered_one_exactly_links_it(
    staff_client, world, kunshan_client
):
    stored = as_stored(kunshan_client)
    response = create_with(
        staff_client,
        world["platform_a"],
        new_enterprise_name=KUNSHAN_NAME,
        new_enterprise_uscc=kunshan_client.uscc,
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Project.objects.get(code="ZS-NEW-1").enterprise == kunshan_client
    assert Enterprise.objects.count() == 1
    assert as_stored(kunshan_client) == stored


def test_the_new_enterprise_pair_under_another_name_is_refused_without_revealing_the_name(
    staff_client, world, kunshan_client
):
    response = create_with(
        staff_client,
        world["platform_a"],
        new_enterprise_name="昆山某公司",
        new_enterprise_uscc=kunshan_client.uscc,
    )
    assert response.status_code == 400
    error = response.context["form"].errors["new_enterprise_uscc"][0]
    assert "type its full registered name exactly" in error
    assert KUNSHAN_NAME not in response.content.decode()
    assert not Project.objects.filter(code="ZS-NEW-1").exists()
    assert Enterprise.objects.count() == 1


def test_the_new_enterprise_pair_of_an_own_client_under_another_name_says_which_client(
    staff_client, world, own_client
):
    response = create_with(
        staff_client,
        world["platform_a"],
        new_enterprise_name="别的名字",
        new_enterprise_uscc=own_client.uscc,
    )
    assert own_client.name in response.context["form"].errors["new_enterprise_uscc"][0]


def test_an_own_client_is_linked_by_code_and_a_wrong_name_beside_its_code_is_caught(
    staff_client, world, own_client
):
    response = create_with(staff_client, world["platform_a"], enterprise_ref=own_client.uscc)
    assert response.status_code == 302
    wrong = create_with(
        staff_client,
        world["platform_a"],
        code="ZS-NEW-2",
        enterprise_ref=f"别家公司 {own_client.uscc}",
    )
    assert wrong.status_code == 400
    assert wrong.context["form"].errors["enterprise_ref"] == [
        f"{own_client.uscc} is your client {own_client.name}, not 别家公司: check the name and "
        "the code."
    ]


def test_a_name_alone_finds_only_clients_of_the_users_own_platforms(client, world, own_client):
    """Staff of B who also manage zone 1 see A's client, but it is not theirs to name."""
    user = world["staff_b"]
    factories.ZoneMembershipFactory(user=user, zone=world["zone1"])
    english(client).force_login(user)
    response = create_with(client, world["platform_b"], enterprise_ref=own_client.name)
    assert response.status_code == 400
    assert response.context["form"].errors["enterprise_ref"] == [
        f"No client of your platforms is called {own_client.name}; type its name and USCC, or "
        "create it below."
    ]
    by_code = create_with(client, world["platform_b"], enterprise_ref=own_client.uscc)
    assert by_code.status_code == 400


def test_the_suggestions_list_only_the_clients_of_the_users_own_platforms(
    client, world, own_client, kunshan_client
):
    zone_mate_client = factories.ProjectFactory(platform=world["platform_b"]).enterprise
    user = world["staff_b"]
    factories.ZoneMembershipFactory(user=user, zone=world["zone1"])  # sees A's client too
    client.force_login(user)
    # Every enterprise's code starts with the same region (tests.factories.make_uscc).
    response = client.get(reverse("projects:enterprise_suggest"), {"q": "91510100"})
    offered = [result["uscc"] for result in response.json()["results"]]
    assert offered == [zone_mate_client.uscc]
    page = client.get(reverse("projects:project_create")).content.decode()
    assert own_client.uscc not in page and kunshan_client.uscc not in page


def test_a_form_refused_for_another_reason_reveals_nothing_about_the_named_client(
    staff_client, world, kunshan_client
):
    response = create_with(
        staff_client,
        world["platform_a"],
        enterprise_ref=f"{KUNSHAN_NAME} {kunshan_client.uscc}",
        end_on="2023-01-01",  # before the start: the form is redisplayed
    )
    assert response.status_code == 400
    assert "enterprise_ref" not in response.context["form"].errors
    assert "KS-1" not in response.content.decode()
    suggested = staff_client.get(reverse("projects:enterprise_suggest"), {"q": KUNSHAN_NAME})
    assert suggested.json()["results"] == []


def test_an_administrator_links_any_enterprise_by_its_code(client, world, kunshan_client):
    english(client).force_login(world["admin_user"])
    response = create_with(client, world["platform_a"], enterprise_ref=kunshan_client.uscc)
    assert response.status_code == 302


# --- the import -----------------------------------------------------------------------------


def import_sheets(tmp_path, user, **sheets):
    return run_import(write_xlsx(tmp_path / "file.xlsx", sheets), user=user)


def project_row(code, platform, uscc):
    return [code, platform.name, uscc, "智能模组试产", "2024-01-01"]


def test_an_enterprises_row_renaming_a_shared_enterprise_is_refused_and_renames_nothing(
    world, shared_client, tmp_path
):
    stored, before = as_stored(shared_client), row_counts()
    batch = import_sheets(
        tmp_path,
        world["staff_a"],
        enterprises=[["uscc", "name"], [shared_client.uscc, "改了名的公司"]],
    )
    assert batch.outcome == ImportOutcome.INVALID
    assert messages(batch) == [
        "Only an administrator may change the name of an enterprise that other platforms serve "
        "too; leave the stored value or ask an administrator."
    ]
    assert [e["column"] for e in batch.errors] == ["name"]
    assert as_stored(shared_client) == stored and row_counts() == before
    text = " ".join(messages(batch))
    assert world["platform_c"].name not in text and world["zone2"].name not in text


def test_an_enterprises_row_in_chinese_says_only_administrators_change_shared_enterprises(
    world, shared_client, tmp_path
):
    with translation.override("zh-hans"):
        batch = import_sheets(
            tmp_path,
            world["staff_a"],
            enterprises=[["uscc", "name"], [shared_client.uscc, "改了名的公司"]],
        )
    assert messages(batch) == [
        "只有管理员可以修改多个平台共用的企业信息(“企业名称”);请保留原值,或联系管理员。"
    ]


def test_an_enterprise_only_the_users_platforms_serve_may_be_changed(world, own_client, tmp_path):
    batch = import_sheets(
        tmp_path,
        world["staff_a"],
        enterprises=[["uscc", "name", "size"], [own_client.uscc, "新名称有限公司", "small"]],
    )
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    own_client.refresh_from_db()
    assert (own_client.name, own_client.size) == ("新名称有限公司", "small")


def test_an_administrator_may_change_a_shared_enterprise(world, shared_client, tmp_path):
    batch = import_sheets(
        tmp_path,
        world["admin_user"],
        enterprises=[["uscc", "name"], [shared_client.uscc, "改了名的公司"]],
    )
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    shared_client.refresh_from_db()
    assert shared_client.name == "改了名的公司"


@pytest.mark.parametrize(
    "row",
    [
        ["昆山某公司", ""],  # a wrong name
        [KUNSHAN_NAME, Sector.EQUIPMENT],  # the exact name, and a detail equal to the stored one
        [KUNSHAN_NAME, Sector.RAW_MATERIALS],  # the exact name, and a detail that differs
    ],
)
def test_a_foreign_enterprises_row_is_refused_alike_whatever_it_guesses(
    world, kunshan_client, tmp_path, row
):
    """The outcome must not depend on the stored values: else rows could probe them."""
    stored, before = as_stored(kunshan_client), row_counts()
    batch = import_sheets(
        tmp_path,
        world["staff_a"],
        enterprises=[["uscc", "name", "sector"], [kunshan_client.uscc, *row]],
    )
    assert messages(batch) == [
        f"An enterprise is already registered with the USCC {kunshan_client.uscc}, and it is "
        "not a client of your platforms. To name it as your client, give only its USCC and its "
        "full registered name, exactly; an administrator keeps its details."
    ]
    assert as_stored(kunshan_client) == stored and row_counts() == before


def test_the_projects_sheet_naming_a_foreign_client_reads_like_an_unregistered_code(
    world, kunshan_client, tmp_path
):
    before = row_counts()
    batch = import_sheets(
        tmp_path,
        world["staff_a"],
        projects=[
            PROJECT_HEADER,
            project_row("ZS-1", world["platform_a"], kunshan_client.uscc),
            project_row("ZS-2", world["platform_a"], UNREGISTERED_USCC),
        ],
    )
    foreign, unknown = messages(batch)
    assert foreign.replace(kunshan_client.uscc, "X") == unknown.replace(UNREGISTERED_USCC, "X")
    assert unknown == (
        f"No client enterprise of your platforms has the USCC {UNREGISTERED_USCC}. If it is a "
        "new client, add it to the enterprises sheet with its full name and USCC."
    )
    assert row_counts() == before


def test_the_chinese_message_for_a_foreign_client_in_the_projects_sheet(
    world, kunshan_client, tmp_path
):
    with translation.override("zh-hans"):
        batch = import_sheets(
            tmp_path,
            world["staff_a"],
            projects=[
                PROJECT_HEADER,
                project_row("ZS-1", world["platform_a"], kunshan_client.uscc),
            ],
        )
    assert messages(batch) == [
        f"没有统一社会信用代码为 {kunshan_client.uscc} 的贵平台客户企业。如为新客户,"
        "请在企业表(enterprises)中同时填写其全称和统一社会信用代码。"
    ]


def test_a_foreign_client_is_linked_when_the_same_file_gives_its_exact_name(
    world, kunshan_client, tmp_path
):
    stored, history = as_stored(kunshan_client), kunshan_client.history.count()
    batch = import_sheets(
        tmp_path,
        world["staff_a"],
        enterprises=[["uscc", "name"], [kunshan_client.uscc, KUNSHAN_NAME]],
        projects=[PROJECT_HEADER, project_row("ZS-1", world["platform_a"], kunshan_client.uscc)],
    )
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    assert batch.counts["enterprises"] == counts(created=0, updated=0, unchanged=1)
    assert Project.objects.get(code="ZS-1").enterprise == kunshan_client
    assert as_stored(kunshan_client) == stored
    assert kunshan_client.history.count() == history


def test_the_proof_is_per_file(world, kunshan_client, tmp_path):
    """Giving the exact name in one file does not let a later file name the client by code."""
    first = import_sheets(
        tmp_path,
        world["staff_a"],
        enterprises=[["uscc", "name"], [kunshan_client.uscc, KUNSHAN_NAME]],
    )
    assert first.outcome == ImportOutcome.IMPORTED
    later = import_sheets(
        tmp_path,
        world["staff_a"],
        projects=[PROJECT_HEADER, project_row("ZS-1", world["platform_a"], kunshan_client.uscc)],
    )
    assert later.outcome == ImportOutcome.INVALID
    assert not Project.objects.filter(code="ZS-1").exists()


def test_an_own_client_and_a_new_one_are_named_by_code(world, own_client, tmp_path):
    batch = import_sheets(
        tmp_path,
        world["staff_a"],
        enterprises=[["uscc", "name"], [UNREGISTERED_USCC, "新客户有限公司"]],
        projects=[
            PROJECT_HEADER,
            project_row("ZS-1", world["platform_a"], own_client.uscc),
            project_row("ZS-2", world["platform_a"], UNREGISTERED_USCC),
        ],
    )
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    assert Project.objects.get(code="ZS-2").enterprise.name == "新客户有限公司"

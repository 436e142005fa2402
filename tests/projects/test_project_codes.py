"""Project codes a clerk can trust (issue 12, item 3): a new project is offered the next code of
its platform's numbering, which may be changed; a code another project holds is refused naming
that project when the user may see it, and as merely taken otherwise."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.codes import suggest_code
from tests import factories
from tests.workspace import edit_page_data, english, new_project_data

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def with_codes(platform, *codes):
    """Projects with these codes, created in this order (the last is the latest)."""
    return [factories.ProjectFactory(platform=platform, code=code) for code in codes]


@pytest.mark.parametrize(
    ("codes", "offered"),
    [
        (["FN-2025-0022", "FN-2025-0023"], "FN-2025-0024"),
        (["FN-2025-0023", "FN-2025-0009"], "FN-2025-0024"),  # the highest, not the latest
        (["HB2025-017"], "HB2025-018"),
        (["KS-0412"], "KS-0413"),
        (["FN-2024-0107"], "FN-2025-0001"),  # a new year starts the count again
        (["FN-2025-0099"], "FN-2025-0100"),
        (["FN-2025-9999"], "FN-2025-10000"),
    ],
)
def test_the_next_code_follows_the_platforms_pattern(world, codes, offered):
    with_codes(world["platform_a"], *codes)
    assert suggest_code(world["platform_a"], year=2025) == offered


def test_a_code_another_platform_holds_is_skipped(world):
    with_codes(world["platform_a"], "FN-2025-0023")
    with_codes(world["platform_c"], "FN-2025-0024")
    assert suggest_code(world["platform_a"], year=2025) == "FN-2025-0025"


@pytest.mark.parametrize("last_code", [None, "ALPHA"])
def test_without_a_numbered_code_the_platform_gets_a_default_from_its_english_name(
    world, last_code
):
    platform = world["platform_a"]
    platform.name_en = "Chengdu Hummingbird Pilot Platform"
    platform.save()
    if last_code:
        with_codes(platform, last_code)
    assert suggest_code(platform, year=2025) == "CHPP-2025-0001"


def test_a_platform_without_an_english_name_is_named_by_its_id(world):
    platform = world["platform_a"]
    platform.name_en = ""
    platform.save()
    assert suggest_code(platform, year=2025) == f"P{platform.pk}-2025-0001"


def test_the_offer_costs_the_same_queries_for_few_and_many_projects(
    world, django_assert_num_queries
):
    for count in (3, 30):
        with_codes(world["platform_b"], *[f"B-{YEAR}-{n:04d}-{count}" for n in range(count)])
        with_codes(world["platform_a"], *[f"FN-{YEAR}-{n:04d}" for n in range(count, 2 * count)])
        # the latest code, the highest number of its prefix, which candidates are taken
        with django_assert_num_queries(3):
            suggest_code(world["platform_a"])


# --- on the form -------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, world):
    client.force_login(world["staff_a"])
    return english(client)


def test_the_new_project_form_offers_the_next_code_of_the_chosen_platform(staff_client, world):
    with_codes(world["platform_a"], f"FN-{YEAR}-0023")
    url = reverse("projects:project_create")
    for query in ({"platform": world["platform_a"].pk}, {}):  # staff of one platform only
        form = staff_client.get(url, query).context["form"]
        assert form["code"].value() == f"FN-{YEAR}-0024"
        assert form["platform"].value() == world["platform_a"].pk


def test_the_offered_code_can_be_changed(staff_client, world):
    with_codes(world["platform_a"], f"FN-{YEAR}-0023")
    data = new_project_data(staff_client, world["platform_a"], code="MY-OWN-1")
    assert staff_client.post(reverse("projects:project_create"), data).status_code == 302
    assert world["platform_a"].projects.filter(code="MY-OWN-1").exists()


def test_the_code_offer_for_another_platform_is_refused(client, world):
    with_codes(world["platform_b"], f"B-{YEAR}-0001")
    client.force_login(world["staff_a"])
    url = reverse("projects:project_code_suggest")
    assert client.get(url, {"platform": world["platform_b"].pk}).status_code == 404
    assert client.get(url, {"platform": "x"}).status_code == 404
    own = client.get(url, {"platform": world["platform_a"].pk})
    assert own.json() == {"code": suggest_code(world["platform_a"])}
    client.force_login(world["manager"])
    assert client.get(url, {"platform": world["platform_a"].pk}).status_code == 403


# --- a code that is taken ------------------------------------------------------------------------


def duplicate_error(client, world, code):
    data = new_project_data(client, world["platform_a"], code=code)
    response = client.post(reverse("projects:project_create"), data)
    assert response.status_code == 400
    return response.context["form"].errors["code"][0]


def test_a_duplicate_code_names_the_project_holding_it_when_the_user_may_see_it(
    staff_client, world
):
    holder = factories.ProjectFactory(
        platform=world["platform_b"], code=f"FN-{YEAR}-0023", title="邻居的项目"
    )
    with_codes(world["platform_a"], f"FN-{YEAR}-0030")
    staff_client.force_login(world["manager"])  # sees the zone's projects ...
    world["manager"].platform_memberships.create(platform=world["platform_a"])  # ... and writes A
    error = duplicate_error(staff_client, world, holder.code.lower())
    assert error == (
        f"The code FN-{YEAR}-0023 is already used by FN-{YEAR}-0023 邻居的项目 (另一平台). "
        f"The next free code of this platform is FN-{YEAR}-0031."
    )


def test_a_duplicate_code_of_a_confidential_project_names_it_masked(staff_client, world):
    factories.ProjectFactory(
        platform=world["platform_b"],
        code="SECRET-1",
        title="机密标题",
        confidentiality="confidential",
    )
    staff_client.force_login(world["manager"])
    world["manager"].platform_memberships.create(platform=world["platform_a"])
    error = duplicate_error(staff_client, world, "SECRET-1")
    assert "Confidential project" in error and "机密标题" not in error


def test_a_duplicate_code_the_user_may_not_see_is_only_taken(staff_client, world):
    factories.ProjectFactory(platform=world["platform_c"], code="KS-1", title="昆山的项目")
    error = duplicate_error(staff_client, world, "ks-1")
    assert error.startswith("The code KS-1 is already taken.")
    assert "昆山" not in error and "KS-1 " not in error.split("taken.")[1]


def test_editing_a_project_keeps_its_own_code(staff_client, world):
    project = factories.ProjectFactory(platform=world["platform_a"], start_on=dt.date(2024, 1, 1))
    url = reverse("projects:project_update", args=[project.pk])
    data = edit_page_data(staff_client, project)
    assert staff_client.post(url, data).status_code == 302

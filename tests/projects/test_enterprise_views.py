"""Enterprise list and detail: an enterprise is visible through the projects one may see."""

import pytest
from django.urls import reverse

from tests import factories
from tests.workspace import english, populate

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, world):
    client.force_login(world["staff_a"])
    return english(client)


def test_the_list_shows_clients_of_visible_projects_with_their_visible_project_count(
    staff_client, world
):
    shared = factories.EnterpriseFactory(name="共同客户")
    factories.ProjectFactory(platform=world["platform_a"], enterprise=shared)
    factories.ProjectFactory(platform=world["platform_b"], enterprise=shared)
    factories.ProjectFactory(platform=world["platform_b"], enterprise__name="别人的客户")
    response = staff_client.get(reverse("projects:enterprise_list"))
    rows = [(row.record.name, row.record.project_count) for row in response.context["table"].rows]
    assert rows == [("共同客户", 1)]


def test_the_list_searches_by_name_or_uscc(staff_client, world):
    project = factories.ProjectFactory(platform=world["platform_a"])
    factories.ProjectFactory(platform=world["platform_a"], enterprise__name="其他公司")
    for query in (project.enterprise.name, project.enterprise.uscc.lower()):
        response = staff_client.get(reverse("projects:enterprise_list"), {"q": query})
        assert [row.record for row in response.context["table"].rows] == [project.enterprise]


def test_the_detail_lists_only_the_visible_projects_of_the_enterprise(staff_client, world):
    shared = factories.EnterpriseFactory()
    mine = factories.ProjectFactory(platform=world["platform_a"], enterprise=shared)
    theirs = factories.ProjectFactory(platform=world["platform_b"], enterprise=shared)
    response = staff_client.get(shared.get_absolute_url())
    assert list(response.context["projects"]) == [mine]
    assert theirs.title not in response.content.decode()


def test_an_enterprise_with_no_visible_project_is_404(staff_client, world):
    other = factories.ProjectFactory(platform=world["platform_c"]).enterprise
    assert staff_client.get(other.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("rows", [5, 50])
def test_the_enterprise_list_runs_a_fixed_number_of_queries(
    staff_client, world, rows, django_assert_num_queries
):
    populate(world, rows)
    for _ in range(rows - 1):
        factories.ProjectFactory(platform=world["platform_a"])
    # user, COUNT, the page's rows (visible project count as a subquery),
    # navigation role ×2.
    with django_assert_num_queries(5):
        response = staff_client.get(reverse("projects:enterprise_list"))
    assert len(response.context["table"].page.object_list) == rows


@pytest.mark.parametrize("rows", [5, 50])
def test_the_enterprise_detail_runs_a_fixed_number_of_queries(
    staff_client, world, rows, django_assert_num_queries
):
    enterprise = populate(world, rows)["enterprise"]
    # user, enterprise, its visible projects (platform joined), totals, its history (users
    # joined), navigation ×2.
    with django_assert_num_queries(7):
        response = staff_client.get(enterprise.get_absolute_url())
    assert len(response.context["projects"]) == rows

"""Enterprise help for clerks (issue 12, item 3): the enterprise box suggests, on part of a name
or credit code, only the clients the user may link; staff edit the enterprises they own from
the web, with history; anyone else is refused as the access module says."""

import pytest
from django.urls import reverse

from projects.models import Enterprise
from tests import factories
from tests.workspace import english, form_data, new_project_data

pytestmark = pytest.mark.django_db

SUGGEST = "projects:enterprise_suggest"


@pytest.fixture
def clients_of_a(world):
    """Two clients of platform A, one of platform B only, one of the other zone only."""
    ours = factories.EnterpriseFactory(name="成都臻识科技发展有限公司")
    other_ours = factories.EnterpriseFactory(name="四川臻识电子有限公司")
    bs = factories.EnterpriseFactory(name="臻识别家客户有限公司")
    kunshan = factories.EnterpriseFactory(name="昆山臻识有限公司")
    factories.ProjectFactory(platform=world["platform_a"], enterprise=ours)
    factories.ProjectFactory(platform=world["platform_a"], enterprise=other_ours)
    factories.ProjectFactory(platform=world["platform_b"], enterprise=bs)
    factories.ProjectFactory(platform=world["platform_c"], enterprise=kunshan)
    return {"ours": ours, "other_ours": other_ours, "bs": bs, "kunshan": kunshan}


def suggestions(client, typed):
    response = client.get(reverse(SUGGEST), {"q": typed})
    assert response.status_code == 200
    return response.json()["results"]


def test_part_of_a_name_suggests_only_the_users_own_clients(client, world, clients_of_a):
    client.force_login(world["staff_a"])
    results = suggestions(client, "臻识")
    assert [result["name"] for result in results] == [
        "四川臻识电子有限公司",
        "成都臻识科技发展有限公司",
    ]
    ours = clients_of_a["ours"]
    assert {"name": ours.name, "uscc": ours.uscc, "value": f"{ours.name} {ours.uscc}"} in results


def test_part_of_a_credit_code_in_any_case_finds_the_client(client, world, clients_of_a):
    client.force_login(world["staff_a"])
    ours = clients_of_a["ours"]
    assert [r["uscc"] for r in suggestions(client, ours.uscc[-8:].lower())] == [ours.uscc]
    # Another platform's client is not found by its code either.
    assert suggestions(client, clients_of_a["bs"].uscc) == []


def test_an_administrator_is_offered_every_enterprise(client, world, clients_of_a):
    client.force_login(world["admin_user"])
    assert len(suggestions(client, "臻识")) == 4


def test_nothing_typed_suggests_nothing(client, world, clients_of_a):
    client.force_login(world["staff_a"])
    assert suggestions(client, "  ") == []


def test_suggestions_are_limited_and_cost_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    client.force_login(world["staff_a"])
    for count in (5, 30):
        for _ in range(count):
            factories.ProjectFactory(
                platform=world["platform_a"], enterprise__name=f"测试客户{count}号公司"
            )
        # the user (sessions are cached), "may the user write at all?", the suggestions
        with django_assert_num_queries(3):
            results = suggestions(client, "测试客户")
        assert len(results) == min(10, Enterprise.objects.count())


@pytest.mark.parametrize(("role", "status"), [("manager", 403), ("other_manager", 403)])
def test_who_may_not_write_gets_no_suggestions(client, world, clients_of_a, role, status):
    client.force_login(world[role])
    assert client.get(reverse(SUGGEST), {"q": "臻识"}).status_code == status


def test_the_project_form_drives_the_box_from_the_endpoint(client, world):
    client.force_login(world["staff_a"])
    page = client.get(reverse("projects:project_create")).content.decode()
    assert 'role="combobox"' in page and f'data-suggest-url="{reverse(SUGGEST)}"' in page
    assert 'id="enterprise-suggestions"' in page and 'role="listbox"' in page
    assert "<datalist" not in page  # no list of every client shipped with the page


def test_a_suggestion_picked_in_the_box_is_accepted_by_the_form(client, world, clients_of_a):
    client.force_login(world["staff_a"])
    picked = suggestions(client, "成都臻识")[0]["value"]
    data = new_project_data(
        client,
        world["platform_a"],
        code="PICKED-1",
        new_enterprise_name="",
        new_enterprise_uscc="",
        enterprise_ref=picked,
    )
    assert client.post(reverse("projects:project_create"), data).status_code == 302
    assert clients_of_a["ours"].projects.filter(code="PICKED-1").exists()


# --- editing an enterprise -----------------------------------------------------------------------


def edit_url(enterprise):
    return reverse("projects:enterprise_update", args=[enterprise.pk])


def test_staff_edit_a_client_only_their_platforms_serve_and_history_records_it(
    client, world, clients_of_a
):
    ours = clients_of_a["ours"]
    client.force_login(world["staff_a"])
    page = client.get(ours.get_absolute_url()).content.decode()
    assert edit_url(ours) in page  # offered on the enterprise page
    data = form_data(client.get(edit_url(ours)), "form")
    data.update(name="成都臻识科技股份有限公司", size="small", founded_on="2015-06-01")
    response = client.post(edit_url(ours), data)
    assert response.status_code == 302 and response["Location"] == ours.get_absolute_url()
    ours.refresh_from_db()
    assert (ours.name, ours.size) == ("成都臻识科技股份有限公司", "small")
    latest = ours.history.latest()
    assert latest.history_type == "~" and latest.history_user == world["staff_a"]


def test_a_client_another_platform_serves_too_is_for_an_administrator(client, world, clients_of_a):
    shared = clients_of_a["ours"]
    factories.ProjectFactory(platform=world["platform_b"], enterprise=shared)
    client.force_login(world["staff_a"])
    assert client.get(edit_url(shared)).status_code == 403
    assert edit_url(shared) not in client.get(shared.get_absolute_url()).content.decode()
    assert client.post(edit_url(shared), {"name": "改名"}).status_code == 403
    shared.refresh_from_db()
    assert shared.name == "成都臻识科技发展有限公司"


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff_b", 404), ("manager", 403), ("other_manager", 404), ("admin_user", 200)],
)
def test_who_else_may_edit_an_enterprise(client, world, clients_of_a, role, status):
    client.force_login(world[role])
    assert client.get(edit_url(clients_of_a["ours"])).status_code == status


def test_a_credit_code_registered_to_another_enterprise_is_refused_unnamed(
    client, world, clients_of_a
):
    ours, theirs = clients_of_a["ours"], clients_of_a["kunshan"]
    english(client).force_login(world["staff_a"])
    data = form_data(client.get(edit_url(ours)), "form")
    data["uscc"] = theirs.uscc.lower()
    response = client.post(edit_url(ours), data)
    assert response.status_code == 200
    error = response.context["form"].errors["uscc"][0]
    assert error.startswith("Another enterprise is registered with this USCC")
    assert theirs.name not in response.content.decode()

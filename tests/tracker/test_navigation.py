"""The menu offers only what the user may use (issue 12, item 6): a zone manager gets no
"Import" (it answers 403), and only administrators get "Admin"."""

import pytest
from django.urls import reverse

from tests import factories
from tests.workspace import english

pytestmark = pytest.mark.django_db


def menu_links(client, user) -> set[str]:
    client.force_login(user)
    response = english(client).get(reverse("home"))
    nav = response.content.decode().split('<nav class="mainnav"', 1)[1].split("</nav>", 1)[0]
    return {name for name in ("Platforms", "Projects", "Import", "Admin") if f">{name}<" in nav}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff_a", {"Platforms", "Projects", "Import"}),
        ("manager", {"Platforms", "Projects"}),
        ("admin_user", {"Platforms", "Projects", "Import", "Admin"}),
    ],
)
def test_the_menu_shows_only_what_the_role_may_use(client, world, role, expected):
    assert menu_links(client, world[role]) == expected


def test_an_is_staff_flag_set_by_mistake_does_not_offer_the_admin(client, world):
    manager = world["manager"]
    manager.is_staff = True
    manager.save()
    assert "Admin" not in menu_links(client, manager)
    # ... which would not let them in anyway.
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_what_the_menu_hides_is_what_the_pages_refuse(client, world):
    client.force_login(world["manager"])
    assert client.get(reverse("imports:upload")).status_code == 403


def test_a_user_with_both_roles_is_described_with_both_and_every_scope(client, world):
    staff_and_manager = world["staff_a"]
    factories.ZoneMembershipFactory(user=staff_and_manager, zone=world["zone2"])
    client.force_login(staff_and_manager)
    page = client.get(reverse("password_change")).content.decode()
    assert "平台工作人员 / 园区管理者" in page
    assert "昆山高新区、蜂鸟平台" in page

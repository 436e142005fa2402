"""Signing in, the lockout after failed attempts, signing out, changing the password."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.workspace import english

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests"


@pytest.fixture
def user(db):
    return factories.PlatformMembershipFactory(user__username="zhang").user


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_login_page_has_labelled_fields(client):
    page = client.get(reverse("login")).content.decode()
    assert '<label for="id_username">' in page and '<label for="id_password">' in page


def test_signing_in_lands_on_the_home_page(client, user):
    response = sign_in(client, "zhang", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_anonymous_users_are_sent_to_login_with_next(client):
    response = client.get(reverse("projects:project_list"))
    assert response["Location"] == reverse("login") + "?next=/projects/"


def test_five_failures_lock_the_username_for_this_address_with_a_clear_message(client, user):
    english(client)
    for _ in range(4):
        assert sign_in(client, "zhang", "wrong").status_code == 200
    locked = sign_in(client, "zhang", "wrong")
    assert locked.status_code == 429
    assert "locked for 15 minutes" in locked.content.decode()
    # Even the right password is refused while locked.
    assert sign_in(client, "zhang", PASSWORD).status_code == 429
    # Another address is not locked.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert sign_in(other, "zhang", PASSWORD).status_code == 302


def test_logout_is_a_post(client, user):
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get("/").status_code == 302


def test_changing_the_password(client, user):
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-better-pass-2026",
            "new_password2": "a-much-better-pass-2026",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    assert client.get(reverse("password_change_done")).status_code == 200
    user.refresh_from_db()
    assert user.check_password("a-much-better-pass-2026")


def test_the_page_offers_the_language_switch(client, user):
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page

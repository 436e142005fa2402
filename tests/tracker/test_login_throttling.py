"""Failed sign-ins are counted twice: per (username, address), locking that pair after 5, and
per address alone, locking the address after LOGIN_ADDRESS_FAILURE_LIMIT (20) failures whatever
the usernames, against password spraying (one password tried on many accounts). Every test
posts to the real login view; the counters live in the cache (see tracker/throttling.py).
"""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests"
OFFICE = "10.1.1.1"
ELSEWHERE = "10.2.2.2"


def client_at(address):
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.fixture
def users(db):
    return [factories.UserFactory(username=f"user{n}") for n in range(8)]


def spray(client, users, passwords):
    """Every password against every user, as a sprayer does; the status of each attempt."""
    return [
        sign_in(client, user.username, password).status_code
        for password in passwords
        for user in users
    ]


def test_spraying_one_address_locks_it_at_the_twentieth_failure(users):
    office = client_at(OFFICE)
    # 8 users × 3 passwords: no username is tried 5 times, yet the address is locked.
    statuses = spray(office, users, ["123456", "password", "qwerty"])
    assert statuses[:19] == [200] * 19
    assert set(statuses[19:]) == {429}
    locked = sign_in(office, users[0].username, PASSWORD)
    assert locked.status_code == 429  # even the right password, from this address
    assert "Signing in from this address is locked" in locked.content.decode()
    assert sign_in(client_at(ELSEWHERE), users[0].username, PASSWORD).status_code == 302


def test_eight_users_tried_once_each_are_not_locked_yet(users):
    """The address limit leaves room for an office's ordinary typos."""
    office = client_at(OFFICE)
    assert spray(office, users, ["123456"]) == [200] * 8
    assert sign_in(office, users[0].username, PASSWORD).status_code == 302


def test_the_address_limit_is_a_setting(users, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    office = client_at(OFFICE)
    assert spray(office, users[:4], ["123456"]) == [200, 200, 429, 429]


def test_five_failures_on_one_username_lock_only_that_username_from_that_address(users):
    office = client_at(OFFICE)
    statuses = [sign_in(office, "user0", "wrong").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    locked = sign_in(office, "user0", PASSWORD)
    assert locked.status_code == 429
    assert "This username is locked for 15 minutes" in locked.content.decode()
    assert sign_in(office, "user1", PASSWORD).status_code == 302
    assert sign_in(client_at(ELSEWHERE), "user0", PASSWORD).status_code == 302


def test_signing_in_to_ones_own_account_does_not_wipe_the_addresss_count(users):
    """Otherwise a sprayer with an account of their own would sign in every 19 guesses."""
    office = client_at(OFFICE)
    guesses = [(user, word) for word in ("123456", "password", "qwerty") for user in users[1:]]
    statuses = [sign_in(office, user.username, word).status_code for user, word in guesses[:19]]
    assert statuses == [200] * 19
    assert sign_in(office, "user0", PASSWORD).status_code == 302
    office.post(reverse("logout"))
    assert sign_in(office, "user2", "letmein").status_code == 429


def test_a_successful_sign_in_clears_that_usernames_own_count(users):
    office = client_at(OFFICE)
    for _ in range(4):
        assert sign_in(office, "user0", "wrong").status_code == 200
    assert sign_in(office, "user0", PASSWORD).status_code == 302
    office.post(reverse("logout"))
    for _ in range(4):
        assert sign_in(office, "user0", "wrong").status_code == 200


def test_unknown_usernames_count_against_the_address_too(db):
    office = client_at(OFFICE)
    statuses = [sign_in(office, f"nobody{n}", "123456").status_code for n in range(20)]
    assert statuses[-1] == 429 and statuses[:-1] == [200] * 19


def test_an_administrator_unlocks_an_address_with_axes_reset_ip(users):
    office = client_at(OFFICE)
    spray(office, users, ["123456", "password", "qwerty"])
    assert sign_in(office, "user0", PASSWORD).status_code == 429
    call_command("axes_reset_ip", OFFICE, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sign_in(office, "user0", PASSWORD).status_code == 302


def test_an_administrator_unlocks_a_username_with_axes_reset_ip_username(users):
    office = client_at(OFFICE)
    for _ in range(5):
        sign_in(office, "user0", "wrong")
    assert sign_in(office, "user0", PASSWORD).status_code == 429
    call_command("axes_reset_ip_username", OFFICE, "user0", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sign_in(office, "user0", PASSWORD).status_code == 302

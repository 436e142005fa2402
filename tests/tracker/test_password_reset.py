"""Password reset: honest when there is no mail, limited per address and per e-mail, styled
and translated like the rest of the site; e-mail configured from the environment."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.tracker.test_settings import manage

pytestmark = pytest.mark.django_db

RESET = reverse("password_reset")
NO_MAIL_ZH = "本系统未配置邮件，请联系管理员重置密码"
NO_MAIL_EN = "This system has no e-mail configured"
TOO_MANY = "Too many password reset requests. Please try again in an hour."


@pytest.fixture
def zhang(db):
    return factories.UserFactory(username="zhang", email="zhang@example.cn")


@pytest.fixture
def mail_configured(settings):
    settings.EMAIL_CONFIGURED = True


@pytest.fixture
def no_mail(settings):
    settings.EMAIL_CONFIGURED = False


def client_at(address, language="en"):
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)


def ask(client, email):
    return client.post(RESET, {"email": email})


def test_the_login_page_links_to_the_password_reset(client):
    assert f'href="{RESET}"' in client.get(reverse("login")).content.decode()


# --- no mail configured (production without EMAIL_HOST) ----------------------------------------


def test_without_mail_the_reset_page_says_so_in_chinese_and_has_no_form(no_mail):
    page = client_at("10.0.0.1", "zh-hans").get(RESET)
    assert page.status_code == 200
    text = page.content.decode()
    assert NO_MAIL_ZH in text
    assert 'name="email"' not in text
    assert 'class="topbar"' in text  # the site's layout


def test_without_mail_a_posted_request_sends_nothing_and_says_why(no_mail, zhang):
    response = ask(client_at("10.0.0.1"), "zhang@example.cn")
    assert response.status_code == 503
    assert NO_MAIL_EN in response.content.decode()
    assert mail.outbox == []


def test_without_mail_the_sent_page_does_not_pretend_either(no_mail):
    response = client_at("10.0.0.1").get(reverse("password_reset_done"))
    assert NO_MAIL_EN in response.content.decode()
    assert "Check your mailbox" not in response.content.decode()


# --- with mail --------------------------------------------------------------------------------


def test_a_reset_mail_carries_a_link_that_sets_a_new_password(mail_configured, zhang):
    client = client_at("10.0.0.1")
    form = client.get(RESET).content.decode()
    assert 'name="email"' in form and "Reset your password" in form
    response = ask(client, "zhang@example.cn")
    assert response["Location"] == reverse("password_reset_done")
    assert "Check your mailbox" in client.get(response["Location"]).content.decode()
    [message] = mail.outbox
    assert message.to == ["zhang@example.cn"]
    assert message.subject == "Pilot Tracker: reset your password"
    assert '"zhang"' in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-pass-for-2026", "new_password2": "a-new-pass-for-2026"},
    )
    assert done["Location"] == reverse("password_reset_complete")
    assert "Your new password is set" in client.get(done["Location"]).content.decode()
    zhang.refresh_from_db()
    assert zhang.check_password("a-new-pass-for-2026")


def test_a_used_link_is_refused_with_a_way_to_ask_again(mail_configured, zhang):
    client = client_at("10.0.0.1")
    ask(client, "zhang@example.cn")
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    set_form = client.get(link, follow=True).redirect_chain[-1][0]
    new = {"new_password1": "a-new-pass-for-2026", "new_password2": "a-new-pass-for-2026"}
    client.post(set_form, new)
    page = client.get(link, follow=True).content.decode()
    assert "This link is invalid" in page and f'href="{RESET}"' in page


def test_the_reset_pages_are_translated(mail_configured):
    page = client_at("10.0.0.1", "zh-hans").get(RESET).content.decode()
    assert "重置密码" in page
    assert "Reset your password" not in page


# --- rate limits ------------------------------------------------------------------------------


def test_one_email_address_gets_at_most_three_requests_an_hour(mail_configured, zhang):
    statuses = [ask(client_at(f"10.0.0.{n}"), "zhang@example.cn").status_code for n in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3
    refused = ask(client_at("10.0.0.9"), "ZHANG@example.cn ")  # the same address, typed loosely
    assert refused.status_code == 429
    assert TOO_MANY in refused.content.decode()


def test_one_requesting_address_gets_at_most_ten_requests_an_hour(mail_configured):
    office = client_at("10.0.0.1")
    statuses = [ask(office, f"person{n}@example.cn").status_code for n in range(11)]
    assert statuses == [302] * 10 + [429]
    assert ask(client_at("10.0.0.2"), "person99@example.cn").status_code == 302


def test_the_limit_is_the_same_for_addresses_without_an_account(mail_configured, zhang):
    """Refusing only registered addresses would tell which ones are."""
    unknown = [ask(client_at(f"10.0.1.{n}"), "nobody@example.cn").status_code for n in range(4)]
    known = [ask(client_at(f"10.0.2.{n}"), "zhang@example.cn").status_code for n in range(4)]
    assert unknown == known == [302, 302, 302, 429]


def test_the_limits_are_settings(mail_configured, settings):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 1
    assert [ask(client_at("10.0.0.1"), "a@example.cn").status_code for _ in range(2)] == [302, 429]


# --- e-mail settings from the environment ------------------------------------------------------

SHOW_MAIL = (
    "from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_CONFIGURED, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, "
    "s.DEFAULT_FROM_EMAIL)"
)
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "tracker.example.cn",
}


def settings_line(**env):
    result = manage("shell", "-c", SHOW_MAIL, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].split()


@pytest.mark.django_db(databases=[])
def test_production_without_email_host_has_no_mail():
    backend, configured, *_ = settings_line(**PRODUCTION)
    assert backend.endswith("dummy.EmailBackend") and configured == "False"


@pytest.mark.django_db(databases=[])
def test_development_without_email_host_prints_mail_on_the_console():
    backend, configured, *_ = settings_line(DEBUG="1")
    assert backend.endswith("console.EmailBackend") and configured == "True"


@pytest.mark.django_db(databases=[])
def test_email_host_from_the_environment_selects_smtp():
    line = settings_line(
        **PRODUCTION,
        EMAIL_HOST="smtp.example.cn",
        EMAIL_PORT="465",
        EMAIL_USE_TLS="1",
        DEFAULT_FROM_EMAIL="tracker@example.cn",
    )
    assert line == [
        "django.core.mail.backends.smtp.EmailBackend",
        "True",
        "smtp.example.cn",
        "465",
        "True",
        "tracker@example.cn",
    ]


@pytest.mark.django_db(databases=[])
def test_email_host_without_a_sender_address_refuses_to_start():
    result = manage("check", **PRODUCTION, EMAIL_HOST="smtp.example.cn")
    assert result.returncode != 0
    assert "DEFAULT_FROM_EMAIL must be set" in result.stderr

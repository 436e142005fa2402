"""``/healthz``: status only, for load balancers; no sign-in, nothing revealed."""

import pytest
from django.urls import reverse
from django.utils.translation import override

pytestmark = pytest.mark.django_db(transaction=True)  # the checks use connections of their own


def test_healthz_answers_ok_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    with override("en"):
        assert reverse("healthz") == "/healthz"


@pytest.mark.parametrize("accept", ["text/html", "text/plain", "application/json", "*/*"])
def test_healthz_says_only_its_status_whatever_is_asked(client, accept):
    response = client.get("/healthz?format=text", HTTP_ACCEPT=accept)
    assert response.json() == {"status": "ok"}


def test_a_failing_check_is_503_without_its_reason(client, settings, caplog):
    settings.STORAGES = {
        **settings.STORAGES,
        "imports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": "/proc/forbidden-for-the-health-check"},
        },
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    body = response.content.decode()
    assert "proc" not in body and "Storage" not in body and "Error" not in body
    assert "health check" in caplog.text  # the reason is in the log


def test_the_broker_is_checked_only_when_one_is_configured(settings):
    from tracker.health import Broker, health_checks

    settings.QUEUE_CONFIGURED = False
    assert Broker not in health_checks()
    settings.QUEUE_CONFIGURED = True
    assert Broker in health_checks()


def test_an_unreachable_broker_makes_the_host_unavailable(client, settings, monkeypatch):
    from tracker.celery import app

    settings.QUEUE_CONFIGURED = True
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json() == {"status": "unavailable"}


def test_healthz_is_not_redirected_to_https_when_the_rest_is(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("login")).status_code == 301

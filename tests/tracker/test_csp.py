"""The Content-Security-Policy: every page is sent with it, and no page carries what it forbids
(an inline script without the request's nonce, an event-handler attribute, a style attribute
or element). The browser tests (tests/browser/) check the same pages in Chromium and fail on
any violation it reports."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from projects.imports.choices import ImportOutcome
from projects.imports.models import ImportBatch
from tests.workspace import populate

pytestmark = pytest.mark.django_db


class ForbiddenByThePolicy(HTMLParser):
    """Collects what the policy would block, given the nonce the response's header allows."""

    def __init__(self, nonce):
        super().__init__()
        self.nonce, self.problems, self.inline_scripts = nonce, [], 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.problems += [f"<{tag} {name}=…>" for name in attributes if name.startswith("on")]
        if "style" in attributes:
            self.problems.append(f'<{tag} style="{attributes["style"]}">')
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script" and "src" not in attributes:
            self.inline_scripts += 1
            if attributes.get("nonce") != self.nonce:
                self.problems.append("<script> without the request's nonce")


def policy_of(response) -> dict:
    header = response["Content-Security-Policy"]
    return {
        directive.split()[0]: directive.split()[1:]
        for directive in header.split(";")
        if directive.strip()
    }


def check(response, body=None):
    """The page's problems under its own policy (an empty list when it complies)."""
    policy = policy_of(response)
    nonces = [value[len("'nonce-") : -1] for value in policy["script-src"] if "nonce-" in value]
    parser = ForbiddenByThePolicy(nonces[0] if nonces else None)
    parser.feed(body if body is not None else response.content.decode())
    return parser


def test_the_policy_allows_only_the_sites_own_files():
    from django.test import Client

    response = Client().get(reverse("login"))
    policy = policy_of(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


@pytest.fixture
def pages(world):
    """Every kind of page, with data in it (charts with points and bars)."""
    data = populate(world, 3)
    batch = ImportBatch.objects.create(user=world["staff_a"], file_name="a.csv", kind="csv")
    return [
        reverse("home"),
        reverse("platforms:platform_list"),
        reverse("platforms:platform_detail", args=[world["platform_a"].pk]),
        reverse("projects:project_list"),
        reverse("projects:project_create"),
        reverse("projects:project_detail", args=[data["project"].pk]),
        reverse("projects:project_update", args=[data["project"].pk]),
        reverse("projects:project_delete", args=[data["project"].pk]),
        reverse("projects:enterprise_list"),
        reverse("projects:enterprise_detail", args=[data["enterprise"].pk]),
        reverse("reports:rollup"),
        reverse("imports:upload"),
        reverse("imports:history"),
        reverse("imports:batch", args=[batch.pk]),
        reverse("password_change"),
    ]


def test_no_page_carries_inline_code_or_styles(client, world, pages):
    client.force_login(world["staff_a"])
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert check(response).problems == [], url


def test_the_pages_signed_out_carry_no_inline_code_either(client):
    for url in (reverse("login"), reverse("password_reset")):
        assert check(client.get(url)).problems == [], url


def test_the_project_page_draws_its_yield_chart_without_styles(client, world):
    project = populate(world, 3)["project"]
    client.force_login(world["staff_a"])
    response = client.get(reverse("projects:project_detail", args=[project.pk]))
    assert "<svg" in response.content.decode() and "<polyline" in response.content.decode()
    assert check(response).problems == []


def test_a_running_import_page_follows_its_job_without_any_inline_script(client, world):
    batch = ImportBatch.objects.create(
        user=world["staff_a"], file_name="a.csv", kind="csv", outcome=ImportOutcome.CHECKING
    )
    client.force_login(world["staff_a"])
    response = client.get(reverse("imports:batch", args=[batch.pk]))
    parser = check(response)
    assert parser.inline_scripts == 0 and parser.problems == []
    assert "js/imports.js" in response.content.decode()
    assert "nonce-" not in response["Content-Security-Policy"]


def test_a_script_without_the_nonce_would_be_caught():
    """The checker itself: it finds what the policy forbids."""
    parser = ForbiddenByThePolicy("abc")
    parser.feed(
        '<script>x()</script><script nonce="abc">ok()</script><script src="/s.js"></script>'
        '<select onchange="go()"></select><p style="color:red"></p><style>p{}</style>'
    )
    assert len(parser.problems) == 4


def test_the_admin_pages_carry_no_inline_code(client, world):
    project = populate(world, 2)["project"]
    client.force_login(world["admin_user"])
    for url in (
        reverse("admin:index"),
        reverse("admin:projects_project_changelist"),
        reverse("admin:projects_project_change", args=[project.pk]),
        reverse("admin:auth_user_change", args=[world["staff_a"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert check(response).problems == [], url

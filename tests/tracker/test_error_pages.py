"""403, 404 and 500 pages (issue 12, item 6): in the user's language, inside the site's layout,
with a way back; the 500 page needs neither the database nor a working request. DEBUG is off,
as in production (Django's technical pages would hide these otherwise)."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production_debug(settings):
    settings.DEBUG = False


def page_of(response) -> str:
    return response.content.decode()


def assert_in_the_layout_with_a_way_back(page):
    assert 'class="topbar"' in page and "/static/css/tracker.css" in page
    assert f'href="{reverse("home")}"' in page
    assert "data-history-back" in page


def test_a_refused_page_says_why_in_chinese_inside_the_layout(client, world):
    client.force_login(world["manager"])
    response = client.get(reverse("imports:upload"))
    assert response.status_code == 403
    page = page_of(response)
    assert "您无权打开此页面" in page
    assert "只有平台工作人员和管理员可以导入。" in page  # the reason the view gave
    assert "Forbidden" not in page
    assert_in_the_layout_with_a_way_back(page)
    assert 'class="mainnav"' in page  # the menu is there: the user can go on


def test_a_refused_page_in_english(client, world):
    client.force_login(world["manager"])
    response = client.get(reverse("imports:upload"), HTTP_ACCEPT_LANGUAGE="en")
    assert "You may not open this page" in page_of(response)


def test_a_missing_record_gets_the_not_found_page_in_the_users_language(client, world):
    client.force_login(world["staff_a"])
    response = client.get(reverse("projects:project_detail", args=[987654]))
    assert response.status_code == 404
    page = page_of(response)
    assert "找不到该页面" in page and "Not Found" not in page
    assert_in_the_layout_with_a_way_back(page)
    english = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 404
    assert "Page not found" in page_of(english)


@pytest.mark.urls("tests.tracker.error_urls")
@pytest.mark.parametrize(("language", "words"), [("zh-hans", "出错了"), ("en", "went wrong")])
def test_a_server_error_gets_a_page_of_the_site_in_the_users_language(world, language, words):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(world["staff_a"])
    response = client.get("/fail/")
    assert response.status_code == 500
    page = page_of(response)
    assert words in page
    assert_in_the_layout_with_a_way_back(page)
    assert "a bug in a view" not in page and "Traceback" not in page


def test_the_server_error_page_needs_no_database_and_no_request_context(django_db_blocker):
    request = RequestFactory().get("/")  # no user, no session: as broken as it may be
    # The language the request's middleware chose stays active while the page renders.
    with translation.override("zh-hans"), django_db_blocker.block():  # a query would fail
        response = server_error(request)
    assert response.status_code == 500
    page = page_of(response)
    assert "出错了" in page
    assert_in_the_layout_with_a_way_back(page)
    assert 'class="mainnav"' not in page  # the menu would ask about the user


def test_a_form_sent_without_its_security_token_gets_a_page_that_says_what_to_do(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["staff_a"])
    response = client.post(reverse("projects:project_create"), {"code": "X"})
    assert response.status_code == 403
    page = page_of(response)
    assert "表单已过期" in page and "CSRF" not in page
    assert_in_the_layout_with_a_way_back(page)

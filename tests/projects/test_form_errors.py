"""Forms that say what went wrong (issue 12, item 2): a failed save lists every error at the
top, inline rows included, each linked to its field; nothing typed is lost; money is typed as the
import reads it; after saving, the user is back where they came from."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.forms import YieldRunFormSet
from projects.models import Financing, Project, YieldRun
from tests import factories
from tests.workspace import add_financing, add_run, edit_page_data, english, new_project_data
from tracker import error_summary

pytestmark = pytest.mark.django_db

CREATE = "projects:project_create"


@pytest.fixture
def staff_client(client, world):
    client.force_login(world["staff_a"])
    return client


def summary_of(page: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def summary_items(page: str) -> list[tuple[str, str]]:
    """(link target or "", text) of each item of the summary."""
    items = re.findall(r"<li>(.*?)</li>", summary_of(page), re.S)
    result = []
    for item in items:
        target = re.search(r'href="#([^"]+)"', item)
        result.append((target.group(1) if target else "", re.sub(r"<[^>]+>", "", item)))
    return result


def broken_submission(client, world):
    """A revenue that is no amount, a good run, a run with more passed than tested, and a
    financing round with a negative amount: three errors, in three parts of the page."""
    data = new_project_data(client, world["platform_a"], service_revenue="十二万")
    add_run(data, "DVT", 1, "2024-02-01", 100, 40)
    add_run(data, "DVT", 2, "2024-03-01", 100, 101)
    add_financing(data, "-5")
    return data


def test_a_failed_save_lists_every_error_at_the_top_with_a_link_to_its_field(staff_client, world):
    response = staff_client.post(reverse(CREATE), broken_submission(staff_client, world))
    assert response.status_code == 400
    page = response.content.decode()
    assert "未保存：有 3 处需要修改。" in summary_of(page)
    items = summary_items(page)
    assert [target for target, _text in items] == [
        "id_service_revenue",
        "id_runs-1-units_passed",
        "id_financing-0-amount",
    ]
    assert items[0][1].startswith("中试服务收入(元)：不是有效的金额")
    assert items[1][1] == "良率记录第2行：合格数量：合格数量不能超过测试数量。"
    assert items[2][1].startswith("融资记录第1行：金额(元)：")
    # Each link leads to an element of the page.
    for target, _text in items:
        assert f'id="{target}"' in page
    # The summary comes before the form's fields, and tracker.js is told to focus it.
    assert page.index("data-error-summary") < page.index('id="id_code"')
    assert not Project.objects.exists() and not YieldRun.objects.exists()


def test_the_summary_is_in_english_for_english_users(staff_client, world):
    english(staff_client)
    response = staff_client.post(reverse(CREATE), broken_submission(staff_client, world))
    items = summary_items(response.content.decode())
    assert items[1][1] == (
        "Yield run, row 2: Units passed: Units passed cannot exceed units tested."
    )
    assert "Nothing was saved: 3 problems to fix." in response.content.decode()


def test_nothing_typed_is_lost_when_a_save_fails(staff_client, world):
    data = broken_submission(staff_client, world)
    add_run(data, "PVT", 1, "2024-04-01", 1000, 900)  # a row added in the browser
    data["output_value"] = "85万"
    data["description"] = "项目说明，保留原样"
    response = staff_client.post(reverse(CREATE), data)
    page = response.content.decode()
    assert 'name="runs-TOTAL_FORMS" value="3"' in page
    for name, value in [
        ("code", "ZS-2024-001"),
        ("service_revenue", "十二万"),  # refused, and shown exactly as typed
        ("output_value", "85万"),
        ("runs-1-units_passed", "101"),
        ("runs-2-units_tested", "1000"),
        ("financing-0-amount", "-5"),
        ("new_enterprise_uscc", data["new_enterprise_uscc"]),
    ]:
        assert re.search(rf'name="{re.escape(name)}"[^>]*value="{re.escape(value)}"', page), name
    assert "项目说明，保留原样" in page


def test_a_form_wide_error_is_in_the_summary_too(staff_client, world):
    project = factories.ProjectFactory(platform=world["platform_a"])
    data = edit_page_data(staff_client, project)
    data["version"] = str(project.version - 1 if project.version > 1 else 99)
    response = staff_client.post(reverse("projects:project_update", args=[project.pk]), data)
    assert response.status_code == 409
    items = summary_items(response.content.decode())
    assert len(items) == 1 and items[0][0] == ""  # not linked: it is about the whole form
    assert "在您打开此表单后" in items[0][1]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("85万", Decimal("850000.00")),
        ("1.2亿", Decimal("120000000.00")),
        ("1,234.5", Decimal("1234.50")),
        ("１２.５万元", Decimal("125000.00")),
    ],
)
def test_money_fields_accept_what_the_import_accepts(staff_client, world, typed, stored):
    data = new_project_data(staff_client, world["platform_a"], service_revenue=typed)
    data["output_value"] = typed
    add_financing(data, typed)
    response = staff_client.post(reverse(CREATE), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    project = Project.objects.get()
    assert project.service_revenue == project.output_value == stored
    assert Financing.objects.get().amount == stored


def test_a_refused_amount_says_which_formats_are_accepted(staff_client, world):
    data = new_project_data(staff_client, world["platform_a"], service_revenue="85万元整")
    response = staff_client.post(reverse(CREATE), data)
    message = response.context["form"].errors["service_revenue"][0]
    assert "12.5万" in message and "1.2亿" in message and "1,234.5" in message
    assert "输入一个数字" not in response.content.decode()


# --- back to where the user came from --------------------------------------------------------


def test_after_editing_from_the_project_page_the_user_is_back_on_it(staff_client, world):
    project = factories.ProjectFactory(platform=world["platform_a"])
    detail = f"{project.get_absolute_url()}?next=%2Fprojects%2F%3Fstatus%3Dintent"
    page = staff_client.get(detail).content.decode()
    edit_link = re.search(r'href="([^"]*/edit/\?next=[^"]*)"', page).group(1).replace("&amp;", "&")
    form_page = staff_client.get(edit_link)
    data = edit_page_data(staff_client, project, response=form_page)
    data["title"] = "改过的标题"
    response = staff_client.post(edit_link, data)
    assert response.status_code == 302
    assert response["Location"] == detail  # the project page, its own way back kept
    back = staff_client.get(response["Location"]).context["next_url"]
    assert back == "/projects/?status=intent"


@pytest.mark.parametrize(
    "target", ["https://evil.example.com/", "//evil.example.com/x", "javascript:alert(1)"]
)
def test_a_next_address_off_the_site_is_ignored(staff_client, world, target):
    project = factories.ProjectFactory(platform=world["platform_a"])
    data = edit_page_data(staff_client, project)
    data["next"] = target
    response = staff_client.post(reverse("projects:project_update", args=[project.pk]), data)
    assert response["Location"] == project.get_absolute_url()


# --- the other forms ---------------------------------------------------------------------------


def test_the_password_form_has_the_summary_too(staff_client):
    response = staff_client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "a", "new_password2": "b"},
    )
    targets = [target for target, _text in summary_items(response.content.decode())]
    assert targets[:2] == ["id_old_password", "id_new_password2"]


def test_the_platform_profile_form_has_the_summary_too(staff_client, world):
    url = reverse("platforms:platform_update", args=[world["platform_a"].pk])
    response = staff_client.post(url, {"name_en": "x" * 500})
    assert response.status_code == 200
    assert summary_items(response.content.decode())[0][0] == "id_name_en"


def test_an_error_of_a_hidden_field_links_to_its_row(world):
    project = factories.ProjectFactory(platform=world["platform_a"])
    data = {
        "runs-TOTAL_FORMS": "1",
        "runs-INITIAL_FORMS": "1",
        "runs-0-id": "987654",  # no such run: an error on the row's hidden id field
        "runs-0-stage": "DVT",
        "runs-0-sequence": "1",
        "runs-0-measured_on": "2024-02-01",
        "runs-0-units_tested": "10",
        "runs-0-units_passed": "5",
        "runs-0-unit": "pcs",
    }
    errors = error_summary.collect(YieldRunFormSet(data, instance=project, prefix="runs"))
    assert errors, "the unknown id is an error"
    assert {error.target for error in errors} == {"runs-0"}  # the row, not a hidden input


def test_what_the_user_typed_is_escaped_in_the_summary(staff_client, world):
    data = new_project_data(
        staff_client,
        world["platform_a"],
        new_enterprise_name="",
        new_enterprise_uscc="",
        enterprise_ref="<script>alert(1)</script>",
    )
    page = staff_client.post(reverse(CREATE), data).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in summary_of(page)
    assert "<script>alert(1)" not in page

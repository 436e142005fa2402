"""One meaning per word (issue 12, item 5): one term per concept between the forms, the pages,
the import template and the exports; one definition of "active projects"; 百分点 in Chinese and
"pp" only in English; each language named in itself; no admin label glitch."""

import datetime as dt
import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from projects.imports.columns import header_lookup, normalize_header
from projects.imports.models import ImportOutcome
from projects.imports.registry import registry
from projects.models import Project, YieldRun
from tests import factories
from tests.imports.helpers import run_import, write_xlsx
from tests.workspace import english

pytestmark = pytest.mark.django_db

# Import headers that say more than the form label, because a sheet has no form around it:
# "名称" alone could be any name, and a reference column names its record by its key.
QUALIFIED_HEADERS = {
    ("platforms", "name"): "平台名称",
    ("platforms", "zone"): "所属园区",
    ("platforms", "recognition_lists"): "认定名单",
    ("enterprises", "name"): "企业名称",
    ("projects", "enterprise"): "企业统一社会信用代码",
    ("yield_runs", "project"): "项目编号",
    ("financing", "project"): "项目编号",
}


def zh(text) -> str:
    with translation.override("zh-hans"):
        return str(text)


def test_every_chinese_import_header_is_the_label_of_its_form_field():
    different = {}
    for sheet in registry.sheets():
        for column in sheet.columns:
            if (sheet.kind, column.field) in QUALIFIED_HEADERS:
                assert column.chinese == QUALIFIED_HEADERS[sheet.kind, column.field]
                continue
            label = zh(sheet.model._meta.get_field(column.field).verbose_name)
            if column.chinese != label:
                different[f"{sheet.kind}.{column.field}"] = (column.chinese, label)
    assert different == {}


def test_the_chinese_choice_labels_of_the_import_are_those_of_the_pages():
    different = {
        f"{choices.__name__}.{value}": (label, zh(choices(value).label))
        for choices, labels in registry.choice_labels.items()
        for value, label in labels.items()
        if label != zh(choices(value).label)
    }
    assert different == {}


@pytest.mark.parametrize(
    ("kind", "old_header", "field"),
    [
        ("projects", "项目说明", "description"),
        ("yield_runs", "直通数量", "first_pass_units"),
        ("yield_runs", "轮次序号", "sequence"),
        ("platforms", "所属高新区", "zone"),
        ("enterprises", "行业领域", "sector"),
        ("enterprises", "专精特新等级", "srdi_level"),
    ],
)
def test_a_renamed_chinese_header_is_still_read(kind, old_header, field):
    columns = registry.sheet(kind).columns
    assert header_lookup(columns)[normalize_header(old_header)].field == field


def test_last_years_file_with_the_old_headers_still_imports(world, tmp_path):
    enterprise = factories.EnterpriseFactory()
    factories.ProjectFactory(platform=world["platform_a"], enterprise=enterprise)
    projects = [
        ["项目编号", "中试平台", "企业统一社会信用代码", "项目名称", "开始日期", "项目说明"],
        ["OLD-1", world["platform_a"].name, enterprise.uscc, "旧表头项目", "2024-01-01", "旧说明"],
    ]
    runs = [
        ["项目编号", "阶段", "轮次序号", "测试日期", "测试数量", "合格数量", "直通数量"],
        ["OLD-1", "DVT", 1, "2024-03-01", 50, 20, 18],
    ]
    path = write_xlsx(tmp_path / "old.xlsx", {"项目": projects, "良率记录": runs})
    batch = run_import(path, user=world["admin_user"])
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    assert Project.objects.get(code="OLD-1").description == "旧说明"
    assert YieldRun.objects.get(project__code="OLD-1").first_pass_units == 18


# --- active projects -------------------------------------------------------------------------


@pytest.fixture
def one_project_per_status(world):
    for status in ("intent", "contracted", "in_progress", "completed", "terminated"):
        factories.ProjectFactory(platform=world["platform_a"], status=status, code=status.upper())


def test_home_and_platform_page_count_the_same_active_projects_under_one_name(
    client, world, one_project_per_status
):
    client.force_login(world["staff_a"])
    home = client.get(reverse("home"))
    platform_page = client.get(reverse("platforms:platform_detail", args=[world["platform_a"].pk]))
    assert home.context["platforms"][0].active_projects == 2  # contracted, in progress
    assert platform_page.context["figures"]["active_projects"] == 2
    for page in (home.content.decode(), platform_page.content.decode()):
        assert "在研项目" in page
        assert "已签约或进行中" in page  # the definition, on the page
        assert ">进行中的项目<" not in page and ">在研项目<" in page


def test_the_active_count_links_to_exactly_the_projects_it_counts(
    client, world, one_project_per_status
):
    client.force_login(world["staff_a"])
    page = client.get(reverse("home")).content.decode()
    link = f"?platform={world['platform_a'].pk}&amp;status=active"
    assert link in page
    listed = client.get(
        reverse("projects:project_list"), {"platform": world["platform_a"].pk, "status": "active"}
    )
    codes = sorted(row.record.code for row in listed.context["table"].paginated_rows)
    assert codes == ["CONTRACTED", "IN_PROGRESS"]


# --- percentage points, language names, admin labels ----------------------------------------


@pytest.fixture
def gained_project(world):
    project = factories.ProjectFactory(platform=world["platform_a"])
    for sequence, passed in ((1, 40), (2, 90)):
        factories.YieldRunFactory(
            project=project,
            sequence=sequence,
            measured_on=dt.date(2024, 3, sequence),
            units_tested=100,
            units_passed=passed,
        )
    return project


def test_percentage_points_are_bai_fen_dian_in_chinese_and_pp_only_in_english(
    client, world, gained_project
):
    client.force_login(world["staff_a"])
    url = gained_project.get_absolute_url()
    chinese = client.get(url).content.decode()
    assert "40% → 90%（+50个百分点，+125%）" in chinese
    assert not re.search(r"\bpp\b", chinese)
    listed = client.get(reverse("projects:project_list")).content.decode()
    assert "+50.0个百分点" in listed and not re.search(r"\bpp\b", listed)
    assert "40% → 90% (+50 pp, +125%)" in english(client).get(url).content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_language_menu_names_each_language_in_that_language(client, world, language):
    client.force_login(world["staff_a"])
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    options = re.findall(r'<option value="(zh-hans|en)"[^>]*>([^<]+)</option>', page)
    assert options == [("zh-hans", "简体中文"), ("en", "English")]
    assert "英语" not in page


def test_no_admin_inline_gets_an_s_glued_to_its_chinese_name(client, world):
    for model_admin in admin.site._registry.values():
        for inline_class in model_admin.inlines:
            inline = inline_class(model_admin.model, admin.site)
            plural = zh(inline.verbose_name_plural)
            assert not re.search(r"[\u4e00-\u9fff][sS]$", plural), (inline_class, plural)
    client.force_login(world["admin_user"])
    user_page = client.get(reverse("admin:auth_user_change", args=[world["staff_a"].pk]))
    platform_page = client.get(
        reverse("admin:platforms_platform_change", args=[world["platform_a"].pk])
    )
    for page in (user_page.content.decode(), platform_page.content.decode()):
        assert not re.search(r"平台工作人员[sS]|管理的园区[sS]|所属平台[sS]", page)


def test_memberships_are_named_with_the_roles_words():
    from platforms.models import PlatformMembership, ZoneMembership

    assert zh(capfirst(PlatformMembership._meta.verbose_name_plural)) == "平台工作人员"
    assert zh(capfirst(ZoneMembership._meta.verbose_name_plural)) == "园区管理者"
    assert zh(translation.gettext_lazy("Zone manager")) == "园区管理者"


def test_no_admin_column_header_is_left_in_english(client, world):
    factories.YieldRunFactory(project=factories.ProjectFactory(platform=world["platform_a"]))
    client.force_login(world["admin_user"])
    page = client.get(reverse("admin:projects_yieldrun_changelist")).content.decode()
    page = page.split('id="result_list"', 1)[1].split("</thead>", 1)[0]
    headers = re.findall(r'<th scope="col"[^>]*>.*?</th>', page, re.S)
    texts = [re.sub(r"<[^>]+>|\s+", "", header) for header in headers]
    assert "良率记录" in texts
    assert [text for text in texts if re.search(r"[A-Za-z]{3,}", text)] == []

"""History in words (issue 12, item 4): on project and enterprise pages and in the admin, a
change reads with labels, money in 万元/元 with units, 是/否, dates in the user's language and
"（空）" for nothing, never a code, a raw number, "True" or "None"; an import's change reason is
said in words."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from projects.models import Enterprise, Financing, Project
from tests import factories
from tracker.history import reason_in_words, value_in_words

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed_project(world):
    """A project saved once, then changed in every kind of field, the second time by an
    import (its change reason as the imports app writes it)."""
    project = factories.ProjectFactory(
        platform=world["platform_a"],
        status="in_progress",
        service_revenue=Decimal("850000.00"),
        new_product=False,
        end_on=None,
        description="",
    )
    project.status = "completed"
    project.service_revenue = Decimal("920000.00")
    project.output_value = Decimal("1234.56")
    project.new_product = True
    project.end_on = dt.date(2024, 12, 31)
    project.description = "小批量试产完成"
    project._change_reason = "import #12 (蜂鸟平台2024.xlsx)"
    project.save()
    return project


def history_text(client, user, url, language="zh-hans") -> str:
    client.force_login(user)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    table = page.split('id="history"', 1)[1].split("</table>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table))


def test_a_project_change_reads_in_words_in_chinese(client, world, changed_project):
    text = history_text(client, world["staff_a"], changed_project.get_absolute_url())
    for words in (
        "状态：进行中 → 已完成",
        "中试服务收入(元)：85万元 → 92万元",
        "产品产值(元)：100万元 → 1234.56元",
        "孵化新产品：否 → 是",
        "结束日期：（空） → 2024年12月31日",
        "简介：（空） → 小批量试产完成",
        "导入 #12：蜂鸟平台2024.xlsx",
    ):
        assert words in text, words
    for raw in ("None", "True", "False", "in_progress", "850000", "→ —"):
        assert raw not in text, raw


def test_a_project_change_reads_in_words_in_english(client, world, changed_project):
    text = history_text(client, world["staff_a"], changed_project.get_absolute_url(), "en")
    for words in (
        "Status: In progress → Completed",
        "Service revenue (yuan): 850,000 yuan → 920,000 yuan",
        "New product: No → Yes",
        "End date: (empty) → Dec. 31, 2024",
        "Import #12: 蜂鸟平台2024.xlsx",
    ):
        assert words in text, words


def test_a_financing_round_is_named_with_its_date_in_words(client, world):
    project = factories.ProjectFactory(platform=world["platform_a"])
    financing = factories.FinancingFactory(project=project, date=dt.date(2024, 6, 1))
    financing.amount = Decimal("30000000")
    financing.save()
    text = history_text(client, world["staff_a"], project.get_absolute_url())
    assert "2024年6月1日" in text and "金额(元)：" in text and "→ 3000万元" in text


def test_an_enterprise_page_shows_its_history_in_words(client, world):
    enterprise = factories.ProjectFactory(platform=world["platform_a"]).enterprise
    enterprise.is_high_tech = True
    enterprise.size = "small"
    enterprise.save()
    text = history_text(client, world["staff_a"], enterprise.get_absolute_url())
    assert "高新技术企业：否 → 是" in text and "企业规模：（空） → 小型" in text


def test_the_admin_history_reads_in_words(client, world, changed_project):
    client.force_login(world["admin_user"])
    url = reverse("admin:projects_project_history", args=[changed_project.pk])
    page = client.get(url).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    for words in (
        "状态：进行中 → 已完成",
        "中试服务收入(元)：85万元 → 92万元",
        "孵化新产品：否 → 是",
        "导入 #12：蜂鸟平台2024.xlsx",
    ):
        assert words in text, words
    table = page.split('id="change-history"', 1)[1].split("</table>", 1)[0]
    assert "None" not in table and "in_progress" not in table
    assert "版本：" not in table  # bookkeeping left out, as on the project page


def test_the_admin_history_of_every_model_with_history_loads_in_words(client, world):
    client.force_login(world["admin_user"])
    financing = factories.FinancingFactory()
    financing.round = "b"
    financing.save()
    for model, obj in ((Financing, financing), (Project, financing.project)):
        url = reverse(f"admin:projects_{model._meta.model_name}_history", args=[obj.pk])
        assert client.get(url).status_code == 200
    text = client.get(
        reverse("admin:projects_financing_history", args=[financing.pk])
    ).content.decode()
    assert "融资轮次：A轮 → B轮" in text


# --- the words themselves ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "zh", "en"),
    [
        ("service_revenue", Decimal("850000.00"), "85万元", "850,000 yuan"),
        ("service_revenue", Decimal("12300.00"), "1.23万元", "12,300 yuan"),
        ("service_revenue", Decimal("120000000"), "1.2亿元", "120,000,000 yuan"),
        ("service_revenue", Decimal("1234.56"), "1234.56元", "1,234.56 yuan"),
        ("service_revenue", Decimal("0"), "0元", "0 yuan"),
        ("new_product", True, "是", "Yes"),
        ("new_product", False, "否", "No"),
        ("status", "in_progress", "进行中", "In progress"),
        ("start_on", dt.date(2024, 3, 1), "2024年3月1日", "March 1, 2024"),
        ("end_on", None, "（空）", "(empty)"),
        ("description", "", "（空）", "(empty)"),
    ],
)
def test_values_in_words(field, value, zh, en):
    model_field = Project._meta.get_field(field)
    with translation.override("zh-hans"):
        assert value_in_words(model_field, value) == zh
    with translation.override("en"):
        assert value_in_words(model_field, value) == en


def test_an_enterprise_relation_is_its_name():
    enterprise = Enterprise(name="成都臻识科技发展有限公司")
    assert value_in_words(Project._meta.get_field("enterprise"), enterprise) == enterprise.name


@pytest.mark.parametrize(
    ("stored", "zh"),
    [
        ("import #12 (file.xlsx)", "导入 #12：file.xlsx"),
        ("duplicate of financing #3 removed by migration 0005", "作为融资记录 #3 的重复项删除"),
        ("someone's own words", "someone's own words"),
        (None, ""),
    ],
)
def test_change_reasons_in_words(stored, zh):
    with translation.override("zh-hans"):
        assert reason_in_words(stored).startswith(zh)

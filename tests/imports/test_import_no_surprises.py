"""An import that never surprises (issue 12, item 1): the unchanged template writes nothing, a
blank cell keeps what is stored and only #CLEAR / #清空 empties a field, the preview says each
update as field: old → new in words, counts every row, and a new enterprise named like another
must be acknowledged before confirming."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from platforms.models import Platform
from projects.imports.choices import ImportOutcome
from projects.imports.models import ImportBatch
from projects.models import Enterprise, Financing, Project, YieldRun
from tests import factories
from tests.factories import make_uscc
from tests.imports.helpers import (
    PROJECT_HEADER,
    counts,
    messages,
    project_row,
    row_counts,
    run_import,
    write_xlsx,
)

EXAMPLE_PLATFORM = "成都高新蜂鸟智能硬件中试平台"
EXAMPLE_CLIENT = "成都臻识科技发展有限公司"


def upload(client, path):
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    response = client.post(reverse("imports:upload"), data)
    assert response.status_code == 302, response.content.decode()[:300]
    return ImportBatch.objects.latest("pk")


def history_counts() -> dict:
    return {
        model.__name__: model.history.count()
        for model in (Platform, Enterprise, Project, YieldRun, Financing)
    }


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_unchanged_template_uploaded_and_confirmed_changes_nothing(client, world, language):
    """What happened before: the example rows erased the Hummingbird platform's description,
    added a second 成都臻识 under another credit code and a made-up project."""
    platform = factories.PlatformFactory(
        name=EXAMPLE_PLATFORM, zone=world["zone1"], description="真实的平台简介"
    )
    factories.EnterpriseFactory(name=EXAMPLE_CLIENT, uscc=make_uscc(77))
    staff = factories.PlatformMembershipFactory(platform=platform).user
    client.force_login(staff)
    client.cookies["django_language"] = language
    template = client.get(reverse("imports:template"))
    before, history_before = row_counts(), history_counts()

    batch = upload(client, _saved(template.content, language))
    assert batch.outcome == ImportOutcome.PREVIEWED, batch.errors
    assert all(sheet == counts() for sheet in batch.counts.values()), batch.counts
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    examples = "示例" if language == "zh-hans" else "Examples"
    assert examples in batch.preview["skipped_sheets"] and examples in page

    client.post(reverse("imports:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.IMPORTED
    assert row_counts() == before and history_counts() == history_before
    platform.refresh_from_db()
    assert platform.description == "真实的平台简介"


def _saved(content, language):
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / f"template-{language}.xlsx"
    path.write_bytes(content)
    return path


def test_the_template_documents_the_blank_cell_and_the_clear_marker(client, world):
    client.force_login(world["staff_a"])
    workbook = load_workbook(io.BytesIO(client.get(reverse("imports:template")).content))
    notes = " ".join(
        str(value) for row in workbook.worksheets[-1].iter_rows(values_only=True) for value in row
    )
    assert "留空的单元格保留原有值" in notes and "#CLEAR / #清空" in notes


@pytest.fixture
def stored(world):
    project = factories.ProjectFactory(
        platform=world["platform_a"],
        code="KEEP-1",
        product="智能相机模组",
        description="保留的说明",
        end_on=dt.date(2024, 12, 31),
        status="in_progress",
        service_revenue=Decimal("850000.00"),
        new_product=False,
    )
    return project


def test_a_blank_cell_keeps_the_stored_value(world, stored, tmp_path):
    header = ["code", "product", "description", "end_on", "service_revenue"]
    path = write_xlsx(tmp_path / "blank.xlsx", {"projects": [header, ["KEEP-1", "", None, "", ""]]})
    batch = run_import(path, user=world["staff_a"])
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    assert batch.counts["projects"] == counts(unchanged=1)
    stored.refresh_from_db()
    assert stored.product == "智能相机模组" and stored.description == "保留的说明"
    assert stored.end_on == dt.date(2024, 12, 31)
    assert stored.service_revenue == Decimal("850000.00")


def test_the_clear_marker_empties_an_optional_field_only(world, stored, tmp_path):
    header = ["code", "description", "end_on"]
    rows = [header, ["KEEP-1", "#清空", " #clear "]]
    batch = run_import(write_xlsx(tmp_path / "clear.xlsx", {"projects": rows}), user=None)
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    stored.refresh_from_db()
    assert stored.description == "" and stored.end_on is None


def test_the_clear_marker_on_a_required_field_is_an_error_naming_it(world, stored, tmp_path):
    before = row_counts()
    rows = [
        ["code", "title", "start_on", "service_revenue"],
        ["KEEP-1", "#清空", "#CLEAR", "#清空"],
    ]
    batch = run_import(write_xlsx(tmp_path / "clear.xlsx", {"projects": rows}), user=None)
    assert batch.outcome == ImportOutcome.INVALID and row_counts() == before
    assert len(messages(batch)) == 3  # required, and money that is never empty
    assert all("不能清空" in message for message in messages(batch))
    stored.refresh_from_db()
    assert stored.title and stored.start_on == dt.date(2024, 1, 1)


def test_a_new_record_still_needs_its_required_values(world, tmp_path):
    factories.client_of(world["platform_a"], uscc=make_uscc(1))
    row = project_row("NEW-1", world["platform_a"])
    row[3] = ""  # the title of a new project
    batch = run_import(write_xlsx(tmp_path / "new.xlsx", {"projects": [PROJECT_HEADER, row]}))
    assert batch.outcome == ImportOutcome.INVALID
    assert messages(batch) == ["新建记录时此列为必填项。"]


def test_the_preview_lists_each_update_as_old_and_new_in_words(client, world, stored, tmp_path):
    header = ["code", "status", "service_revenue", "new_product", "end_on"]
    rows = [header, ["KEEP-1", "已完成", "92万", "是", "2025-01-31"]]
    client.force_login(world["staff_a"])
    batch = upload(client, write_xlsx(tmp_path / "update.xlsx", {"projects": rows}))
    assert batch.outcome == ImportOutcome.PREVIEWED, batch.errors
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    table = page[page.index('class="table changes"') :]
    table = table[: table.index("</table>")]
    for words in (
        "进行中",
        "已完成",
        "85万元",
        "92万元",
        "否",
        "是",
        "2024年12月31日",
        "2025年1月31日",
    ):
        assert f"<td>{words}</td>" in table, words
    for code in ("in_progress", "completed", "850000", "True", "False"):
        assert code not in table, code
    assert "KEEP-1" in table


def test_the_preview_speaks_english_to_an_english_user(client, world, stored, tmp_path):
    rows = [["code", "status", "service_revenue"], ["KEEP-1", "completed", "920000"]]
    client.force_login(world["staff_a"])
    client.cookies["django_language"] = "en"
    batch = upload(client, write_xlsx(tmp_path / "update.xlsx", {"projects": rows}))
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "<td>In progress</td>" in page and "<td>Completed</td>" in page
    assert "<td>850,000 yuan</td>" in page and "<td>920,000 yuan</td>" in page


def test_the_counts_include_rows_with_errors(client, world, tmp_path):
    factories.client_of(world["platform_a"], uscc=make_uscc(1))
    rows = [
        PROJECT_HEADER,
        project_row("OK-1", world["platform_a"]),
        project_row("OK-2", world["platform_a"]),
        ["BAD-1", "没有这个平台", make_uscc(1), "x", "2024-01-01"],
    ]
    client.force_login(world["staff_a"])
    batch = upload(client, write_xlsx(tmp_path / "mixed.xlsx", {"projects": rows}))
    assert batch.counts["projects"] == counts(created=2, invalid=1)
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "有错误的行" in page


def test_an_unknown_choice_in_a_file_quotes_the_labels_not_the_codes(world, stored, tmp_path):
    rows = [["code", "status"], ["KEEP-1", "做完了"]]
    batch = run_import(write_xlsx(tmp_path / "bad.xlsx", {"projects": rows}), user=None)
    (message,) = messages(batch)
    assert "意向、已签约、进行中、已完成、已终止" in message and "in_progress" not in message


@pytest.fixture
def namesake(world, tmp_path):
    """An enterprises sheet adding 成都臻识 under a new code, while it is recorded under another."""
    factories.EnterpriseFactory(name=EXAMPLE_CLIENT, uscc=make_uscc(77))
    rows = [["uscc", "name"], [make_uscc(78), EXAMPLE_CLIENT]]
    return write_xlsx(tmp_path / "namesake.xlsx", {"enterprises": rows})


def test_a_new_enterprise_named_like_another_is_a_warning_to_acknowledge(client, world, namesake):
    client.force_login(world["staff_a"])
    batch = upload(client, namesake)
    assert batch.outcome == ImportOutcome.PREVIEWED and batch.error_count == 0
    (warning,) = batch.warnings
    assert warning["row"] == 2 and EXAMPLE_CLIENT in warning["message"]
    assert make_uscc(77) not in warning["message"]  # the other code is not given away
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "已记录在另一个统一社会信用代码下" in page and 'name="acknowledge"' in page

    refused = client.post(reverse("imports:confirm", args=[batch.pk]), follow=True)
    assert "请先勾选" in refused.content.decode()
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.PREVIEWED and not batch.warnings_acknowledged
    assert Enterprise.objects.filter(name=EXAMPLE_CLIENT).count() == 1

    client.post(reverse("imports:confirm", args=[batch.pk]), {"acknowledge": "on"})
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.IMPORTED and batch.warnings_acknowledged
    assert Enterprise.objects.filter(name=EXAMPLE_CLIENT).count() == 2


def test_a_file_without_warnings_needs_no_box(client, world, tmp_path):
    rows = [["uscc", "name"], [make_uscc(79), "全新的企业"]]
    client.force_login(world["staff_a"])
    batch = upload(client, write_xlsx(tmp_path / "new.xlsx", {"enterprises": rows}))
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert batch.warnings == [] and 'name="acknowledge"' not in page
    client.post(reverse("imports:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.IMPORTED


def test_an_update_list_masks_a_confidential_projects_text_for_who_may_not_read_it(world):
    from projects.imports.engine import ImportRun
    from projects.imports.registry import registry

    secret = factories.ProjectFactory(platform=world["platform_a"], confidentiality="confidential")
    public = factories.ProjectFactory(platform=world["platform_a"])
    sheet = registry.sheet("projects")

    def hidden(user, project):
        handler = sheet.handler(ImportRun([], user=user), sheet, [])
        return handler.hidden_fields(project)

    assert hidden(world["staff_b"], secret) == {"title", "product", "description"}
    assert hidden(world["staff_b"], public) == set()
    assert hidden(world["staff_a"], secret) == set()
    assert hidden(world["admin_user"], secret) == set()
    assert hidden(None, secret) == set()  # the command line's operator

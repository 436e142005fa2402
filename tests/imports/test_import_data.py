"""The import engine end to end: formats, headers, upserts, references, and every refusal.

Every failing case asserts that the row counts are unchanged: an import with any error writes
nothing.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from projects.imports.choices import ImportOutcome
from projects.models import Enterprise, Project, YieldRun
from tests import factories
from tests.factories import make_uscc
from tests.imports.helpers import (
    PROJECT_HEADER,
    RUN_HEADER,
    counts,
    messages,
    project_row,
    row_counts,
    run_import,
    write_csv,
    write_xlsx,
)

ZH_PROJECT_HEADER = ["项目编号", "中试平台", "企业统一社会信用代码", "项目名称", "开始日期"]


@pytest.fixture(autouse=True)
def english_messages():
    """Assertions below quote the English messages; the zh-hans ones are tested elsewhere."""
    with translation.override("en"):
        yield


@pytest.fixture
def client_enterprise(world):
    return factories.EnterpriseFactory(uscc=make_uscc(1), name="成都臻识科技发展有限公司")


@pytest.fixture
def served_client(world, client_enterprise):
    """The client enterprise, already served by platform A: its staff may name it by USCC."""
    factories.ProjectFactory(platform=world["platform_a"], enterprise=client_enterprise)
    return client_enterprise


def test_a_workbook_with_english_headers_creates_projects_and_runs(
    world, client_enterprise, tmp_path
):
    path = write_xlsx(
        tmp_path / "data.xlsx",
        {
            "projects": [PROJECT_HEADER, project_row("P-1", world["platform_a"])],
            "yield_runs": [
                RUN_HEADER,
                ["P-1", "DVT", 1, "2024-03-01", 50, 20],
                ["P-1", "DVT", 2, "2024/4/1", 50, 35],
                ["P-1", "PVT", 1, "2024年5月1日", 100, 90],
            ],
        },
    )
    batch = run_import(path)
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    assert batch.counts["projects"] == counts(created=1, updated=0, unchanged=0)
    project = Project.objects.get(code="P-1")
    assert project.enterprise == client_enterprise
    assert project.yield_run_count == 3
    assert project.yield_gain_pp == Decimal("50.0000")
    created = project.history.get()
    assert (created.history_type, created.history_change_reason) == ("+", batch.change_reason)
    assert YieldRun.history.filter(history_change_reason=batch.change_reason).count() == 3


def test_chinese_headers_and_chinese_choice_labels_are_accepted(world, client_enterprise, tmp_path):
    header = [*ZH_PROJECT_HEADER, " 阶段 ", "中试服务收入（元）", "孵化新产品"]
    row = [*project_row("P-2", world["platform_a"]), "设计验证测试", "12.5万", "是"]
    batch = run_import(write_xlsx(tmp_path / "zh.xlsx", {"项目": [header, row]}))
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    project = Project.objects.get(code="P-2")
    assert (project.stage, project.service_revenue, project.new_product) == (
        "DVT",
        Decimal("125000.00"),
        True,
    )


def test_a_gbk_csv_with_tabs_is_detected_and_read(world, client_enterprise, tmp_path):
    rows = [
        ZH_PROJECT_HEADER,
        ["P-3", world["platform_a"].name, make_uscc(1), "巡查设备", "2024/3/1"],
    ]
    path = write_csv(tmp_path / "projects.csv", rows, encoding="gbk", delimiter="\t")
    batch = run_import(path, kind=None)
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    assert Project.objects.get(code="P-3").title == "巡查设备"


def test_a_utf8_csv_with_bom_and_an_explicit_kind(world, client_enterprise, tmp_path):
    rows = [PROJECT_HEADER, project_row("P-4", world["platform_a"])]
    path = write_csv(tmp_path / "export.csv", rows, encoding="utf-8-sig")
    assert run_import(path, kind="projects").outcome == ImportOutcome.IMPORTED
    assert Project.objects.filter(code="P-4").exists()


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    world, client_enterprise, tmp_path
):
    path = write_xlsx(
        tmp_path / "twice.xlsx",
        {
            "projects": [PROJECT_HEADER, project_row("P-5", world["platform_a"])],
            "yield_runs": [RUN_HEADER, ["P-5", "DVT", 1, "2024-03-01", 50, 20]],
        },
    )
    run_import(path)
    history = Project.history.count()
    second = run_import(path)
    assert second.counts["projects"] == counts(created=0, updated=0, unchanged=1)
    assert second.counts["yield_runs"] == counts(created=0, updated=0, unchanged=1)
    assert Project.history.count() == history


def test_an_update_changes_only_the_given_columns_and_records_the_import_in_history(
    world, tmp_path
):
    project = factories.ProjectFactory(platform=world["platform_a"], product="老产品", code="P-6")
    path = write_xlsx(tmp_path / "u.xlsx", {"projects": [["code", "title"], ["P-6", "新名称"]]})
    batch = run_import(path)
    assert batch.counts["projects"] == counts(created=0, updated=1, unchanged=0)
    project.refresh_from_db()
    assert (project.title, project.product, project.version) == ("新名称", "老产品", 2)
    latest = project.history.first()
    assert latest.history_change_reason == batch.change_reason
    assert latest.history_type == "~" and latest.title == "新名称" and latest.product == "老产品"
    assert abs(latest.history_date - timezone.now()) < dt.timedelta(minutes=5)
    assert f"import #{batch.pk}" in latest.history_change_reason


def test_rows_may_refer_to_platforms_and_enterprises_created_earlier_in_the_file(world, tmp_path):
    path = write_xlsx(
        tmp_path / "chain.xlsx",
        {
            "platforms": [["name", "zone", "sector"], ["新平台", world["zone1"].name, "信息技术"]],
            "enterprises": [["uscc", "name"], [make_uscc(77).lower(), "新企业"]],
            "projects": [PROJECT_HEADER, ["P-7", "新平台", make_uscc(77), "新项目", "2024-01-01"]],
            "financing": [
                ["project", "date", "round", "amount"],
                ["P-7", "2024-06-01", "A轮", "1.2亿"],
            ],
        },
    )
    batch = run_import(path)
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    project = Project.objects.get(code="P-7")
    assert project.platform.name == "新平台"
    assert project.enterprise.uscc == make_uscc(77)
    assert project.financings.get().amount == Decimal("120000000.00")


def assert_refused(batch, before, *fragments):
    assert batch.outcome == ImportOutcome.INVALID
    assert row_counts() == before
    text = " | ".join(messages(batch))
    for fragment in fragments:
        assert fragment in text
    return batch


def test_every_error_of_the_file_is_reported_with_sheet_row_column_and_value(
    world, client_enterprise, tmp_path
):
    before = row_counts()
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        {
            "projects": [
                PROJECT_HEADER,
                project_row("P-8", world["platform_a"]),
                project_row("P-8", world["platform_a"]),  # duplicate code in the file
                ["P-9", "没有这个平台", make_uscc(1), "x", "2024-02-30"],
                ["P-10", world["platform_a"].name, "91510100000000001X", "x", "2024-01-01"],
            ],
            "yield_runs": [RUN_HEADER, ["P-8", "DVT", 1, "2024-03-01", 10, 11]],
        },
    )
    batch = run_import(path)
    assert_refused(batch, before)
    located = {(e["sheet"], e["row"], e["column"]) for e in batch.errors}
    assert ("projects", 3, "code") in located
    assert ("projects", 4, "platform") in located
    assert ("projects", 4, "start_on") in located  # a row's every error, not just its first
    assert ("projects", 5, "enterprise_uscc") in located
    assert ("yield_runs", 2, "units_passed") in located
    by_cell = {(e["row"], e["column"]): e for e in batch.errors if e["sheet"] == "projects"}
    assert by_cell[(4, "platform")]["value"] == "没有这个平台"
    assert by_cell[(4, "start_on")]["value"] == "2024-02-30"
    assert "Duplicate of row 2" in by_cell[(3, "code")]["message"]
    assert batch.error_count == len(batch.errors) == 5


def test_passed_units_above_tested_units_are_refused(world, tmp_path):
    project = factories.ProjectFactory(platform=world["platform_a"])
    before = row_counts()
    path = write_xlsx(
        tmp_path / "y.xlsx",
        {"yield_runs": [RUN_HEADER, [project.code, "DVT", 1, "2024-03-01", 10, 11]]},
    )
    assert_refused(run_import(path), before, "Units passed cannot exceed units tested.")


def test_an_invalid_uscc_is_refused(world, tmp_path):
    before = row_counts()
    path = write_xlsx(
        tmp_path / "e.xlsx", {"enterprises": [["uscc", "name"], ["91350100M000100Y44", "错"]]}
    )
    assert_refused(run_import(path), before, "check character")


def test_a_formula_in_a_cell_is_refused(world, client_enterprise, tmp_path):
    before = row_counts()
    row = project_row("P-11", world["platform_a"], title="=cmd|' /C calc'!A0")
    batch = assert_refused(
        run_import(write_xlsx(tmp_path / "f.xlsx", {"projects": [PROJECT_HEADER, row]})),
        before,
        "Formulas are not accepted",
    )
    assert batch.errors[0]["column"] == "title"


def test_a_formula_typed_as_text_in_a_csv_is_refused_too(world, client_enterprise, tmp_path):
    before = row_counts()
    row = project_row("P-12", world["platform_a"], title='=HYPERLINK("http://x")')
    path = write_csv(tmp_path / "projects.csv", [PROJECT_HEADER, row])
    assert_refused(run_import(path), before, "Formulas are not accepted")


def test_staff_may_not_import_rows_of_another_platform(world, served_client, tmp_path):
    before = row_counts()
    path = write_xlsx(
        tmp_path / "s.xlsx",
        {
            "projects": [
                PROJECT_HEADER,
                project_row("P-13", world["platform_a"]),
                project_row("P-14", world["platform_b"]),
            ]
        },
    )
    batch = assert_refused(
        run_import(path, user=world["staff_a"]), before, world["platform_b"].name
    )
    assert [e["row"] for e in batch.errors] == [3]


def test_staff_may_not_take_over_another_platforms_project_by_its_code(
    world, served_client, tmp_path
):
    other = factories.ProjectFactory(platform=world["platform_b"], code="P-15")
    before = row_counts()
    path = write_xlsx(
        tmp_path / "t.xlsx",
        {"projects": [PROJECT_HEADER, project_row(other.code, world["platform_a"])]},
    )
    assert_refused(run_import(path, user=world["staff_a"]), before, "P-15 is taken")


def test_staff_import_rows_of_their_own_platform(world, served_client, tmp_path):
    path = write_xlsx(
        tmp_path / "own.xlsx",
        {"projects": [PROJECT_HEADER, project_row("P-16", world["platform_a"])]},
    )
    assert run_import(path, user=world["staff_a"]).outcome == ImportOutcome.IMPORTED


def test_unknown_and_missing_columns_are_named(world, tmp_path):
    before = row_counts()
    path = write_xlsx(
        tmp_path / "h.xlsx", {"projects": [["code", "colour", "title"], ["P-17", "red", "x"]]}
    )
    assert_refused(run_import(path), before, "Unknown column colour", "Required column platform")


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("empty.xlsx", b"", "empty"),
        ("empty.csv", b"", "empty"),
        ("broken.xlsx", b"PK\x03\x04 this is not really a zip file", "damaged"),
        ("picture.png", b"\x89PNG\r\n\x1a\n....", "not a spreadsheet"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
    ],
)
def test_files_that_are_not_importable_are_refused_clearly(
    world, tmp_path, name, content, fragment
):
    before = row_counts()
    path = tmp_path / name
    path.write_bytes(content)
    assert_refused(
        run_import(path, kind="projects" if name.endswith(".csv") else None), before, fragment
    )


def test_files_over_the_size_limit_are_refused(world, tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 100
    before = row_counts()
    path = write_csv(tmp_path / "projects.csv", [PROJECT_HEADER] + [["P", "x", "y", "z", "w"]] * 50)
    assert_refused(run_import(path), before, "refused")


def test_sheets_over_the_row_limit_are_refused(world, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 3
    before = row_counts()
    rows = [PROJECT_HEADER] + [project_row(f"P-{n}", world["platform_a"]) for n in range(5)]
    assert_refused(
        run_import(write_xlsx(tmp_path / "big.xlsx", {"projects": rows})), before, "at most 3"
    )


def test_a_workbook_without_known_sheets_is_refused(world, tmp_path):
    before = row_counts()
    path = write_xlsx(tmp_path / "x.xlsx", {"Sheet1": [["a"], [1]]})
    assert_refused(run_import(path), before, "no sheet named")


def test_a_dry_run_reports_counts_but_writes_nothing(world, client_enterprise, tmp_path):
    before = row_counts()
    path = write_xlsx(
        tmp_path / "d.xlsx",
        {"projects": [PROJECT_HEADER, project_row("P-18", world["platform_a"])]},
    )
    batch = run_import(path, dry_run=True)
    assert batch.outcome == ImportOutcome.PREVIEWED
    assert batch.counts["projects"]["created"] == 1
    assert batch.preview["projects"]["rows"][0]["values"][0] == "P-18"
    assert row_counts() == before


def test_a_run_before_the_project_start_is_refused_even_for_a_project_of_the_same_file(
    world, client_enterprise, tmp_path
):
    before = row_counts()
    path = write_xlsx(
        tmp_path / "early.xlsx",
        {
            "projects": [
                PROJECT_HEADER,
                project_row("P-19", world["platform_a"], start=dt.date(2024, 6, 1)),
            ],
            "yield_runs": [RUN_HEADER, ["P-19", "DVT", 1, "2024-03-01", 10, 5]],
        },
    )
    assert_refused(run_import(path), before, "before the project started")


def test_an_excel_date_cell_and_a_number_cell_code_are_read(world, client_enterprise, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "projects"
    sheet.append(PROJECT_HEADER)
    sheet.append(
        [2024001, world["platform_a"].name, make_uscc(1), "编号是数字", dt.datetime(2024, 3, 1)]
    )
    workbook.save(tmp_path / "n.xlsx")
    assert run_import(tmp_path / "n.xlsx").outcome == ImportOutcome.IMPORTED
    assert Project.objects.get(code="2024001").start_on == dt.date(2024, 3, 1)
    assert Enterprise.objects.count() == 1 and YieldRun.objects.count() == 0


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_templates_example_rows_copied_to_their_sheets_import_as_they_are(
    world, tmp_path, language
):
    from projects.imports.workbook_template import template_bytes

    template = load_workbook(io.BytesIO(template_bytes(language)))
    examples = list(template.worksheets[5].iter_rows(min_row=2, values_only=True))
    sheets = {}
    for index, row in enumerate(examples):  # blocks: kind, header, example row
        if row and row[0] in template.sheetnames[:5]:
            sheets[row[0]] = [examples[index + 1], examples[index + 2]]
    assert list(sheets) == template.sheetnames[:5]
    batch = run_import(write_xlsx(tmp_path / "examples.xlsx", sheets))
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    project = Project.objects.get(code="FN-2023-001")
    assert project.service_revenue == Decimal("125000.00")
    assert project.financings.get().amount == Decimal("30000000.00")


def test_staff_may_name_another_platforms_client_unchanged_but_not_change_it(world, tmp_path):
    shared = factories.ProjectFactory(platform=world["platform_b"]).enterprise
    header = ["uscc", "name"]
    same = write_xlsx(tmp_path / "same.xlsx", {"enterprises": [header, [shared.uscc, shared.name]]})
    assert run_import(same, user=world["staff_a"]).outcome == ImportOutcome.IMPORTED
    before = row_counts()
    renamed = write_xlsx(
        tmp_path / "renamed.xlsx", {"enterprises": [header, [shared.uscc, "改名"]]}
    )
    assert_refused(
        run_import(renamed, user=world["staff_a"]), before, "not a client of your platforms"
    )
    shared.refresh_from_db()
    assert shared.name != "改名"


def test_an_explicit_encoding_is_used_and_a_wrong_or_unsupported_one_is_refused_clearly(
    world, client_enterprise, tmp_path
):
    rows = [
        ZH_PROJECT_HEADER,
        ["P-20", world["platform_a"].name, make_uscc(1), "编码", "2024-01-01"],
    ]
    path = write_csv(tmp_path / "projects.csv", rows, encoding="gb18030")
    before = row_counts()
    assert_refused(run_import(path, encoding="utf-8"), before, "cannot be read as UTF-8")
    assert_refused(run_import(path, encoding="ascii"), before, "ascii is not supported")
    assert run_import(path, encoding="gb18030").outcome == ImportOutcome.IMPORTED


def test_a_sheet_without_its_key_column_or_with_a_column_twice_is_refused(world, tmp_path):
    before = row_counts()
    path = write_xlsx(
        tmp_path / "k.xlsx",
        {
            "projects": [["title", "项目名称"], ["x", "y"]],
            "enterprises": [["name"], ["无代码企业"]],
        },
    )
    batch = assert_refused(
        run_import(path), before, "Required column code (项目编号) is missing", "appears twice"
    )
    assert {(e["sheet"], e["row"], e["column"]) for e in batch.errors} >= {
        ("projects", 1, "code"),
        ("projects", 1, "项目名称"),
        ("enterprises", 1, "uscc"),
    }


def test_recognition_lists_named_on_a_platform_row_are_added_once(world, tmp_path):
    miit = factories.RecognitionListFactory(name="工信部首批重点培育中试平台")
    platform = world["platform_a"]
    header = ["name", "zone", "sector", "recognition_lists"]
    row = [platform.name, platform.zone.name, platform.sector, miit.name]
    path = write_xlsx(tmp_path / "r.xlsx", {"platforms": [header, row]})
    first = run_import(path, user=world["admin_user"])  # recognitions: administrators only
    assert first.counts["platforms"] == counts(created=0, updated=1, unchanged=0)
    assert list(platform.recognitions.values_list("recognition_list__name", flat=True)) == [
        miit.name
    ]
    assert run_import(path).counts["platforms"]["unchanged"] == 1
    before = row_counts()
    unknown = write_xlsx(tmp_path / "u.xlsx", {"platforms": [header, [*row[:3], "没有的名单"]]})
    assert_refused(run_import(unknown), before, "Unknown recognition list: 没有的名单")

"""Files that must not hurt the server or the data: refused clearly, the batch says so.

The workbooks that used to kill the process (cells at A1 and XFD1048576: 512 GB; a shared-string
table declaring 10^12 strings: 24 TB) are first read in a child process whose address space is
capped at 3 GB. If the guard ever regresses, the child dies, the test fails, and pytest lives;
only files the child proved harmless are then read in this process, through the web views.
"""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from projects.imports import storage, tasks
from projects.imports.choices import ImportOutcome
from projects.imports.models import ImportBatch
from projects.imports.reading import decode_csv
from projects.imports.workbook_guard import inspect_workbook
from projects.models import Project
from tests import factories
from tests.factories import make_uscc
from tests.imports.helpers import (
    PROJECT_HEADER,
    messages,
    project_row,
    row_counts,
    run_import,
    write_csv,
)
from tests.imports.xlsx_parts import (
    lie_about_size,
    rows_xml,
    shared_strings,
    worksheet,
    write_package,
)

CHILD = """
import os, resource, sys
cap = 3 * 1024 ** 3
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
os.environ["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
import django
django.setup()
from django.utils import translation
from projects.imports.errors import ImportFileError
from projects.imports.reading import read_file
translation.activate("en")
for path in sys.argv[1:]:
    name = os.path.basename(path)
    print("START", name, flush=True)
    try:
        for sheet in read_file(path, name):
            sheet.load()
    except ImportFileError as refusal:
        print("REFUSED", name, refusal, flush=True)
    else:
        print("READ", name, flush=True)
"""

HEADER_ROW = rows_xml([PROJECT_HEADER])
SHEET_AT_A1_AND_XFD = worksheet(
    HEADER_ROW + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
)
# Files a spreadsheet program would not write, each of which once allocated gigabytes or more.
PROCESS_KILLERS = {
    "xfd.xlsx": lambda path: write_package(path, {"projects": SHEET_AT_A1_AND_XFD}),
    "z1000000.xlsx": lambda path: write_package(
        path,
        {"projects": worksheet(HEADER_ROW + '<row r="1000000"><c r="Z1000000"><v>1</v></c></row>')},
    ),
    "lowercase.xlsx": lambda path: write_package(
        path,
        {"projects": worksheet(HEADER_ROW + '<row r="9"><c r="xfd1048576"><v>1</v></c></row>')},
    ),
    # Cells without references sit right of the previous one: 16,384 of them reach XFD.
    "implicit.xlsx": lambda path: write_package(
        path, {"projects": worksheet(HEADER_ROW + "<row>" + "<c><v>1</v></c>" * 16384 + "</row>")}
    ),
    "prefixed.xlsx": lambda path: write_package(
        path,
        {
            "projects": worksheet(
                HEADER_ROW + '<row r="1048576"><x:c xmlns:x="http://schemas.openxmlformats.org/'
                'spreadsheetml/2006/main" r="XFD1048576"><x:v>1</x:v></x:c></row>'
            )
        },
    ),
    # A comment that would make a careless scanner read the real cell as part of a fake tag.
    "comment.xlsx": lambda path: write_package(
        path,
        {
            "projects": worksheet(
                HEADER_ROW + '<!-- <c foo=" --><row r="1048576"><c r="XFD1048576"><v>1</v>'
                '</c></row><!-- " > -->'
            )
        },
    ),
    # The last r wins in calamine; XML forbids the repetition, so this is a damaged file.
    "twice.xlsx": lambda path: write_package(
        path,
        {
            "projects": worksheet(
                HEADER_ROW + '<row r="2"><c r="A2" r="XFD1048576"><v>1</v></c></row>'
            )
        },
    ),
    # The sheet's part lives where its relationship says, not where sheets usually are.
    "elsewhere.xlsx": lambda path: write_package(
        path, {"projects": SHEET_AT_A1_AND_XFD}, targets={"projects": "/data/hidden.xml"}
    ),
    # A small declared dimension changes nothing.
    "claims-small.xlsx": lambda path: write_package(
        path,
        {
            "projects": worksheet(
                HEADER_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
                dimension="A1:E1",
            )
        },
    ),
    "strings.xlsx": lambda path: write_package(
        path,
        {"projects": worksheet(HEADER_ROW)},
        shared_strings=shared_strings(["code"], unique_count=10**12),
    ),
}


@pytest.fixture(scope="module")
def child_verdicts(tmp_path_factory):
    """name → "REFUSED <message>", "READ" or "KILLED …", as a memory-capped child saw each file.

    A file that kills the child is marked so, and a new child goes on with the files after it.
    """
    directory = tmp_path_factory.mktemp("killers")
    waiting = []
    for name, build in PROCESS_KILLERS.items():
        build(directory / name)
        waiting.append(str(directory / name))
    env = {**os.environ, "PYTHONPATH": str(django_settings.BASE_DIR)}
    verdicts = {}
    while waiting:
        child = subprocess.run(
            [sys.executable, "-c", CHILD, *waiting],
            capture_output=True,
            text=True,
            cwd=django_settings.BASE_DIR,
            env=env,
            timeout=600,
            check=False,
        )
        for line in child.stdout.splitlines():
            word, name, *rest = line.split(" ", 2)
            verdicts[name] = " ".join([word, *rest])
            if word == "START":
                verdicts[name] = f"KILLED (exit {child.returncode}): {child.stderr[:200]}"
                waiting.pop(0)
        if child.returncode == 0:
            break
    return verdicts


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("xfd.xlsx", "has cells up to column XFD; at most 50 columns (up to AX)"),
        ("z1000000.xlsx", "has cells down to row 1000000; at most 200000 data rows"),
        ("lowercase.xlsx", "column XFD"),
        ("implicit.xlsx", "column XFD"),
        ("prefixed.xlsx", "column XFD"),
        ("comment.xlsx", "column XFD"),
        ("twice.xlsx", "damaged"),
        ("elsewhere.xlsx", "column XFD"),
        ("claims-small.xlsx", "column XFD"),
        ("strings.xlsx", "declares 1000000000000 shared strings; at most 8000000"),
    ],
)
def test_a_workbook_that_once_took_gigabytes_is_refused_by_its_real_extent(
    child_verdicts, name, fragment
):
    verdict = child_verdicts.get(name, "not reached: an earlier file killed the child")
    assert verdict.startswith("REFUSED"), verdict
    assert fragment in verdict


def proven_harmless(child_verdicts, name):
    """Read a process killer in this process only once the capped child refused it."""
    if not child_verdicts.get(name, "").startswith("REFUSED"):
        pytest.fail(f"{name} was not refused by the capped child process: {child_verdicts}")


def upload(client, path, **extra):
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes()), **extra}
    return client.post(reverse("imports:upload"), data)


def check_through_the_web(client, path, **extra):
    """Upload (the check runs as the upload's job), and return the batch and its page's HTML."""
    response = upload(client, path, **extra)
    assert response.status_code == 302, response.content.decode()[:500]
    batch = ImportBatch.objects.latest("pk")
    page = client.get(reverse("imports:batch", args=[batch.pk]))
    return batch, page.content.decode()


def test_the_512_gb_workbook_is_refused_on_the_check_page_and_the_batch_says_so(
    child_verdicts, client, world, tmp_path
):
    proven_harmless(child_verdicts, "xfd.xlsx")
    path = PROCESS_KILLERS["xfd.xlsx"](tmp_path / "xfd.xlsx")
    client.force_login(world["staff_a"])
    before = row_counts()
    batch, html = check_through_the_web(client, path)
    assert batch.outcome == ImportOutcome.INVALID
    assert "XFD" in html and "最多接受 50 列" in html  # zh-hans, the default language
    assert reverse("imports:confirm", args=[batch.pk]) not in html
    assert not storage.exists(batch) and row_counts() == before
    # The server is alive: the next request is answered.
    assert client.get(reverse("imports:history")).status_code == 200


def test_a_gigabyte_workbook_and_a_trillion_declared_strings_are_refused_on_the_web_too(
    child_verdicts, client, world, tmp_path
):
    client.force_login(world["staff_a"])
    for name, fragment in [("z1000000.xlsx", "1000000"), ("strings.xlsx", "1000000000000")]:
        proven_harmless(child_verdicts, name)
        batch, html = check_through_the_web(client, PROCESS_KILLERS[name](tmp_path / name))
        assert batch.outcome == ImportOutcome.INVALID and fragment in html


def valid_projects_sheet(world, code="V-1") -> str:
    factories.client_of(world["platform_a"], uscc=make_uscc(1))
    return rows_xml([PROJECT_HEADER, [*project_row(code, world["platform_a"])[:4], "2024-01-01"]])


def test_a_large_declared_dimension_is_not_trusted_either(english, world, tmp_path):
    """The other direction (a small claim) is "claims-small.xlsx", read by the capped child."""
    sheet = worksheet(valid_projects_sheet(world, "D-1"), dimension="A1:XFD1048576")
    batch = run_import(write_package(tmp_path / "claims-huge.xlsx", {"projects": sheet}))
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors


def test_a_sheet_over_the_column_or_cell_limit_is_refused(english, world, tmp_path, settings):
    stray = '<row r="2"><c r="AY2"><v>1</v></c></row>'
    wide = write_package(tmp_path / "wide.xlsx", {"projects": worksheet(HEADER_ROW + stray)})
    assert "up to column AY; at most 50 columns" in " ".join(messages(run_import(wide)))
    settings.IMPORT_MAX_CELLS = 40
    rows = rows_xml([PROJECT_HEADER] + [["x"] * 5] * 9)
    block = write_package(tmp_path / "block.xlsx", {"projects": worksheet(rows)})
    assert "spans 10 rows by 5 columns; at most 40 cells" in " ".join(messages(run_import(block)))


def test_a_zip_bomb_is_refused_by_its_declared_and_by_its_real_size(
    english, world, tmp_path, settings
):
    settings.IMPORT_MAX_PART_BYTES = 1024 * 1024
    settings.IMPORT_MAX_UNZIPPED_BYTES = 1536 * 1024
    padding = "<row/>" * 200_000  # 1.2 MB of XML that deflates to a few KB
    honest = write_package(tmp_path / "honest.xlsx", {"projects": worksheet(padding)})
    assert honest.stat().st_size < 20_000
    assert "unpacks to over 1.0\xa0MB" in " ".join(messages(run_import(honest)))

    lying = write_package(tmp_path / "lying.xlsx", {"projects": worksheet(padding)})
    lie_about_size(lying, "xl/worksheets/sheet1.xml", 100)
    with zipfile.ZipFile(lying) as archive:  # Python's own reader believes the header
        assert len(archive.read("xl/worksheets/sheet1.xml")) == 100
    assert "unpacks to over 1.0\xa0MB" in " ".join(messages(run_import(lying)))

    half = "<row/>" * 140_000  # 840 KB: each part passes, together they do not
    together = write_package(
        tmp_path / "together.xlsx", {"projects": worksheet(half), "helper": worksheet(half)}
    )
    assert "workbook unpacks to over" in " ".join(messages(run_import(together)))


def test_a_part_whose_size_and_crc_lie_a_little_is_a_damaged_file(english, world, tmp_path):
    path = write_package(tmp_path / "crc.xlsx", {"projects": worksheet(HEADER_ROW)})
    lie_about_size(path, "xl/worksheets/sheet1.xml", 50)
    assert "damaged" in " ".join(messages(run_import(path)))


def test_too_many_parts_are_refused(english, world, tmp_path, settings):
    settings.IMPORT_MAX_PARTS = 10
    extra = {f"xl/media/image{n}.png": b"x" for n in range(10)}
    path = write_package(tmp_path / "parts.xlsx", {"projects": worksheet(HEADER_ROW)}, extra=extra)
    assert "holds 15 files; at most 10" in " ".join(messages(run_import(path)))


def test_a_dtd_with_entities_is_refused_as_damaged(english, world, tmp_path):
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    path = write_package(tmp_path / "dtd.xlsx", {"projects": laughs})
    assert "damaged" in " ".join(messages(run_import(path)))


def test_formulas_in_an_imported_sheet_are_refused_at_their_cell(english, world, tmp_path):
    before = row_counts()
    sheet_xml = worksheet(
        HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is><t>F-1</t></is></c>'
        '<c r="B2" t="str"><f>"蜂鸟"&amp;"平台"</f><v>蜂鸟平台</v></c>'
        f'<c r="C2" t="inlineStr"><is><t>{make_uscc(1)}</t></is></c>'
        '<c r="D2" t="str"><f t="shared" ref="D2:D3" si="0">UPPER("x")</f><v>X</v></c>'
        '<c r="E2"><v>45292</v></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t>F-2</t></is></c>'
        '<c r="D3" t="str"><f t="shared" si="0"/><v>X</v></c></row>'
    )
    batch = run_import(write_package(tmp_path / "f.xlsx", {"projects": sheet_xml}))
    assert batch.outcome == ImportOutcome.INVALID and row_counts() == before
    found = {(e["row"], e["column"], e["value"]) for e in batch.errors if "Formula" in e["message"]}
    assert found == {
        (2, "platform", '="蜂鸟"&"平台"'),
        (2, "title", '=UPPER("x")'),
        (3, "title", "=…"),
    }


def workbook_with_helper_sheet(path, world, helper_xml):
    """A valid projects sheet and a helper sheet (instructions, a sum) nobody imports."""
    sheets = {"projects": worksheet(valid_projects_sheet(world, "H-1")), "说明": helper_xml}
    return write_package(path, sheets)


def test_a_formula_in_a_helper_sheet_nobody_imports_is_ignored(english, world, tmp_path):
    """Not even parsed: a helper sheet that is no valid XML at all does not matter either."""
    broken = worksheet('<row r="1"><c r="A1"><f>SUM(B1:B9)</f><v>0</v></c></row>')[:-20]
    batch = run_import(workbook_with_helper_sheet(tmp_path / "helper.xlsx", world, broken))
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    assert Project.objects.filter(code="H-1").exists()


# --- CSV -----------------------------------------------------------------------------------

COMPANIES = {
    "big5": ["台灣積體電路製造股份有限公司", "鴻海精密工業股份有限公司", "聯發科技股份有限公司"],
    "shift_jis": ["トヨタ自動車株式会社", "株式会社村田製作所", "東京エレクトロン株式会社"],
    "euc_kr": ["삼성전자 주식회사", "에스케이하이닉스", "현대자동차 주식회사"],
}
CHINESE_COMPANIES = [
    ["宁德时代新能源科技股份有限公司", "京东方科技集团股份有限公司", "成都光明光电股份有限公司"],
    ["中微半导体设备（上海）股份有限公司", "䶮喆堃赟科技有限公司", "成都光电"],
]


def foreign_csv(path, encoding):
    rows = [PROJECT_HEADER] + [
        [f"X-{n}", "Partner", make_uscc(n), name, "2024-01-01"]
        for n, name in enumerate(COMPANIES[encoding], start=1)
    ]
    return write_csv(path, rows, encoding=encoding)


@pytest.mark.parametrize(
    ("encoding", "label"), [("big5", "Big5"), ("shift_jis", "Shift-JIS"), ("euc_kr", "EUC-KR")]
)
def test_a_csv_in_big5_shift_jis_or_euc_kr_is_refused_not_imported_garbled(
    english, world, tmp_path, encoding, label
):
    before = row_counts()
    path = foreign_csv(tmp_path / "projects.csv", encoding)
    for chosen in (None, "gb18030"):  # choosing GBK by hand does not let it through
        batch = run_import(path, kind="projects", encoding=chosen)
        assert batch.outcome == ImportOutcome.INVALID and row_counts() == before
        assert f"it looks like {label}" in messages(batch)[0]


@pytest.mark.parametrize("names", CHINESE_COMPANIES)
def test_a_gbk_csv_with_real_company_names_is_read_as_chinese(names):
    rows = [f"P-{n},蜂鸟平台,{make_uscc(n)},{name},2024-01-01" for n, name in enumerate(names)]
    data = "\n".join([",".join(PROJECT_HEADER), *rows]).encode("gb18030")
    assert all(name in decode_csv(data, None) for name in names)


def test_nul_bytes_anywhere_in_a_csv_are_refused(english, world, tmp_path):
    path = tmp_path / "projects.csv"
    path.write_bytes(b"code,title\n" + b"P-1,x\n" * 1000 + b"P-2,\x00\n")
    batch = run_import(path, kind="projects")
    assert batch.outcome == ImportOutcome.INVALID and "NUL" in messages(batch)[0]


def test_a_csv_field_over_the_csv_modules_limit_is_refused_with_its_line(english, world, tmp_path):
    path = tmp_path / "projects.csv"
    path.write_text('code,title\nP-1,ok\nP-2,"' + "x" * 140_000 + '"\n', encoding="utf-8")
    batch = run_import(path, kind="projects")
    assert batch.outcome == ImportOutcome.INVALID
    assert "Line 3 has a field of over 131072 characters" in messages(batch)[0]


def test_a_csv_over_the_column_or_row_limit_is_refused(english, world, tmp_path, settings):
    wide = write_csv(tmp_path / "wide.csv", [PROJECT_HEADER, ["x"] * 51])
    assert "Line 2 has 51 fields; at most 50" in messages(run_import(wide, kind="projects"))[0]
    settings.IMPORT_MAX_ROWS = 2
    long = write_csv(tmp_path / "long.csv", [PROJECT_HEADER] + [["x"]] * 3)
    assert "more than 2 data rows" in messages(run_import(long, kind="projects"))[0]


@pytest.mark.parametrize("name", ["punycode", "rot13", "utf-16", "idna", "latin-1", "bogus"])
def test_only_utf8_and_gbk_are_accepted_as_encodings(english, world, tmp_path, name):
    path = write_csv(tmp_path / "projects.csv", [PROJECT_HEADER, ["P-1", "x", "y", "z", "w"]])
    batch = run_import(path, kind="projects", encoding=name)
    assert batch.outcome == ImportOutcome.INVALID
    assert f"Encoding {name} is not supported" in messages(batch)[0]


# --- through the web: every failure ends as an error on the batch page ---------------------


def test_the_upload_form_offers_only_supported_encodings(client, world, tmp_path):
    client.force_login(world["staff_a"])
    path = write_csv(tmp_path / "projects.csv", [PROJECT_HEADER])
    response = upload(client, path, encoding="punycode")
    assert response.status_code == 200 and not ImportBatch.objects.exists()
    assert "punycode" in response.content.decode()  # "选择一个有效的选项。punycode 不在…"


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("empty.csv", b"", "空文件"),
        ("too-big.csv", b"code,title\nP-1,x\n" * 100, "拒绝"),
        ("picture.png", b"\x89PNG\r\n\x1a\n....", "picture.png 不是电子表格"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "不支持旧版 .xls"),
    ],
)
def test_the_upload_form_refuses_empty_oversized_and_wrong_type_files(
    client, world, tmp_path, settings, name, content, fragment
):
    settings.IMPORT_MAX_BYTES = 1000
    path = tmp_path / name
    path.write_bytes(content)
    client.force_login(world["staff_a"])
    response = upload(client, path)
    assert response.status_code == 200 and not ImportBatch.objects.exists()
    assert fragment in response.content.decode()


def test_content_that_is_not_what_its_name_says_ends_as_an_error_on_the_batch_page(
    client, world, tmp_path
):
    path = tmp_path / "projects.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    client.force_login(world["staff_a"])
    batch, html = check_through_the_web(client, path)
    assert batch.outcome == ImportOutcome.INVALID and "NUL" in html


@pytest.mark.parametrize("case", ["long field", "big5", "helper formula"])
def test_what_once_failed_silently_now_shows_on_the_batch_page(client, world, tmp_path, case):
    client.force_login(world["staff_a"])
    if case == "long field":
        path = tmp_path / "projects.csv"
        path.write_text('code,title\nP-1,"' + "x" * 140_000 + '"\n', encoding="utf-8")
        fragment = "131072"
    elif case == "big5":
        path = foreign_csv(tmp_path / "projects.csv", "big5")
        fragment = "Big5"
    else:
        helper = worksheet('<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>')
        path = workbook_with_helper_sheet(tmp_path / "helper.xlsx", world, helper)
        fragment = None
    batch, html = check_through_the_web(client, path)
    if fragment is None:
        assert batch.outcome == ImportOutcome.PREVIEWED, batch.errors
    else:
        assert batch.outcome == ImportOutcome.INVALID and fragment in html
        assert batch.get_outcome_display() in html


def test_an_unexpected_error_during_the_check_is_logged_and_shown(
    client, world, tmp_path, caplog, monkeypatch
):
    """A reader that raises something nobody foresaw, inside the job."""

    def broken(*args, **kwargs):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr("projects.imports.service.read_file", broken)
    client.force_login(world["staff_a"])
    upload(client, write_csv(tmp_path / "projects.csv", [PROJECT_HEADER]))
    batch = ImportBatch.objects.get()
    assert batch.outcome == ImportOutcome.FAILED
    assert f"import #{batch.pk} of projects.csv failed" in caplog.text
    html = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "意外错误" in html and batch.get_outcome_display() in html
    assert "the disk went away" not in html  # the log has it, the page says only what happened
    assert not storage.exists(batch)


def test_a_job_delivered_again_or_for_a_batch_in_another_state_does_nothing(
    client, world, tmp_path
):
    factories.client_of(world["platform_a"], uscc=make_uscc(1))
    path = write_csv(
        tmp_path / "projects.csv", [PROJECT_HEADER, project_row("J-1", world["platform_a"])]
    )
    client.force_login(world["staff_a"])
    batch, _html = check_through_the_web(client, path)
    assert batch.outcome == ImportOutcome.PREVIEWED
    # A replayed write job, never claimed by a confirm: skipped, nothing written.
    assert tasks.run_batch(batch.pk, False) == "skipped"
    assert tasks.run_batch(batch.pk, True) == "skipped"
    assert not Project.objects.filter(code="J-1").exists()
    client.post(reverse("imports:confirm", args=[batch.pk]))
    assert tasks.run_batch(batch.pk, False) == "skipped"  # delivered twice: written once
    assert Project.history.filter(code="J-1").count() == 1


def test_a_pending_batch_whose_file_is_gone_says_so_and_offers_a_new_upload(client, world):
    client.force_login(world["staff_a"])
    batch = ImportBatch.objects.create(user=world["staff_a"], file_name="p.csv", kind="csv")
    html = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.EXPIRED and "已不在服务器上" in html
    assert f'href="{reverse("imports:upload")}"' in html and "重新上传" in html
    # Asking for its check does not pretend either.
    assert client.post(reverse("imports:check", args=[batch.pk])).status_code == 302
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.EXPIRED


def test_a_checked_batch_whose_file_is_gone_says_so_and_offers_no_confirm(client, world, tmp_path):
    factories.client_of(world["platform_a"], uscc=make_uscc(1))
    path = write_csv(
        tmp_path / "projects.csv", [PROJECT_HEADER, project_row("G-1", world["platform_a"])]
    )
    client.force_login(world["staff_a"])
    batch, html = check_through_the_web(client, path)
    assert batch.outcome == ImportOutcome.PREVIEWED and "确认导入" in html
    storage.delete(batch)
    html = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "已不在服务器上" in html and "重新上传" in html
    assert reverse("imports:confirm", args=[batch.pk]) not in html
    assert client.post(reverse("imports:confirm", args=[batch.pk])).status_code == 302
    assert not Project.objects.filter(code="G-1").exists()


def test_a_confirm_whose_file_vanished_after_the_page_was_shown_expires(client, world, tmp_path):
    factories.client_of(world["platform_a"], uscc=make_uscc(1))
    path = write_csv(
        tmp_path / "projects.csv", [PROJECT_HEADER, project_row("G-2", world["platform_a"])]
    )
    client.force_login(world["staff_a"])
    batch, _html = check_through_the_web(client, path)
    storage.delete(batch)
    page = client.post(reverse("imports:confirm", args=[batch.pk]), follow=True)
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.EXPIRED and "重新上传" in page.content.decode()
    assert not Project.objects.filter(code="G-2").exists()


def test_the_guard_reads_only_the_sheets_it_is_asked_for(tmp_path):
    path = write_package(
        tmp_path / "two.xlsx",
        {"projects": worksheet(HEADER_ROW), "helper": SHEET_AT_A1_AND_XFD},
    )
    scans = inspect_workbook(path, lambda names: [n for n in names if n == "projects"])
    assert list(scans) == ["projects"] and scans["projects"].last_column == 5
    assert Path(path).stat().st_size < 2_000

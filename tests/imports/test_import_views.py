"""The import pages: permissions, upload → check → preview → confirm, history, downloads."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from projects.imports import storage
from projects.imports.choices import ImportOutcome
from projects.imports.models import ImportBatch
from projects.models import Project
from tests import factories
from tests.factories import make_uscc
from tests.imports.helpers import PROJECT_HEADER, project_row, row_counts, write_xlsx

PAGES = ["imports:upload", "imports:history", "imports:template"]


def upload(client, path, **extra):
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes()), **extra}
    return client.post(reverse("imports:upload"), data)


@pytest.fixture
def xlsx(world, tmp_path):
    # A client platform A already serves, so that its staff may name it by its USCC alone.
    factories.ProjectFactory(platform=world["platform_a"], enterprise__uscc=make_uscc(1))
    rows = [PROJECT_HEADER, project_row("W-1", world["platform_a"])]
    return write_xlsx(tmp_path / "web.xlsx", {"projects": rows})


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("who", "status"),
    [("staff_a", 200), ("admin_user", 200), ("manager", 403), ("other_manager", 403)],
)
def test_only_staff_and_administrators_reach_the_import_pages(client, world, name, who, status):
    client.force_login(world[who])
    assert client.get(reverse(name)).status_code == status


@pytest.mark.parametrize("name", [*PAGES, "imports:export"])
def test_anonymous_users_are_sent_to_the_login_page(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_upload_check_preview_confirm_writes_once(client, world, xlsx):
    client.force_login(world["staff_a"])
    response = upload(client, xlsx)  # the check runs as a job (eagerly, without a broker)
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("imports:batch", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.PREVIEWED
    assert not Project.objects.filter(code="W-1").exists()

    preview = client.get(reverse("imports:batch", args=[batch.pk]))
    assert preview.status_code == 200
    assert reverse("imports:confirm", args=[batch.pk]) in preview.content.decode()
    assert "W-1" in preview.content.decode()

    confirmed = client.post(reverse("imports:confirm", args=[batch.pk]))
    assert confirmed["Location"] == reverse("imports:batch", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.IMPORTED and not batch.dry_run
    assert Project.objects.get(code="W-1").history.first().history_user == world["staff_a"]
    assert not storage.exists(batch)  # the uploaded file is deleted once done

    again = client.post(reverse("imports:confirm", args=[batch.pk]))
    assert again.status_code == 302  # confirming twice writes nothing more
    assert Project.objects.filter(code="W-1").count() == 1


def test_confirm_checks_the_data_again(client, world, xlsx):
    client.force_login(world["staff_a"])
    upload(client, xlsx)
    batch = ImportBatch.objects.get()
    # Meanwhile another platform takes the code: the confirmed import must now be refused.
    factories.ProjectFactory(code="W-1", platform=world["platform_b"])
    before = row_counts()
    client.post(reverse("imports:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.outcome == ImportOutcome.INVALID
    assert row_counts() == before


def test_the_preview_lists_every_error_and_offers_no_confirm(client, world, tmp_path):
    rows = [PROJECT_HEADER, ["W-2", "没有这个平台", make_uscc(9), "x", "2024-01-01"]]
    path = write_xlsx(tmp_path / "bad.xlsx", {"projects": rows})
    client.force_login(world["staff_a"])
    upload(client, path)
    batch = ImportBatch.objects.get()
    html = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "没有这个平台" in html and "您的平台中没有名为" in html  # zh-hans is the default
    assert reverse("imports:confirm", args=[batch.pk]) not in html
    errors_csv = client.get(reverse("imports:errors", args=[batch.pk])).content.decode("utf-8-sig")
    assert "没有这个平台" in errors_csv


def test_an_oversized_upload_is_refused_by_the_form(client, world, settings, xlsx):
    settings.IMPORT_MAX_BYTES = 10
    client.force_login(world["staff_a"])
    response = upload(client, xlsx)
    assert response.status_code == 200 and not ImportBatch.objects.exists()
    assert "的文件将被拒绝" in response.content.decode()


def test_another_users_batch_does_not_exist_for_staff(client, world, xlsx):
    client.force_login(world["staff_a"])
    upload(client, xlsx)
    batch = ImportBatch.objects.get()
    client.force_login(world["staff_b"])
    assert client.get(reverse("imports:batch", args=[batch.pk])).status_code == 404
    assert client.post(reverse("imports:check", args=[batch.pk])).status_code == 404
    assert client.get(reverse("imports:status", args=[batch.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[batch.pk])).status_code == 404


def test_the_history_lists_the_users_imports_in_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    def make(n):
        for i in range(n):
            ImportBatch.objects.create(user=world["staff_a"], file_name=f"f{i}.xlsx", kind="csv")

    client.force_login(world["staff_a"])
    counts = []
    for n in (2, 20):
        make(n)
        # user, may_import check, count (paginator), the page of batches with users,
        # and the navigation's role description (platforms, zones)
        with django_assert_num_queries(6):
            response = client.get(reverse("imports:history"))
        counts.append(len(response.context["batches"]))
    assert counts == [2, 22]
    assert "f1.xlsx" in response.content.decode()


def test_the_template_has_a_sheet_per_kind_and_column_notes_in_the_users_language(client, world):
    client.force_login(world["staff_a"])
    first_headers = {}
    for language in ("en", "zh-hans"):
        client.cookies["django_language"] = language
        response = client.get(reverse("imports:template"))
        workbook = load_workbook(io.BytesIO(response.content))
        # The registered sheets, in processing order (each after the sheets it names).
        assert workbook.sheetnames[:5] == [
            "platforms",
            "enterprises",
            "projects",
            "yield_runs",
            "financing",
        ]
        # plus the examples (never imported) and the sheet that explains each column
        assert len(workbook.sheetnames) == 7
        assert all(workbook[kind].max_row == 1 for kind in workbook.sheetnames[:5])  # headers
        first_headers[language] = workbook["projects"]["A1"].value
    assert first_headers == {"en": "code", "zh-hans": "项目编号"}


def test_the_export_holds_only_what_the_user_may_see(client, world):
    factories.ProjectFactory(platform=world["platform_a"], code="MINE")
    factories.ProjectFactory(platform=world["platform_c"], code="THEIRS")
    client.force_login(world["manager"])
    response = client.get(reverse("imports:export"))
    codes = [
        row[0]
        for row in load_workbook(io.BytesIO(response.content))["projects"].iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert codes == ["MINE"]

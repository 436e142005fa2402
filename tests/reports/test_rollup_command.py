"""``manage.py rollup``: JSON, text and CSV output, unscoped, with exit code 2 for bad scopes."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from tests.reports.test_report_views import JSON_KEYS


def run(*args) -> str:
    out = StringIO()
    call_command("rollup", *args, stdout=out)
    return out.getvalue()


def test_json_is_the_unscoped_rollup_with_the_documented_keys(report_world):
    data = json.loads(run())

    assert set(data) == JSON_KEYS
    assert (data["platforms"], data["projects"], data["financing"]) == (3, 5, "1000350.03")


def test_zone_by_name_or_id_and_year_narrow_the_scope(report_world):
    by_name = json.loads(run("--zone", "成都高新区", "--year", "2024"))
    by_id = json.loads(run("--zone", str(report_world["zone1"].pk), "--year", "2024"))

    assert by_name == by_id
    assert (by_name["platforms"], by_name["projects"], by_name["service_revenue"]) == (
        2,
        3,
        "1200.50",
    )
    assert by_name["scope"]["year_from"] == by_name["scope"]["year_to"] == 2024


def test_platform_and_sector_filters(report_world):
    data = json.loads(run("--platform", "另一平台", "--sector", "raw_materials"))

    assert (data["platforms"], data["projects"], data["output_value"]) == (1, 1, "2000.00")


def test_text_format_prints_the_briefing_in_the_chosen_language(report_world):
    zh = run("--zone", "成都高新区", "--format", "text")
    en = run("--zone", "成都高新区", "--format", "text", "--lang", "en")

    assert zh.startswith("成都高新区共有中试平台2家,其中工信部首批重点培育中试平台1家(占全省25%)")
    name = report_world["zone1"].name_en
    assert en.startswith(f"{name} has built 2 pilot-test platforms, 1 of them on MIIT's first")


def test_csv_format_prints_the_by_platform_table_with_a_totals_row(report_world):
    lines = run("--format", "csv", "--lang", "en").strip().splitlines()

    assert lines[0].startswith("Platform,Zone,Sector,Platforms,MIIT key platforms,Projects")
    assert "Service revenue (yuan)" in lines[0]
    assert len(lines) == 1 + 3 + 1
    assert lines[-1].startswith("Total,,,3,2,5,3,2,1305.60,3507.55,1000350.03")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--zone", "火星高新区"], "Unknown zone"),
        (["--zone", "999999"], "Unknown zone"),
        (["--platform", "不存在的平台"], "Unknown platform"),
    ],
)
def test_unknown_zone_or_platform_is_a_usage_error_with_exit_code_2(report_world, args, message):
    with pytest.raises(CommandError, match=message) as error:
        run(*args)

    assert error.value.returncode == 2


def test_platform_outside_the_zone_is_a_usage_error(report_world):
    with pytest.raises(CommandError, match="is not in zone") as error:
        run("--zone", "昆山高新区", "--platform", "蜂鸟平台")

    assert error.value.returncode == 2


def test_run_from_the_command_line_exits_with_status_2_for_an_unknown_zone(report_world, capsys):
    # The way a shell script runs it: run_from_argv turns the CommandError into the exit status.
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "rollup", "--zone", "does-not-exist"]).execute()

    assert exit_info.value.code == 2
    assert "Unknown zone: 'does-not-exist'." in capsys.readouterr().err


def test_chengdu_demo_text_reproduces_the_published_sentences(db, demo):
    from tests.reports.test_briefing import CHENGDU_EN, CHENGDU_ZH

    assert run("--zone", "Chengdu High-tech Zone", "--format", "text").startswith(CHENGDU_ZH)
    assert run("--zone", "成都高新区", "--format", "text", "--lang", "en").startswith(CHENGDU_EN)
    data = json.loads(run("--zone", "成都高新区"))
    assert (data["platforms"], data["key_platforms"], data["projects"]) == (96, 8, 4547)
    assert data["key_platform_share"] == 0.5

"""The load test's judges (benchmarks/loadtest/checks.py, htmlforms.py): pure functions, no
server. Each test pictures the one-line bug that would let a bad run pass."""

import pytest

from benchmarks.loadtest import checks, htmlforms
from benchmarks.loadtest.checks import CONFLICT, REFUSED, SAVED, UNKNOWN, Edit

PREFIX = "2026-11-29 08:14:34.825 UTC [19261] postgres@"


def log(database: str, level: str, message: str) -> str:
    return f"{PREFIX}{database} {level}:  {message}\n"


@pytest.mark.parametrize(
    "message",
    [
        "deadlock detected",
        "canceling statement due to lock timeout",
        "canceling statement due to statement timeout",
        "Deadlock Detected",
    ],
)
def test_a_deadlock_or_lock_timeout_of_our_database_is_a_problem(message):
    scan = checks.scan_log([log("loadtest", "ERROR", message)], "loadtest")
    assert len(scan.problems) == 1
    assert message in scan.problems[0]


@pytest.mark.parametrize("database", ["test_loadtest", "loadtest_import", "wt_scale", ""])
def test_other_databases_errors_on_the_shared_server_are_not_ours(database):
    lines = [log(database, "ERROR", "deadlock detected")]
    assert checks.scan_log(lines, "loadtest").problems == []


def test_continuation_lines_and_other_errors_are_not_problems():
    lines = [
        log("loadtest", "ERROR", 'duplicate key value violates unique constraint "x"'),
        log("loadtest", "STATEMENT", "SELECT 'deadlock detected', 'lock timeout'"),
        log("loadtest", "DETAIL", "Process 1 waits for ShareLock; deadlock detected"),
        "\tcontinued query text: canceling statement\n",
        "not a log line at all: deadlock detected\n",
    ]
    assert checks.scan_log(lines, "loadtest").problems == []


def test_lock_waits_are_counted_for_information_only():
    lines = [
        log(
            "loadtest",
            "LOG",
            "process 7 still waiting for ShareLock on transaction 9 after 1000 ms",
        ),
        log("loadtest", "LOG", "process 7 acquired ShareLock on transaction 9 after 3482 ms"),
        log("other", "LOG", "process 8 still waiting for ShareLock on transaction 9 after 1000 ms"),
    ]
    scan = checks.scan_log(lines, "loadtest")
    assert (scan.problems, scan.lock_waits) == ([], 1)


def test_the_log_is_read_from_the_offset_and_from_the_start_after_a_rotation(tmp_path):
    path = tmp_path / "postgresql.log"
    path.write_text("before the run\n")
    offset = path.stat().st_size
    with path.open("a") as handle:
        handle.write("during the run\n")
    assert checks.read_log_from(path, offset) == ["during the run"]
    path.write_text("rotated\n")  # a new, shorter file: everything in it is new
    assert checks.read_log_from(path, offset) == ["rotated"]


def marker(n: int) -> str:
    return f"LTab12cd-loadtest-writer-01-{n}"


def stored(n: int) -> str:
    return f"负载测试 {marker(n)}"


def test_the_last_saved_edit_stored_is_no_lost_update():
    edits = [Edit(1, 1, marker(1), SAVED), Edit(1, 2, marker(2), SAVED)]
    assert checks.check_lost_updates(edits, {1: stored(2)}) == []


def test_an_earlier_edit_stored_means_the_last_one_was_lost():
    edits = [Edit(1, 2, marker(2), SAVED), Edit(1, 1, marker(1), SAVED)]
    problems = checks.check_lost_updates(edits, {1: stored(1)})
    assert len(problems) == 1
    assert marker(2) in problems[0]
    assert "lost" in problems[0]


def test_no_marker_stored_after_a_saved_edit_is_a_lost_update():
    problems = checks.check_lost_updates([Edit(1, 1, marker(1), SAVED)], {1: "其他描述"})
    assert len(problems) == 1
    assert checks.check_lost_updates([Edit(1, 1, marker(1), SAVED)], {}) != []


def test_two_edits_saved_from_one_version_are_a_lost_update_even_if_the_last_is_stored():
    edits = [Edit(1, 1, marker(1), SAVED), Edit(1, 1, marker(2), SAVED)]
    problems = checks.check_lost_updates(edits, {1: stored(2)})
    assert len(problems) == 1
    assert "from version 1" in problems[0]


def test_an_edit_answered_409_must_not_be_stored():
    edits = [Edit(1, 1, marker(1), SAVED), Edit(1, 1, marker(2), CONFLICT)]
    assert checks.check_lost_updates(edits, {1: stored(1)}) == []
    problems = checks.check_lost_updates(edits, {1: stored(2)})
    assert len(problems) == 1
    assert "409" in problems[0]


def test_a_later_unanswered_edit_may_have_committed_but_an_earlier_one_may_not_win():
    edits = [Edit(1, 1, marker(1), SAVED), Edit(1, 2, marker(2), UNKNOWN)]
    assert checks.check_lost_updates(edits, {1: stored(2)}) == []
    edits = [Edit(1, 2, marker(1), SAVED), Edit(1, 1, marker(2), UNKNOWN)]
    assert len(checks.check_lost_updates(edits, {1: stored(2)})) == 1


def test_projects_without_a_saved_edit_are_not_judged_and_projects_are_judged_apart():
    edits = [
        Edit(1, 1, marker(1), CONFLICT),
        Edit(2, 1, marker(2), REFUSED),
        Edit(3, 5, marker(3), SAVED),
        Edit(4, 5, marker(4), SAVED),
    ]
    problems = checks.check_lost_updates(edits, {1: "", 2: "", 3: stored(3), 4: stored(3)})
    assert len(problems) == 1
    assert problems[0].startswith("project 4:")


def test_percentiles_are_nearest_rank():
    values = list(range(100, 0, -1))
    assert checks.percentile(values, 95) == 95
    assert checks.percentile(values, 50) == 50
    assert checks.percentile([4, 1, 3, 2], 50) == 2
    assert checks.percentile([7], 95) == 7
    assert checks.percentile([], 95) == 0


def test_figures_per_endpoint_and_category_count_errors_and_5xx():
    samples = [
        ["POST /projects/[id]/edit/", 100, 302, ""],
        ["POST /projects/[id]/edit/", 900, 500, "HTTP 500"],
        ["GET /projects/", 50, 200, ""],
        ["GET /platforms/", 250, 200, ""],
        ["GET /somewhere/new/", 10, 0, "ConnectionError"],
    ]
    endpoints, categories = checks.summarise(samples)
    assert endpoints["POST /projects/[id]/edit/"].requests == 2
    write = categories[checks.WRITE]
    assert (write.requests, write.errors, write.server_errors, write.p95) == (2, 1, 1, 900)
    assert categories[checks.LIST].requests == 2
    assert categories[checks.PAGE].errors == 1  # an unknown name still counts


def test_the_requests_started_while_the_import_ran_are_picked_by_their_start():
    samples = [["a", 1, 200, "", 10.0], ["b", 1, 200, "", 20.0], ["c", 1, 200, "", 30.5]]
    assert [s[0] for s in checks.started_between(samples, 10.0, 30.0)] == ["a", "b"]
    assert checks.started_between(samples, None, 30.0) == []


def test_targets_fail_on_errors_slow_categories_and_an_unfinished_import():
    fast = {
        checks.WRITE: checks.Figures(1, 0, 0, [500]),
        checks.LIST: checks.Figures(1, 0, 0, [300]),
        checks.REPORT: checks.Figures(1, 0, 0, [1000]),
    }
    assert all(met for _, met in checks.evaluate_targets(fast, "imported"))
    results = dict(checks.evaluate_targets(fast, "timed out"))
    assert list(results.values()) == [True, True, True, True, False]
    slow = {**fast, checks.LIST: checks.Figures(1, 1, 0, [301])}
    assert [met for _, met in checks.evaluate_targets(slow, "imported")] == [
        False, True, False, True, True,
    ]  # fmt: skip
    assert len(checks.evaluate_targets(fast, "skipped")) == 4  # LOADTEST_IMPORT_PROJECTS=0
    missing = {checks.WRITE: fast[checks.WRITE]}
    assert not all(met for _, met in checks.evaluate_targets(missing, "imported"))


FORM = """
<form method="get" action="/search/"><input name="q" value="x"></form>
<form method="post" action="/projects/7/edit/" class="form">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <input type="text" name="title" value="A &amp; B">
  <input type="hidden" name="version" value="3">
  <select name="stage"><option value="EVT">EVT</option>
    <option value="DVT" selected>DVT</option></select>
  <select name="status"><option value="">---</option><option value="done">done</option></select>
  <select name="tags" multiple><option value="a">a</option></select>
  <input type="checkbox" name="new_product">
  <input type="checkbox" name="confidential" checked>
  <input type="radio" name="track" value="discrete" checked>
  <input type="radio" name="track" value="process">
  <input type="text" name="locked" value="no" disabled>
  <input type="file" name="evidence"><button type="submit" name="go">Save</button>
  <textarea name="description">
old &lt;text&gt;</textarea>
</form>
"""


def test_a_form_is_read_as_a_browser_submits_it():
    form = htmlforms.form_with_field(FORM, "version")
    assert (form.action, form.method) == ("/projects/7/edit/", "post")
    assert form.fields == [
        ("csrfmiddlewaretoken", "tok"),
        ("title", "A & B"),
        ("version", "3"),
        ("stage", "DVT"),
        ("status", ""),
        ("confidential", "on"),
        ("track", "discrete"),
        ("description", "old <text>"),
    ]


def test_submitted_data_replaces_the_changed_field_and_adds_new_ones():
    form = htmlforms.form_with_field(FORM, "version")
    data = form.data(description="负载测试 LT1-a-1", extra="1")
    assert ("description", "负载测试 LT1-a-1") in data
    assert ("description", "old <text>") not in data
    assert data[-1] == ("extra", "1")
    assert len(data) == len(form.fields) + 1


def test_forms_are_found_by_field_and_by_action():
    assert htmlforms.form_posting_to(FORM, "/edit/").get("version") == "3"
    assert htmlforms.form_posting_to(FORM, "/search/") is None  # a GET form
    assert htmlforms.form_with_field(FORM, "nothing") is None

"""The load test's traffic (Locust), started by ``python -m benchmarks.loadtest.run``.

Reads the plan the runner wrote (``LOADTEST_PLAN``: accounts, project ids, the workbook) and
writes every request and every edit it sent to ``LOADTEST_RESULTS`` when it stops; the runner
judges them (``checks.py``). Three kinds of virtual users, each signed in through the login page:

- writers open the edit form of one of their platform's projects, take a moment, and post it
  back with a unique marker in the description and the version the form carried: a redirect is
  a saved edit, a 409 a conflict (optimistic locking), not an error;
- managers open reports, lists and exports of their zone;
- the importer waits until the middle of the run, then uploads the workbook and follows the web
  flow (check → confirm) by reading the pages, polling the batch page until the batch is done.

The run lasts ``LOADTEST_SECONDS``, and longer if the import is still going then (up to
``LOADTEST_IMPORT_TIMEOUT`` seconds more), so that the import always runs under full load.
"""

import json
import os
import random
import re
import time
from pathlib import Path
from urllib.parse import urljoin

import gevent
from locust import HttpUser, between, constant, events, task

from benchmarks.loadtest import checks, htmlforms

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text())
SECONDS = float(os.environ.get("LOADTEST_SECONDS", "60"))
IMPORT_TIMEOUT = float(os.environ.get("LOADTEST_IMPORT_TIMEOUT", "600"))
THINK = [float(part) for part in os.environ.get("LOADTEST_WAIT", "1,3").split(",")]
RUN = PLAN["run"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FINAL_OUTCOMES = {"imported", "invalid", "failed"}
UPLOAD = {"", "/import/"}

SAMPLES: list[list] = []
EDITS: list[dict] = []
USERS = len(PLAN["writers"]) + len(PLAN["managers"]) + bool(PLAN["workbook"])
SIGNED_IN = [0]
STATE = {
    "started": None,
    "import": "not started" if PLAN["workbook"] else "skipped",
    "import_seconds": None,
    "import_note": "",
}
ACCOUNTS = {
    "writer": iter(PLAN["writers"]),
    "manager": iter(PLAN["managers"]),
}


@events.request.add_listener
def record(name, response_time, response=None, exception=None, **_kwargs):
    status = getattr(response, "status_code", 0) or 0
    error = str(exception)[:300] if exception else ""
    # The fifth field, when the request started, tells what ran while the import was going.
    SAMPLES.append(
        [name, round(response_time, 1), status, error, time.time() - response_time / 1000]
    )


@events.user_error.add_listener
def record_user_error(user_instance, exception, tb, **_kwargs):
    SAMPLES.append(["(user error)", 0, 0, repr(exception)[:300], time.time()])


@events.init.add_listener
def start_watch(environment, **_kwargs):
    gevent.spawn(_watch, environment)


def _watch(environment):
    """Stops the run after SECONDS, or once the import is done if that is later."""
    while STATE["started"] is None:
        gevent.sleep(0.2)
    deadline = STATE["started"] + SECONDS
    while True:
        gevent.sleep(0.5)
        now = time.time()
        import_over = STATE["import"] not in {"not started", "running"} or not PLAN["workbook"]
        if now >= deadline and (import_over or now >= deadline + IMPORT_TIMEOUT):
            if not import_over:
                STATE["import"] = "timed out"
            environment.runner.quit()
            return


@events.quitting.add_listener
def write_results(**_kwargs):
    STATE["ended"] = time.time()
    Path(os.environ["LOADTEST_RESULTS"]).write_text(
        json.dumps({"samples": SAMPLES, "edits": EDITS, "state": STATE})
    )


class SignedInUser(HttpUser):
    abstract = True
    kind = ""

    def on_start(self):
        """Sign in, then wait for everybody else: the measured traffic starts once all are
        signed in (a sign-in hashes the password, about a second of CPU each)."""
        try:
            self.sign_in()
        finally:
            SIGNED_IN[0] += 1
            if SIGNED_IN[0] == USERS:
                STATE["started"] = time.time()
        while STATE["started"] is None:
            gevent.sleep(0.1)

    def sign_in(self):
        self.account = next(ACCOUNTS[self.kind]) if self.kind else PLAN["importer"]
        page = self.call("get", "/accounts/login/", "GET /accounts/login/")
        form = htmlforms.form_with_field(page.text, "password")
        data = form.data(username=self.account["username"], password=PLAN["password"])
        answer = self.call(
            "post", "/accounts/login/", "POST /accounts/login/", data=data, allow_redirects=False
        )
        if answer.status_code != 302:
            raise RuntimeError(f"{self.account['username']} could not sign in")

    def call(self, method, url, name, **kwargs):
        response = self.client.request(method, url, name=name, **kwargs)
        self.keep_cookies()
        return response

    def keep_cookies(self):
        """DEBUG=0 marks cookies Secure; the test speaks plain HTTP to 127.0.0.1, as behind a
        TLS proxy: keep sending them."""
        for cookie in self.client.cookies:
            cookie.secure = False


class StaffWriter(SignedInUser):
    kind = "writer"
    fixed_count = len(PLAN["writers"])
    wait_time = between(*THINK)

    def on_start(self):
        super().on_start()
        self.sent = 0

    @task
    def edit_a_project(self):
        pk = random.choice(self.account["projects"])
        page = self.call("get", f"/projects/{pk}/edit/", "GET /projects/[id]/edit/")
        if not page.ok:
            return  # counted as an error by Locust
        form = htmlforms.form_with_field(page.text, "version")
        if form is None:  # not the edit form we know: say so rather than edit nothing
            SAMPLES.append(["(no edit form)", 0, 0, f"no version field on {page.url}", time.time()])
            return
        self.sent += 1
        marker = f"LT{RUN}-{self.account['username']}-{self.sent}"
        gevent.sleep(random.uniform(0.3, 1.5))  # the clerk types
        edit = {"project": pk, "version": int(form.get("version") or 0), "marker": marker}
        with self.client.post(
            f"/projects/{pk}/edit/",
            data=form.data(description=f"负载测试 {marker}"),
            name="POST /projects/[id]/edit/",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            edit["outcome"] = self.outcome(answer)
        self.keep_cookies()
        EDITS.append(edit)
        if edit["outcome"] == checks.SAVED:
            self.call("get", answer.headers["Location"], "GET /projects/[id]/")

    @staticmethod
    def outcome(answer) -> str:
        code = answer.status_code
        if code == 302:
            return checks.SAVED
        if code == 409:  # optimistic locking refused a stale form: expected under load
            answer.success()
            return checks.CONFLICT
        answer.failure(f"HTTP {code}" + (f": {_errors_of(answer.text)}" if code == 400 else ""))
        return checks.REFUSED if 400 <= code < 500 else checks.UNKNOWN


def _errors_of(html: str) -> str:
    found = re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]{1,200})', html)
    return "; ".join(text.strip() for text in found[:3])


# What managers open: (request name, URL maker), one picked at random per visit.
REPORT_PAGES = [
    ("GET /reports/", lambda: "/reports/"),
    (
        "GET /reports/?platform=…",
        lambda: f"/reports/?platform={random.choice(PLAN['zone_platforms'])}",
    ),
    ("GET /reports/?year=…", lambda: f"/reports/?year={random.randint(2019, 2025)}"),
    ("GET /reports/?sector=…", lambda: f"/reports/?sector={random.choice(PLAN['sectors'])}"),
    ("GET /reports/rollup.json", lambda: "/reports/rollup.json"),
]
LIST_PAGES = [
    ("GET /projects/", lambda: "/projects/"),
    ("GET /projects/?page=N", lambda: f"/projects/?page={random.randint(2, 20)}"),
    ("GET /projects/?status=active", lambda: "/projects/?status=active"),
    (
        "GET /projects/?q=…",
        lambda: f"/projects/?q={random.choice(['模组', '检测', '2023', 'BULK'])}",
    ),
    ("GET /platforms/", lambda: "/platforms/"),
    ("GET /enterprises/", lambda: "/enterprises/"),
]

# A page missing from checks.ENDPOINTS would escape its category's target.
assert {checks.category_of(name) for name, _ in REPORT_PAGES} == {checks.REPORT}
assert {checks.category_of(name) for name, _ in LIST_PAGES} == {checks.LIST}


class Manager(SignedInUser):
    kind = "manager"
    fixed_count = len(PLAN["managers"])
    wait_time = between(*THINK)

    @task(3)
    def report(self):
        self.visit(REPORT_PAGES)

    @task(4)
    def lists(self):
        self.visit(LIST_PAGES)

    def visit(self, pages):
        name, url = random.choice(pages)
        self.call("get", url(), name)

    @task(1)
    def export(self):
        self.call("get", "/projects/export.csv?status=active", "GET /projects/export.csv")


class Importer(SignedInUser):
    fixed_count = 1 if PLAN["workbook"] else 0
    wait_time = constant(1)

    @task
    def import_once(self):
        if STATE["import"] != "not started":
            gevent.sleep(1)
            return
        while time.time() < STATE["started"] + SECONDS / 2:
            gevent.sleep(0.5)
        STATE["import"] = "running"
        STATE["import_began"] = time.time()
        try:
            STATE["import"] = self.run_import()
        except Exception as error:  # reported, and fails the run
            STATE["import"], STATE["import_note"] = "broken", repr(error)[:500]
        STATE["import_ended"] = time.time()
        STATE["import_seconds"] = round(STATE["import_ended"] - STATE["import_began"], 1)

    def run_import(self) -> str:
        page = self.call("get", "/import/", "GET /import/")
        # The upload form posts to the page itself (the menu's forms post elsewhere).
        form = next(
            (f for f in htmlforms.forms_of(page.text) if f.method == "post" and f.action in UPLOAD),
            htmlforms.Form("", "post"),
        )
        path = Path(PLAN["workbook"])
        answer = self.call(
            "post",
            "/import/",
            "POST /import/ (upload)",
            data=form.data(),
            files={"file": (path.name, path.read_bytes(), XLSX)},
            allow_redirects=False,
        )
        match = re.search(r"/import/(\d+)/", answer.headers.get("Location", ""))
        if not match:
            STATE["import_note"] = f"upload answered HTTP {answer.status_code}"
            return "refused"
        batch_url = f"/import/{match.group(1)}/"
        url = urljoin(batch_url, answer.headers["Location"])
        deadline = time.time() + IMPORT_TIMEOUT
        taken = set()  # each step once: a page that offers it again is waiting for a worker
        while time.time() < deadline:
            name = "GET /import/[id]/check/" if "/check/" in url else "GET /import/[id]/ (poll)"
            page = self.call("get", url, name)
            url = batch_url
            outcome = outcome_of(page.text, match.group(1)) if "/check/" not in page.url else None
            if outcome in FINAL_OUTCOMES:
                STATE["import_note"] = _errors_of(page.text) if outcome != "imported" else ""
                return outcome
            # The next step the page offers: a confirm (or check) button, or a link to the check.
            button = htmlforms.form_posting_to(page.text, "/confirm/") or (
                htmlforms.form_posting_to(page.text, "/check/")
            )
            check = re.search(r'href="([^"]*/import/\d+/check/)"', page.text)
            step = "confirm" if button is not None and "/confirm/" in button.action else "check"
            if button is not None and f"POST {step}" not in taken:
                taken.add(f"POST {step}")
                self.call(
                    "post", urljoin(batch_url, button.action), f"POST /import/[id]/{step}/",
                    data=button.data(),
                )  # fmt: skip
            elif check is not None and "GET check" not in taken:
                taken.add("GET check")
                url = check.group(1)
            else:
                gevent.sleep(1)
        return "timed out"


def outcome_of(html: str, batch: str) -> str | None:
    """The batch's outcome as its page shows it (``class="outcome outcome-imported"``), or
    else as the database holds it (a later page may show it differently)."""
    match = re.search(r"\boutcome-([a-z_]+)\b", html)
    if match:
        return match.group(1)
    import psycopg

    with psycopg.connect(os.environ["LOADTEST_DATABASE_URL"]) as connection:
        row = connection.execute(
            "SELECT outcome FROM imports_importbatch WHERE id = %s", [int(batch)]
        ).fetchone()
    return row[0] if row else None

"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Without /usr/bin/chromium the browser tests are skipped with a clear reason, unless
``REQUIRE_BROWSER=1`` (CI) turns that into a failure. A failing test leaves a screenshot of
every page it opened in ``test-results/``.

Every page a test opens is watched: a Content-Security-Policy violation (the page's
``securitypolicyviolation`` events), a console error or warning, or an uncaught script error
fails the test, with the list of what happened on which page. So every page the browser tests
visit is shown to run and render under the policy, not just to answer 200.
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's outcome on the test item, for the screenshot-on-failure teardown."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="module")
def chromium():
    """One Chromium per test module.

    Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls
    while a loop runs unless DJANGO_ALLOW_ASYNC_UNSAFE is set. The variable is set only while
    the browser is up and restored afterwards: left in the environment it would leak into
    later tests (``check --deploy`` rightly flags it).
    """
    if not CHROMIUM.exists():
        message = "Chromium not installed: browser tests skipped"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (REQUIRE_BROWSER=1 makes this a failure)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Runs in every page before its own scripts: reports each CSP violation to the test through a
# binding (Playwright's bindings and init scripts are not subject to the page's policy).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.reportPolicyViolation(
    event.effectiveDirective + " blocked " + (event.blockedURI || "inline code") +
    " (" + (event.sourceFile || "") + ":" + event.lineNumber + ") " + (event.sample || ""));
});
"""
# Chromium's own wording for a response status the test asked for (a 404 it expects).
EXPECTED_STATUS = re.compile(r"^Failed to load resource: the server responded with a status of 4")


class PageProblems(list):
    """What went wrong on the pages of one test: CSP violations, console errors and warnings,
    uncaught script errors. Tests that expect a 4xx page call ``allow_http_errors()``."""

    http_errors_expected = False

    def allow_http_errors(self):
        self.http_errors_expected = True

    def watch(self, context, page):
        context.expose_binding(
            "reportPolicyViolation",
            lambda source, text: self.append(f"CSP {source['frame'].url}: {text}"),
        )
        context.add_init_script(REPORT_VIOLATIONS)
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.append(f"script error {page.url}: {error}"))

    def _console(self, page, message):
        if message.type not in ("error", "warning"):
            return
        if self.http_errors_expected and EXPECTED_STATUS.match(message.text):
            return
        self.append(f"console {message.type} {page.url}: {message.text}")


@pytest.fixture
def page_problems():
    return PageProblems()


@pytest.fixture
def new_page(request, chromium, live_server, page_problems):
    """Open a page in a fresh browser context (own cookies) in Chinese, the default UI."""
    contexts, pages = [], []

    def open_page(locale="zh-CN"):
        context = chromium.new_context(
            locale=locale, accept_downloads=True, base_url=live_server.url
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page_problems.watch(context, page)
        pages.append(page)
        return page

    yield open_page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        for number, page in enumerate(pages):
            page.screenshot(path=str(RESULTS / f"{stem}-{number}.png"), full_page=True)
    for context in contexts:
        context.close()
    report = getattr(request.node, "report_call", None)
    if report is not None and report.passed:
        assert list(page_problems) == [], "the pages reported problems:\n" + "\n".join(
            page_problems
        )

"""What the load test judges a run by, as pure functions (tested in tests/benchmarks/).

- ``scan_log``: PostgreSQL server log lines written during the run, of the load test's database
  only (the server is shared: other databases' errors are not ours). Any deadlock, lock timeout
  or cancelled statement fails the run; "still waiting for ... lock" notes (``log_lock_waits``)
  are counted for information.
- ``check_lost_updates``: every edit a writer sent carries a unique marker in the project's
  description and names the version it read (optimistic locking). After the run, each project's
  stored marker must be that of its last saved edit (the highest version read), or of a later
  edit whose answer the writer never got (a timeout: it may have committed). Two saved edits
  from one version, or a stored marker of an edit answered 409, are lost updates too.
- ``summarise`` and ``evaluate_targets``: p50/p95 per endpoint and per category, and the
  targets of issue 13 (writes p95 ≤ 500 ms, list pages ≤ 300 ms, report pages ≤ 1 s).
"""

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

# Request names (the locustfile's ``name=``) and the category each one is judged in.
WRITE, LIST, REPORT, EXPORT, IMPORT, PAGE, LOGIN = (
    "write",
    "list",
    "report",
    "export",
    "import",
    "page",
    "login",
)
ENDPOINTS = {
    "POST /accounts/login/": LOGIN,
    "GET /accounts/login/": LOGIN,
    "GET /projects/[id]/edit/": PAGE,
    "POST /projects/[id]/edit/": WRITE,
    "GET /projects/[id]/": PAGE,
    "GET /projects/": LIST,
    "GET /projects/?page=N": LIST,
    "GET /projects/?status=active": LIST,
    "GET /projects/?q=…": LIST,
    "GET /platforms/": LIST,
    "GET /enterprises/": LIST,
    "GET /reports/": REPORT,
    "GET /reports/?platform=…": REPORT,
    "GET /reports/?year=…": REPORT,
    "GET /reports/?sector=…": REPORT,
    "GET /reports/rollup.json": REPORT,
    "GET /projects/export.csv": EXPORT,
    "GET /import/": IMPORT,
    "POST /import/ (upload)": IMPORT,
    "GET /import/[id]/check/": IMPORT,
    "GET /import/[id]/ (poll)": IMPORT,
    "POST /import/[id]/check/": IMPORT,
    "POST /import/[id]/confirm/": IMPORT,
}
# p95 ceilings in milliseconds (issue 13, item 6).
TARGETS_MS = {WRITE: 500, LIST: 300, REPORT: 1000}
CATEGORY_ORDER = [WRITE, LIST, REPORT, EXPORT, PAGE, IMPORT, LOGIN]

# ``log_line_prefix = '%m [%p] %q%u@%d '`` (Debian's default): time, pid, user@database.
LOG_LINE = re.compile(
    r"^(?P<stamp>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: \S+)?) \[(?P<pid>\d+)\] "
    r"(?:(?P<user>[^@\s]*)@(?P<database>\S*) )?(?P<level>[A-Z]+\d?):\s+(?P<message>.*)$"
)
FATAL_MESSAGES = ("deadlock detected", "lock timeout", "canceling statement")
LOCK_WAIT = "still waiting for"


@dataclass
class LogScan:
    problems: list[str] = field(default_factory=list)
    lock_waits: int = 0


def scan_log(lines: Iterable[str], database: str) -> LogScan:
    """Deadlocks, lock timeouts and cancelled statements of ``database`` in these log lines.

    Lines of other databases, and continuation lines (DETAIL, STATEMENT, tab-indented query
    text), are only reported along with an error of ours that they follow.
    """
    scan = LogScan()
    for line in lines:
        match = LOG_LINE.match(line.rstrip("\n"))
        if not match or match["database"] != database:
            continue
        message = match["message"]
        lowered = message.lower()
        if match["level"] in {"ERROR", "FATAL", "PANIC"} and any(
            text in lowered for text in FATAL_MESSAGES
        ):
            scan.problems.append(f"{match['stamp']} {match['level']}: {message}")
        elif LOCK_WAIT in lowered:
            scan.lock_waits += 1
    return scan


def read_log_from(path, offset: int) -> list[str]:
    """The lines written to ``path`` after byte ``offset`` (from the start if it was rotated)."""
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        if handle.tell() < offset:
            offset = 0
        handle.seek(offset)
        return handle.read().decode("utf-8", errors="replace").splitlines()


# --------------------------------------------------------------------------------------------
# Lost updates

SAVED, CONFLICT, REFUSED, UNKNOWN = "saved", "conflict", "refused", "unknown"
MARKER = re.compile(r"LT[0-9a-z]+-[\w.-]+-\d+")


@dataclass(frozen=True)
class Edit:
    """One edit a writer sent: the version its form showed, its marker and how it was answered
    (saved = redirect, conflict = 409, refused = a 4xx that wrote nothing, unknown = no answer
    or a 5xx, which may or may not have committed)."""

    project: int
    version: int
    marker: str
    outcome: str


def marker_in(text: str | None) -> str | None:
    match = MARKER.search(text or "")
    return match.group(0) if match else None


def check_lost_updates(edits: Iterable[Edit], stored: dict[int, str | None]) -> list[str]:
    """Problems found comparing the edits sent with each project's stored description."""
    problems = []
    by_project = defaultdict(list)
    for edit in edits:
        by_project[edit.project].append(edit)
    for project, sent in sorted(by_project.items()):
        saved = [edit for edit in sent if edit.outcome == SAVED]
        versions = defaultdict(list)
        for edit in saved:
            versions[edit.version].append(edit.marker)
        for version, markers in sorted(versions.items()):
            if len(markers) > 1:
                problems.append(
                    f"project {project}: {len(markers)} edits saved from version {version} "
                    f"({', '.join(markers)}): all but one were overwritten"
                )
        if not saved:
            continue
        last = max(saved, key=lambda edit: edit.version)
        have = marker_in(stored.get(project))
        acceptable = set(versions[last.version]) | {
            edit.marker for edit in sent if edit.outcome == UNKNOWN and edit.version > last.version
        }
        if have in acceptable:
            continue
        answered_no = {edit.marker for edit in sent if edit.outcome in (CONFLICT, REFUSED)}
        why = "an edit answered 409 or refused was written" if have in answered_no else "lost"
        problems.append(
            f"project {project}: last saved edit {last.marker} (from version {last.version}) "
            f"is not stored; the project holds {have or 'no marker'} ({why})"
        )
    return problems


# --------------------------------------------------------------------------------------------
# Figures and targets


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..100) of the values; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Figures:
    requests: int = 0
    errors: int = 0
    server_errors: int = 0
    times: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return percentile(self.times, 50)

    @property
    def p95(self) -> float:
        return percentile(self.times, 95)


def category_of(name: str) -> str:
    return ENDPOINTS.get(name, PAGE)


def endpoint_order(item: tuple[str, object]) -> tuple[int, str]:
    """Sort key of (endpoint name, figures): by category, then by name."""
    category = category_of(item[0])
    rank = CATEGORY_ORDER.index(category) if category in CATEGORY_ORDER else len(CATEGORY_ORDER)
    return rank, item[0]


def summarise(samples: Iterable[tuple]) -> tuple[dict[str, Figures], dict[str, Figures]]:
    """Samples (name, milliseconds, status, error text, started at) → figures per endpoint and
    per category."""
    endpoints: dict[str, Figures] = defaultdict(Figures)
    categories: dict[str, Figures] = defaultdict(Figures)
    for name, milliseconds, status, error, *_started in samples:
        for figures in (endpoints[name], categories[category_of(name)]):
            figures.requests += 1
            figures.times.append(float(milliseconds))
            figures.errors += bool(error)
            figures.server_errors += int(status or 0) >= 500
    return dict(endpoints), dict(categories)


def started_between(samples: Iterable[list], begin: float | None, end: float | None) -> list:
    """The samples of requests started in [begin, end] (none when either is unknown)."""
    if begin is None or end is None:
        return []
    return [sample for sample in samples if len(sample) > 4 and begin <= sample[4] <= end]


def evaluate_targets(categories: dict[str, Figures], import_state: str) -> list[tuple[str, bool]]:
    """(description, met) for each target: no errors, p95 ceilings, the import finished."""
    results = []
    errors = sum(figures.errors for figures in categories.values())
    results.append((f"0 errors (got {errors})", errors == 0))
    for category, ceiling in TARGETS_MS.items():
        figures = categories.get(category)
        if figures is None or not figures.requests:
            results.append((f"{category} p95 ≤ {ceiling} ms (no requests)", False))
            continue
        p95 = figures.p95
        results.append((f"{category} p95 ≤ {ceiling} ms (got {p95:.0f} ms)", p95 <= ceiling))
    if import_state != "skipped":
        results.append(
            (f"the import finishes (it ended {import_state})", import_state == "imported")
        )
    return results

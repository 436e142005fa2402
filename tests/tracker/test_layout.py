"""The layout rules of the code base, checked on its source (issue 9):

* ``tracker/`` is the site's own layer: it imports nothing from the apps, except the home view
  (``tracker/views.py``), the URL root (``tracker/urls.py``) and the development data
  (``tracker/devdata/``), which fills every app's models;
* no Python module imports from a template-tag module: formatting lives in
  ``tracker.formatting`` and the tags only wrap it;
* every setting the code reads is declared in ``tracker/settings.py``: no
  ``getattr(settings, "NAME", default)`` hides a default where nobody looks for it;
* no module is over 500 lines, migrations, tests and the demo data set excepted: a module that
  long holds several concepts and is split (as the report queries and the project query sets
  were);
* the domain apps stay the domain: reports and imports are apps of their own, nested in
  ``projects/``, and the demo and bulk data live in ``tracker/devdata/``.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("platforms", "projects")
TRACKER_MAY_IMPORT_APPS = {"tracker/views.py", "tracker/urls.py"}


def python_files(*folders: str):
    """The project's own modules (not the virtualenv's), tests left out."""
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def imported_modules(tree: ast.AST, module: str) -> set[str]:
    """Every module a file imports, relative imports resolved against its own ``module``."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.rsplit(".", node.level)[0]
                base = f"{package}.{base}" if base else package
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def module_name(path: str) -> str:
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def test_tracker_imports_nothing_from_the_apps_but_its_home_view_urls_and_devdata():
    offenders = []
    for path, tree in python_files("tracker"):
        if path in TRACKER_MAY_IMPORT_APPS or path.startswith("tracker/devdata/"):
            continue
        for name in imported_modules(tree, module_name(path)):
            if name.split(".")[0] in APPS:
                offenders.append(f"{path}: {name}")
    assert offenders == []


def test_no_module_imports_from_a_template_tag_module():
    offenders = [
        f"{path}: {name}"
        for path, tree in python_files("tracker", *APPS, "benchmarks")
        if "/templatetags/" not in path
        for name in imported_modules(tree, module_name(path))
        if ".templatetags." in f".{name}."
    ]
    assert offenders == []


def test_every_setting_the_code_reads_is_declared_in_the_settings_module():
    offenders = []
    for path, tree in python_files("tracker", *APPS, "benchmarks"):
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "getattr"
                and len(node.args) == 3
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "settings"
            ):
                offenders.append(f"{path}:{node.lineno}")
    assert offenders == []


def test_the_settings_read_with_a_default_before_are_declared():
    assert settings.REPORTS_CACHE_SECONDS == 600
    assert Path(settings.MEDIA_ROOT).name == "media"


MAX_MODULE_LINES = 500
# Demo data is a listing of the published cases, not code to split.
LONG_MODULES_ALLOWED = {"tracker/devdata/demo.py", "tracker/devdata/demo_data.py"}


def test_no_module_is_over_500_lines_outside_migrations_tests_and_demo_data():
    too_long = {}
    for folder in ("tracker", *APPS, "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if "/migrations/" in name or name in LONG_MODULES_ALLOWED:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_MODULE_LINES:
                too_long[name] = lines
    assert too_long == {}


def test_reports_and_imports_are_apps_nested_in_projects_and_devdata_lives_in_tracker():
    from django.apps import apps

    assert apps.get_app_config("reports").name == "projects.reports"
    assert apps.get_app_config("imports").name == "projects.imports"
    assert apps.get_app_config("devdata").name == "tracker.devdata"
    leftovers = ["projects/demo.py", "projects/bulk.py", "projects/importing", "projects/views"]
    assert [name for name in leftovers if (ROOT / name).exists()] == []

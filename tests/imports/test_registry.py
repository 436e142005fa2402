"""The sheet registry: the domain apps describe their sheets, the import engine names no model.

The order of the sheets (processing, template, export) follows from what each sheet's
columns name, whatever order the apps registered them in; a registration that cannot work
(a circle, a lookup nobody registered, a sheet twice) stops the site at start-up.
"""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from platforms.choices import PlatformStatus
from platforms.models import Platform, RecognitionList, Zone
from projects.imports.columns import REF, column
from projects.imports.registry import Lookup, Registry, Sheet, registry
from projects.models import Enterprise, Financing, Project, YieldRun

IMPORTS_APP = Path(__file__).resolve().parents[2] / "projects" / "imports"


def sheet(kind, *targets, model=Zone, after=()):
    """A sheet whose only columns name records of ``targets`` (besides its own key)."""
    columns = [column("name", "name", "名称", key=True)]
    columns += [column(target, target, target, REF, target=target) for target in targets]
    return Sheet(
        kind=kind,
        model=model,
        columns=tuple(columns),
        handler=object,
        export=lambda _sheet, _scope: [],
        after=after,
    )


def lookup(name):
    return Lookup(name, Zone, "name", unknown="Unknown %(key)s")


def registry_of(*sheets, lookups=()):
    fresh = Registry()
    for name in lookups:
        fresh.register_lookup(lookup(name))
    for each in sheets:
        fresh.register_sheet(each)
    return fresh


def test_the_site_registers_five_sheets_in_the_order_their_references_need():
    assert registry.kinds() == ("platforms", "enterprises", "projects", "yield_runs", "financing")


@pytest.mark.parametrize(
    ("kind", "model", "references"),
    [
        ("platforms", Platform, {"zone": "zones"}),
        ("enterprises", Enterprise, {}),
        ("projects", Project, {"platform": "platforms", "enterprise": "enterprises"}),
        ("yield_runs", YieldRun, {"project": "projects"}),
        ("financing", Financing, {"project": "projects"}),
    ],
)
def test_each_app_registers_the_sheets_of_its_own_models(kind, model, references):
    assert registry.sheet(kind).model is model
    assert registry.sheet(kind).references == references


def test_the_platforms_app_registers_the_reference_data_it_owns():
    assert {name: found.model for name, found in registry.lookups.items()} == {
        "zones": Zone,
        "platforms": Platform,
        "recognition_lists": RecognitionList,
        "enterprises": Enterprise,
        "projects": Project,
    }
    assert registry.sheet("platforms").reference_lists == {"recognition_lists": "recognition_lists"}


def test_chinese_sheet_names_and_choice_labels_come_from_the_registrations():
    assert registry.kind_for_sheet("良率记录") == "yield_runs"
    assert registry.kind_for_sheet("中试平台") == "platforms"
    assert registry.kind_for_sheet("others") is None
    assert registry.chinese_label(PlatformStatus, "revoked") == "撤销"


def test_a_sheet_comes_after_the_sheets_it_names_whatever_the_registration_order():
    ordered = registry_of(
        sheet("runs", "projects"),
        sheet("projects", "platforms", "clients"),
        sheet("clients"),
        sheet("platforms", "zones"),
        lookups=["zones", "platforms", "clients", "projects"],
    )
    # clients and platforms do not depend on each other: they keep their registration order.
    assert ordered.kinds() == ("clients", "platforms", "projects", "runs")


def test_independent_sheets_keep_their_registration_order_and_after_moves_one():
    assert registry_of(sheet("b"), sheet("a")).kinds() == ("b", "a")
    assert registry_of(sheet("b", after=("a",)), sheet("a")).kinds() == ("a", "b")


def test_a_sheet_may_name_its_own_records():
    """A row may name another row of its sheet (a lookup of its own kind): no circle."""
    assert registry_of(sheet("parts", "parts"), lookups=["parts"]).kinds() == ("parts",)


def test_sheets_naming_each_other_in_a_circle_are_refused():
    circle = registry_of(
        sheet("a", "b"), sheet("b", "c"), sheet("c", "a"), sheet("d"), lookups=["a", "b", "c"]
    )
    with pytest.raises(ImproperlyConfigured, match="a, b, c depend on each other in a circle"):
        circle.kinds()


def test_a_sheet_naming_a_lookup_nobody_registered_is_refused():
    with pytest.raises(ImproperlyConfigured, match="names an unknown lookup zones"):
        registry_of(sheet("platforms", "zones")).kinds()


def test_a_sheet_after_an_unknown_sheet_is_refused():
    with pytest.raises(ImproperlyConfigured, match="comes after an unknown nothing"):
        registry_of(sheet("a", after=("nothing",))).kinds()


def test_a_sheet_or_lookup_registered_twice_is_refused():
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        registry_of(sheet("a"), sheet("a"))
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        registry_of(lookups=["zones", "zones"])


def test_chinese_labels_of_a_choice_that_does_not_exist_are_refused():
    with pytest.raises(ImproperlyConfigured, match="PlatformStatus has no choice"):
        Registry().register_choice_labels(PlatformStatus, {"dormant": "休眠"})


def test_a_reference_column_must_name_its_lookup():
    with pytest.raises(ValueError, match="a target is given for REF and REFS only"):
        column("zone", "zone", "高新区", REF)


def domain_imports(path: Path) -> list[str]:
    """Modules of the domain apps (platforms, projects outside the imports app) a file imports."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found += [
            name
            for name in names
            if name.split(".")[0] in ("platforms", "projects")
            and not name.startswith("projects.imports")
        ]
    return found


def test_the_import_machinery_names_no_model_of_the_domain_apps():
    """Everything a sheet is comes from its registration; the one way out of the app is the
    access module's two general questions (may this user import, is the user unrestricted)."""
    modules = sorted(IMPORTS_APP.rglob("*.py"))
    assert len(modules) > 20
    reached = {
        str(path.relative_to(IMPORTS_APP)): domain_imports(path)
        for path in modules
        if "migrations" not in path.parts
    }
    # The command line reports and exports as an administrator, like the rollup command.
    allowed = {
        "permissions.py": ["platforms.access"],
        "management/commands/export_data.py": ["projects.reports.scope"],
    }
    assert {name: found for name, found in reached.items() if found} == allowed

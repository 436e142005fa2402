"""The sheets an import reads and an export writes, registered by the apps that own the records.

As in InvenTree's importer, the engine knows how to read, check and write a sheet of rows, and
each domain app says what its sheets are, in its ``sheets`` module (imported by
``ImportsConfig.ready()``), so that nothing in this app names another app's model:

* ``register_sheet(Sheet(...))``: a kind of rows (``projects``): the model a row becomes, its
  columns (the key columns are its natural key), the handler with its row rules
  (``handlers.SheetHandler``), other names its tab may have, the template's example row and
  the rows of an export;
* ``register_lookup(Lookup(...))``: records a cell may name by their natural key (a zone by its
  name, a project by its code), and what a row naming a missing one is told. A sheet whose kind
  is also a lookup's name creates records that later sheets of the same file may name;
* ``register_choice_labels(Choices, {...})``: the Chinese label of each choice, accepted in a
  cell and written in a Chinese template whatever the translation catalogue says.

Sheets are processed, and appear in templates and exports, in dependency order: a sheet comes
after every sheet whose records its columns name and after those it lists in ``after``; sheets
that do not depend on each other keep the order they were registered in (INSTALLED_APPS order,
then their order in the module).
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from .columns import REF, REFS, Column, normalize_header


@dataclass(frozen=True)
class ExportScope:
    """What an export covers: what ``user`` may see (confidential text masked for them), of one
    zone (by name) if ``zone`` is given. The command line exports as an administrator."""

    user: object
    zone: str | None = None


@dataclass(frozen=True, eq=False)
class Sheet:
    """One kind of rows, as the app owning its model registers it.

    ``export(sheet, scope)`` gives the rows of an export, one value per column in column
    order, streamed (``exporting.column_rows``).
    """

    kind: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    handler: type
    export: Callable[["Sheet", ExportScope], Iterable[Sequence]]
    aliases: tuple[str, ...] = ()
    example: Mapping[str, object] = field(default_factory=dict)
    after: tuple[str, ...] = ()

    @cached_property
    def by_field(self) -> dict[str, Column]:
        return {column.field: column for column in self.columns}

    @cached_property
    def key_fields(self) -> tuple[str, ...]:
        return tuple(column.field for column in self.columns if column.key)

    @cached_property
    def references(self) -> dict[str, str]:
        """Foreign key field → the lookup whose natural key its cells hold."""
        return {c.field: c.target for c in self.columns if c.value_type == REF}

    @cached_property
    def reference_lists(self) -> dict[str, str]:
        """Field of a list of names → the lookup of those names (a platform's recognitions)."""
        return {c.field: c.target for c in self.columns if c.value_type == REFS}

    @property
    def names(self) -> tuple[str, ...]:
        """What its tab (or a CSV file) may be called: the kind, then the aliases."""
        return (self.kind, *self.aliases)


def find_by_key(lookup: "Lookup", run, keys: list) -> Iterable[tuple]:
    """The records of ``keys`` that exist, as (key, pk, None): one query."""
    found = lookup.model.objects.filter(**{f"{lookup.key_field}__in": keys})
    return ((key, pk, None) for key, pk in found.values_list(lookup.key_field, "pk"))


@dataclass(frozen=True)
class Lookup:
    """Records a cell may name by their natural key.

    ``unknown`` is what a row naming a missing one is told (``%(key)s`` is the key); a
    restricted user (not an administrator) is told ``hidden`` instead when it is given, whose
    words must also cover a record that exists but is not theirs, so that guessing keys reveals
    nothing. ``find(lookup, run, keys)`` gives (key, pk, info) of the records the run's user may
    name; by default every record with one of the keys, and no info.
    """

    name: str
    model: type[models.Model]
    key_field: str
    unknown: str
    hidden: str | None = None
    find: Callable[["Lookup", object, list], Iterable[tuple]] = find_by_key

    def existing(self, run, keys: list) -> Iterable[tuple]:
        return self.find(self, run, keys)

    def exists(self, key) -> bool:
        return self.model.objects.filter(**{self.key_field: key}).exists()

    def unknown_message(self, key, *, restricted: bool) -> str:
        message = self.hidden if restricted and self.hidden else self.unknown
        return str(message) % {"key": key}


class Registry:
    """Every registered sheet, lookup and set of Chinese choice labels."""

    def __init__(self):
        self._sheets: dict[str, Sheet] = {}
        self.lookups: dict[str, Lookup] = {}
        self.choice_labels: dict[type, dict[str, str]] = {}
        self._order: tuple[str, ...] | None = None

    def register_sheet(self, sheet: Sheet) -> Sheet:
        if sheet.kind in self._sheets:
            raise ImproperlyConfigured(f"The sheet {sheet.kind} is registered twice.")
        self._sheets[sheet.kind] = sheet
        self._order = None
        return sheet

    def register_lookup(self, lookup: Lookup) -> Lookup:
        if lookup.name in self.lookups:
            raise ImproperlyConfigured(f"The lookup {lookup.name} is registered twice.")
        self.lookups[lookup.name] = lookup
        self._order = None
        return lookup

    def register_choice_labels(self, choices, labels: Mapping[str, str]) -> None:
        unknown = set(labels) - set(choices.values)
        if unknown:
            raise ImproperlyConfigured(f"{choices.__name__} has no choice {sorted(unknown)}.")
        self.choice_labels[choices] = dict(labels)

    # --- what the engine asks --------------------------------------------------------------
    def kinds(self) -> tuple[str, ...]:
        """Every kind of sheet, in processing order."""
        if self._order is None:
            self._order = self._ordered()
        return self._order

    def sheets(self) -> list[Sheet]:
        return [self._sheets[kind] for kind in self.kinds()]

    def sheet(self, kind: str) -> Sheet:
        return self._sheets[kind]

    def lookup(self, name: str) -> Lookup:
        return self.lookups[name]

    def kind_for_sheet(self, name: str) -> str | None:
        """The kind a tab or CSV file of this name holds (English or Chinese), if any."""
        wanted = normalize_header(name)
        for sheet in self.sheets():
            if wanted in {normalize_header(alias) for alias in sheet.names}:
                return sheet.kind
        return None

    def chinese_label(self, choices, value) -> str:
        return self.choice_labels.get(choices, {}).get(value, value)

    def _ordered(self) -> tuple[str, ...]:
        """Registration order, each sheet moved after the sheets it depends on."""
        depends = {kind: self._dependencies(sheet) for kind, sheet in self._sheets.items()}
        order: list[str] = []
        pending = list(self._sheets)
        while pending:
            ready = next((kind for kind in pending if depends[kind] <= set(order)), None)
            if ready is None:
                raise ImproperlyConfigured(
                    f"The sheets {', '.join(pending)} depend on each other in a circle."
                )
            order.append(ready)
            pending.remove(ready)
        return tuple(order)

    def _dependencies(self, sheet: Sheet) -> set[str]:
        targets = {*sheet.references.values(), *sheet.reference_lists.values()}
        for target in targets - set(self.lookups):
            raise ImproperlyConfigured(f"The sheet {sheet.kind} names an unknown lookup {target}.")
        for kind in set(sheet.after) - set(self._sheets):
            raise ImproperlyConfigured(f"The sheet {sheet.kind} comes after an unknown {kind}.")
        return ((targets & set(self._sheets)) | set(sheet.after)) - {sheet.kind}


registry = Registry()
register_sheet = registry.register_sheet
register_lookup = registry.register_lookup
register_choice_labels = registry.register_choice_labels

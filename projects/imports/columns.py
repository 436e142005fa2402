"""The columns of a sheet: the field each fills, its headers in English and Chinese, its type.

Headers are accepted in English (the model field name, e.g. ``service_revenue``) or in Chinese
(e.g. ``中试服务收入（元）``). The Chinese names are spelled out by the app that registers the
sheet rather than taken from the translation catalogue, because the catalogue is produced later
and may reword a label; a header that worked in last year's spreadsheet must keep working. The
same goes for the Chinese labels of choices ("设计验证测试" for DVT, ``registry``).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

# Value types a column can hold; each has one parser in ``parsers.py``. REF is the natural key
# of one record (a platform's name, a project's code), REFS a list of them in one cell.
TEXT, CHOICE, DATE, AMOUNT, INT, BOOL, REF, REFS = (
    "text",
    "choice",
    "date",
    "amount",
    "int",
    "bool",
    "ref",
    "refs",
)


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    ``field`` is the model field it fills (for references, the foreign key), ``names`` the
    headers it may have: ``[English, Chinese]`` (more aliases may follow). ``target`` is the
    lookup a REF or REFS column names records of (``registry.Lookup``); ``parse`` reads a text
    or REF cell instead of ``parsers.parse_text`` (codes are normalised as they are typed).
    """

    field: str
    names: tuple[str, ...]
    value_type: str = TEXT
    required: bool = False
    key: bool = False
    choices: type[models.TextChoices] | None = None
    help: str = ""
    target: str = ""
    parse: Callable[[object], str] | None = None

    def __post_init__(self):
        if (self.value_type in (REF, REFS)) != bool(self.target):
            raise ValueError(f"Column {self.field}: a target is given for REF and REFS only.")

    @property
    def english(self) -> str:
        return self.names[0]

    @property
    def chinese(self) -> str:
        return self.names[1]


def column(field_name, english, chinese, type_=TEXT, *, aliases=(), **kwargs) -> Column:
    """A column called ``english`` or ``chinese`` in a header row; ``aliases`` are its former
    headers, still read so that last year's files import (templates and exports use
    ``chinese``)."""
    names = (english, chinese, *aliases)
    return Column(field=field_name, names=names, value_type=type_, **kwargs)


def normalize_header(text) -> str:
    """Headers compare case-insensitively, ignoring surrounding spaces and full-width brackets."""
    text = "" if text is None else str(text)
    return text.strip().replace("（", "(").replace("）", ")").replace(" ", "").casefold()


def header_lookup(columns) -> dict[str, Column]:
    return {normalize_header(name): column for column in columns for name in column.names}


def header_for(column: Column, language: str) -> str:
    """The header a template or export uses for the given language."""
    return column.chinese if language.startswith("zh") else column.english

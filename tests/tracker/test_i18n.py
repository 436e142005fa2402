"""The UI is Chinese by default, English on request, and the catalogue has no gaps."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def untranslated(catalogue: polib.POFile) -> list[str]:
    """The msgids of entries without a translation: an empty msgstr, or an empty form of a
    plural entry. polib reads the PO format itself, so a msgid wrapped over several lines
    (``msgid ""`` then the text) is checked like a one-line one."""
    return [
        entry.msgid
        for entry in catalogue
        if not entry.obsolete
        and (not all(entry.msgstr_plural.values()) if entry.msgid_plural else not entry.msgstr)
    ]


def test_every_message_of_the_catalogue_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(CATALOGUE))
    assert len(catalogue) > 500
    assert untranslated(catalogue) == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


@pytest.mark.parametrize(
    ("entry", "missing"),
    [
        # Wrapped msgid, empty msgstr: the line regex this test once used never saw these.
        ('msgid ""\n"A long message "\n"wrapped by makemessages."\nmsgstr ""\n', True),
        ('msgid "One line"\nmsgstr ""\n', True),
        ('msgid "%(n)d run"\nmsgid_plural "%(n)d runs"\nmsgstr[0] ""\n', True),
        ('msgid ""\n"Wrapped"\n" and translated"\nmsgstr ""\n"已翻译"\n', False),
        ('msgid "%(n)d run"\nmsgid_plural "%(n)d runs"\nmsgstr[0] "%(n)d 次"\n', False),
    ],
)
def test_the_gap_check_sees_wrapped_and_plural_entries(entry, missing):
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    found = untranslated(polib.pofile(header + entry))
    assert bool(found) is missing


@pytest.mark.django_db
def test_pages_are_chinese_by_default_and_english_on_request(client, world):
    client.force_login(world["staff_a"])
    chinese = client.get(reverse("projects:project_list")).content.decode()
    assert "中试项目" in chinese
    english = client.get(
        reverse("projects:project_list"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Projects" in english and "中试项目" not in english

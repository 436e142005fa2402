"""The UI is Chinese by default, English on request, and the catalogue has no gaps."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_of_the_catalogue_is_translated_and_none_is_fuzzy():
    text = CATALOGUE.read_text(encoding="utf-8")
    entries = re.findall(r'\nmsgid "(.+)"\n(?:msgid_plural .*\n)?msgstr(?:\[0\])? "(.*)"', text)
    assert len(entries) > 500
    assert [msgid for msgid, msgstr in entries if not msgstr] == []
    assert "#, fuzzy" not in text


@pytest.mark.django_db
def test_pages_are_chinese_by_default_and_english_on_request(client, world):
    client.force_login(world["staff_a"])
    chinese = client.get(reverse("projects:project_list")).content.decode()
    assert "中试项目" in chinese
    english = client.get(
        reverse("projects:project_list"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Projects" in english and "中试项目" not in english

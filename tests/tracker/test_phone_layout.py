"""Phones (issue 12, item 7), what the server sends: every list cell carries its column's
header and its part in the phone card (tracker.css lays the cards out at 480 px or less; the
browser test measures them), and the header has a menu button. The layout itself is checked in
tests/browser/test_clerk_pages.py at 390 × 844."""

import re

import pytest
from django.urls import reverse

from platforms.tables import PlatformTable
from projects.tables import EnterpriseTable, ProjectTable
from tests import factories
from tests.workspace import english

pytestmark = pytest.mark.django_db


def first_row_cells(page: str) -> list[dict]:
    body = page.split("<tbody", 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r"<td([^>]*)>", body)
    return [dict(re.findall(r'([\w-]+)="([^"]*)"', attributes)) for attributes in cells]


def card_of(cells) -> tuple[str, list[str]]:
    """(the title's label, the labels of the other fields on the card)."""
    title = [cell["data-label"] for cell in cells if cell.get("data-card") == "title"]
    others = [cell["data-label"] for cell in cells if "data-card" not in cell]
    return title[0], others


def headers(table_class, names):
    table = table_class([])
    return [str(table.columns[name].header) for name in names]


@pytest.fixture
def staff_client(client, world):
    factories.ProjectFactory(platform=world["platform_a"])
    client.force_login(world["staff_a"])
    return english(client)


def test_a_project_row_is_a_card_of_code_title_stage_status_and_latest_yield(staff_client):
    cells = first_row_cells(staff_client.get(reverse("projects:project_list")).content.decode())
    assert all(cell.get("data-label") for cell in cells)  # every cell labelled
    title, others = card_of(cells)
    assert title == "Title"
    assert others == ["Code", "Stage", "Status", "Latest yield (%)"]
    assert others == headers(ProjectTable, ["code", "stage", "status", "yield_latest_pct"])


@pytest.mark.parametrize(
    ("url_name", "table_class"),
    [("platforms:platform_list", PlatformTable), ("projects:enterprise_list", EnterpriseTable)],
)
def test_the_other_lists_label_their_cells_and_name_their_card(staff_client, url_name, table_class):
    cells = first_row_cells(staff_client.get(reverse(url_name)).content.decode())
    title, others = card_of(cells)
    names = [name for name in table_class.card_columns if name != table_class.card_title]
    assert title == headers(table_class, [table_class.card_title])[0]
    assert others == headers(table_class, names)


def test_the_header_menu_folds_behind_a_button(staff_client):
    page = staff_client.get(reverse("home")).content.decode()
    button = re.search(r"<button[^>]*data-menu-toggle[^>]*>", page).group(0)
    assert 'aria-controls="site-menu"' in button and 'aria-expanded="false"' in button
    assert 'id="site-menu"' in page

"""The report page as a manager reads, prints and copies it, in Chromium, on the demo zone:
printed to A4 (``page.pdf()``) the headline is on page 1 and the first sections within four
pages; nothing is cut at 1,366 px; at 390 px the headline figures sit two per row and tables
scroll in their own box; the copy button copies the briefing; the dashboard runs under the CSP.

The page is opened in English: this machine may have no CJK font, and the PDF's text is read
back with pypdf."""

import io
import unicodedata

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from platforms.models import Zone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "pw-for-tests"  # the password sign_in types


@pytest.fixture
def demo_zone(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", password=DEMO_PASSWORD, stdout=io.StringIO())
    return Zone.objects.get(name="成都高新区")


def open_report(new_page, zone, *, width=1366, height=900, locale="en-US"):
    page = new_page(locale=locale)
    page.set_viewport_size({"width": width, "height": height})
    sign_in_any_language(page)
    assert page.goto(f"/reports/?zone={zone.pk}").status == 200
    return page


def sign_in_any_language(page):
    page.goto("/")
    page.locator("input[name=username]").fill("manager")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/")


def pdf_pages(page) -> list[str]:
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    # NFKC: the PDF's text comes with typographic ligatures ("ﬁ" for "fi").
    return [unicodedata.normalize("NFKC", p.extract_text() or "") for p in reader.pages]


def test_printed_report_starts_with_the_headline_and_keeps_the_first_sections_short(
    new_page, demo_zone
):
    page = open_report(new_page, demo_zone)

    pages = pdf_pages(page)

    first = pages[0]
    assert "Headline figures" in first
    assert "4,547" in first  # projects served
    assert "Data as of" in first and "Source" in first  # the title block
    assert "Briefing text" in first
    assert "Sign out" not in first and "Show" not in first  # no navigation, no form
    assert "Download" not in "".join(pages)  # no download links
    by_sector = next(n for n, text in enumerate(pages, start=1) if "By sector" in text)
    by_year = next(n for n, text in enumerate(pages, start=1) if "By start year" in text)
    assert by_sector <= 4 and by_year <= 4
    assert len(pages) <= 8


def test_printed_tables_repeat_nothing_cut_and_fit_the_page(new_page, demo_zone):
    page = open_report(new_page, demo_zone)
    page.emulate_media(media="print")

    overflow = page.evaluate(
        """() => [...document.querySelectorAll('table.report')]
            .filter(t => t.getBoundingClientRect().width > document.body.clientWidth + 1)
            .map(t => t.closest('section').id)"""
    )
    header_group = page.evaluate(
        "() => getComputedStyle(document.querySelector('table.report thead')).display"
    )

    assert overflow == []
    assert header_group == "table-header-group"


def test_nothing_is_cut_at_1366_px(new_page, demo_zone):
    page = open_report(new_page, demo_zone)

    cut = page.evaluate(
        """() => [...document.querySelectorAll('.table-scroll')]
            .filter(box => box.scrollWidth > box.clientWidth + 1)
            .map(box => box.closest('section').id)"""
    )

    assert cut == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1366
    label = page.locator("svg.chart text.chart-label").first
    assert float(label.evaluate("t => parseFloat(getComputedStyle(t).fontSize)")) >= 12
    assert label.bounding_box()["height"] >= 12


def test_at_390_px_figures_sit_two_per_row_and_tables_scroll_in_their_box(new_page, demo_zone):
    page = open_report(new_page, demo_zone, width=390, height=844)

    boxes = [page.locator(".headline-figures .figure").nth(n).bounding_box() for n in range(3)]

    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 1  # one row ...
    assert boxes[2]["y"] > boxes[0]["y"] + boxes[0]["height"] - 1  # ... of two
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    scrolling = page.evaluate(
        """() => [...document.querySelectorAll('.table-scroll')]
            .some(box => box.scrollWidth > box.clientWidth
                 && getComputedStyle(box).overflowX === 'auto')"""
    )
    assert scrolling


def test_the_copy_button_copies_the_briefing(new_page, demo_zone):
    page = open_report(new_page, demo_zone)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    page.locator("[data-copy=briefing-zh]").click()

    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith("成都高新区共有中试平台96家")
    assert copied.rstrip().endswith("日。")  # 数据截至YYYY年M月D日。
    assert page.locator("[data-copy=briefing-zh]").inner_text() == "Copied"


def test_the_managers_home_dashboard_runs_under_the_policy(new_page, demo_zone):
    page = new_page()
    sign_in_any_language(page)

    assert page.locator("#year-on-year .figure").count() == 5
    assert page.locator("#targets progress").count() == 5
    assert page.locator("#rankings ol li").count() >= 3

"""A Russian release read in a browser by an English-speaking reader, who then switches the
site to Russian: the release speaks Russian throughout, the chrome follows the switcher."""

import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from pypdf import PdfReader

from tests.i18n.releases import english_found, english_labels, russian_release

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
PAGE_TEMPLATES = ("templates/myths/release_detail.html", "templates/myths/includes/verdict.html")
PDF_TEMPLATES = ("templates/myths/pdf/release.html", "templates/myths/pdf/release.css")


def no_serious_axe_violations(page, label):
    results = Axe().run(page)
    blocking = [
        v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
    ]
    assert not blocking, f"{label}: " + "; ".join(v["id"] for v in blocking)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_russian_release_in_the_browser(live_server, browser, screenshot, width):
    release = russian_release()
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + release.get_absolute_url())
        assert page.locator("html").get_attribute("lang") == "ru"
        assert page.locator("header.masthead").get_attribute("lang") == "en"
        article = page.locator("article.release")
        assert article.get_attribute("lang") == "ru"
        content = article.inner_text().replace(page.locator("nav.breadcrumbs").inner_text(), "")
        assert english_found(content, english_labels("ru", PAGE_TEMPLATES)) == []
        assert "Миф 1" in content and "Скачать PDF" in content
        # The claim headings are quoted by the style sheet, with the marks of their language.
        quotes = page.evaluate("getComputedStyle(document.querySelector('.myth-claim')).quotes")
        assert quotes.startswith('"«" "»"'), quotes
        screenshot(page, f"{width}-1-russian-release-english-reader")
        no_serious_axe_violations(page, "Russian release")

        # The reader switches the site to Russian with the labelled switcher.
        switcher = page.get_by_label("Language")
        switcher.select_option("ru")
        page.get_by_role("button", name="Change").click()
        page.wait_for_load_state()
        assert page.url.endswith(release.get_absolute_url())
        assert page.locator("header.masthead").get_attribute("lang") == "ru"
        assert page.get_by_role("link", name="Реестр мифов").first.is_visible()
        body = page.locator("body").inner_text()
        labels = english_labels("ru", (*PAGE_TEMPLATES, "templates/base.html"))
        assert english_found(body, labels) == []
        screenshot(page, f"{width}-2-russian-release-russian-reader")
        no_serious_axe_violations(page, "Russian release, Russian chrome")

        pdf_url = page.get_by_role("link", name="Скачать PDF").get_attribute("href")
        response = page.request.get(live_server.url + pdf_url)
        assert response.status == 200
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
        assert english_found(text, english_labels("ru", PDF_TEMPLATES)) == []
        assert re.search(r"Страница 1 из \d", text)
    finally:
        context.close()

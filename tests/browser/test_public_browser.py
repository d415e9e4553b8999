"""A reader's journey through the public press room, at desktop and phone widths, with axe-core."""

import io
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from myths.models import Release, Response
from tests.factories import (
    ClaimFactory,
    FigureFactory,
    PressContactFactory,
    ReleaseFactory,
    ResponseFactory,
    SocialHandleFactory,
    SourceFactory,
    TopicFactory,
    arrange_state,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
BLOCKING = {"serious", "critical"}


def photo(width=1200, height=700, seed=0) -> ContentFile:
    """A plain landscape-like picture: sky, water, a quay."""
    image = Image.new("RGB", (width, height), (170, 196, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, height * 0.55, width, height], fill=(52, 88, 120))
    draw.rectangle([0, height * 0.72, width * 0.6, height], fill=(110, 110, 105))
    left = width * (0.1 + seed * 0.2)
    draw.rectangle([left, height * 0.3, left + width * 0.08, height * 0.72], fill=(230, 120, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return ContentFile(buffer.getvalue(), name=f"quay-{seed}.jpg")


CLAIMS = [
    (
        "The harbour water is contaminated with industrial waste",
        Response.Verdict.FALSE,
        "Independent laboratories test the harbour water **every week**. Since the monitoring "
        "programme began, no sample has exceeded the national limits for industrial pollutants.\n\n"
        "The results are published on the authority's website within ten days of each test, "
        "together with the laboratory's method and the sampling points.",
    ),
    (
        "The new locks will flood the old town",
        Response.Verdict.MISLEADING,
        "The locks were designed for a flood that occurs once in a thousand years. The old town "
        "sits two metres above the highest water level the locks can produce.\n\n"
        "Engineers from three universities reviewed the design before construction started.",
    ),
    (
        "The authority is selling the port to a foreign company",
        Response.Verdict.LACKS_CONTEXT,
        "The port remains in public ownership. A private operator runs one container terminal "
        "under a fifteen-year licence, which the authority can revoke.",
    ),
]


@pytest.fixture
def press_room():
    # The figures load through the real media view (myths.public.media.media_file): they are public.
    now = timezone.now()
    contact = PressContactFactory(
        organisation="Riverland Port Authority",
        division="Public Affairs Division",
        section="Press Office",
        email="press@port.example",
        is_default=True,
    )
    SocialHandleFactory(contact=contact, handle="@RiverlandPort")
    topic = TopicFactory(name="Water quality")
    main = ReleaseFactory(
        title="Three myths about the Riverland harbour",
        lede="Rumours about the harbour keep circulating online. Here is what the records show.",
        contact=contact,
        more_info_url="https://port.example/facts",
        more_info_label="our harbour facts page",
    )
    for position, (wording, verdict, body) in enumerate(CLAIMS, start=1):
        claim = ClaimFactory(
            wording=wording,
            claimant="An anonymous video channel",
            first_appeared_in="A widely shared video",
            first_appeared_on=(now - timedelta(days=40)).date(),
        )
        claim.topics.add(topic)
        response = ResponseFactory(
            release=main, claim=claim, position=position, verdict=verdict, body=body
        )
        if position != 3:
            FigureFactory(
                response=response,
                image=photo(seed=position),
                caption="Water samples are taken at six points along the quay.",
                credit="Riverland Port Authority",
                alt_text="A technician lowers a sampling bottle from the quay into the harbour.",
            )
        SourceFactory(
            response=response,
            title="Water quality reports 2025",
            publisher="Riverland Port Authority",
        )
    arrange_state(main, Release.Status.PUBLISHED, publish_at=now - timedelta(days=2))
    for days, title in [
        (9, "Five myths about the ferry timetable"),
        (20, "Two myths about dredging the channel"),
    ]:
        other = ReleaseFactory(
            title=title,
            contact=contact,
            lede="Claims about the port's services, answered with the facts.",
        )
        ResponseFactory(
            release=other,
            verdict=Response.Verdict.UNSUPPORTED,
            claim=ClaimFactory(wording=f"The ferry will stop running ({days})"),
        )
        arrange_state(other, Release.Status.PUBLISHED, publish_at=now - timedelta(days=days))
    return main


def check_axe(page, label):
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
    assert not blocking, f"{label}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in blocking
    )


@pytest.mark.parametrize("width", list(WIDTHS))
def test_reader_journey(live_server, press_room, browser, screenshot, width):
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + "/")
        assert page.locator("h1").inner_text() == "Setting the record straight"
        screenshot(page, f"{width}-1-home")
        check_axe(page, "home")

        # Search for a word from one claim.
        search = page.get_by_role("search").first.get_by_label("Search releases")
        search.fill("contaminated")
        search.press("Enter")
        page.wait_for_url("**/releases/?q=contaminated")
        assert page.get_by_text("1 release matches your filters").is_visible()
        screenshot(page, f"{width}-2-search")
        check_axe(page, "search results")

        # Filter by verdict (no JavaScript needed: a GET form).
        page.goto(live_server.url + "/releases/")
        page.get_by_label("Verdict").select_option("unsupported")
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url("**verdict=unsupported**")
        titles = page.locator(".card-title").all_inner_texts()
        assert titles == [
            "Five myths about the ferry timetable",
            "Two myths about dredging the channel",
        ]
        screenshot(page, f"{width}-3-filtered")

        # Junk input is a message, not an error.
        page.goto(live_server.url + "/releases/?date_from=yesterday&verdict=maybe&page=99999")
        assert page.get_by_role("alert").is_visible()
        screenshot(page, f"{width}-3b-bad-filters")

        # Open the release and follow a #myth-n anchor.
        page.goto(live_server.url + "/")
        page.get_by_role("link", name="Three myths about the Riverland harbour").first.click()
        page.wait_for_url(f"**{press_room.get_absolute_url()}")
        assert page.locator("#myth-2 h2").text_content().startswith("Myth 2")
        screenshot(page, f"{width}-4-release")
        check_axe(page, "release")
        images = page.locator("figure img")
        assert images.count() == 2
        for index in range(images.count()):  # lazy-loaded: bring each into view
            image = images.nth(index)
            image.scroll_into_view_if_needed()
            page.wait_for_function(
                "el => el.complete && el.naturalWidth > 0", arg=image.element_handle()
            )
        page.locator(".toc").get_by_role("link", name="Myth 2", exact=False).click()
        page.wait_for_url("**#myth-2")
        assert page.locator("#myth-2").is_visible()
        screenshot(page, f"{width}-5-myth-2", full_page=False)

        pdf_url = reverse("myths:release-pdf", kwargs={"slug": press_room.slug})
        link = page.get_by_role("link", name="Download PDF")
        assert link.get_attribute("href") == pdf_url
        response = page.request.get(live_server.url + pdf_url)
        assert response.ok and response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF-")

        # The register, a claim, the contacts, a 404.
        for path, name in [
            ("/myths/", "register"),
            (
                reverse("myths:claim-detail", args=[press_room.responses.first().claim.slug]),
                "claim",
            ),
            ("/contacts/", "contacts"),
            ("/releases/no-such-thing/", "404"),
        ]:
            page.goto(live_server.url + path)
            screenshot(page, f"{width}-6-{name}")
            check_axe(page, name)
    finally:
        context.close()


def test_keyboard_skip_link_and_focus(live_server, press_room, page):
    page.goto(live_server.url + press_room.get_absolute_url())
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box and box["y"] >= 0  # visible when focused
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"

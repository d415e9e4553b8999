"""Demo content for the local run command: an invented water authority answering invented rumours.

Every state is reached through myths.workflow, as an editor would reach it, so the demo is also a
smoke test of the workflow. Nothing here is loaded by migrations or in production (see load_demo).
"""

import io
import math
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from contacts.models import PressContact, PressOffice, SocialHandle

from . import workflow
from .models import Claim, Figure, Release, Response, Source, Topic
from .public_index import public_index_refresh

DEMO_PASSWORD = "pressdesk-demo"  # noqa: S105 - printed and documented; DEBUG-only command
DEMO_USERS = [
    ("admin", "Ada", "Admin", None),
    ("writer", "Wren", "Writer", "writer"),
    ("reviewer", "Rosa", "Reviewer", "reviewer"),
    ("publisher", "Pavel", "Publisher", "publisher"),
]

# Demo content written for Pressdesk: an invented water authority answering invented rumours.
TOPICS = ["Drinking water", "Infrastructure", "Prices", "Environment", "Public health"]

CLAIMS = {
    "unsafe": dict(
        wording="Riverland's tap water is unsafe to drink",
        claimant="Anonymous posts on a neighbourhood forum",
        first_appeared_in="A viral video filmed in a kitchen in East Mill",
        first_appeared_on="2026-03-02",
        topics=["Drinking water", "Public health"],
    ),
    "chemicals": dict(
        wording="The Authority secretly adds untested chemicals to the water",
        claimant="A self-styled 'water freedom' channel",
        first_appeared_in="Video channel 'Clear Truth', episode 41",
        first_appeared_on="2025-11-18",
        topics=["Drinking water", "Public health"],
    ),
    "prices": dict(
        wording="Water bills are rising to pay for executive bonuses",
        claimant="A campaign leaflet distributed in Harbourside",
        first_appeared_in="Leaflet 'Who pays for the taps?'",
        first_appeared_on="2026-01-09",
        topics=["Prices"],
    ),
    "reservoir": dict(
        wording="The new Northmoor reservoir will flood three villages",
        claimant="A petition on a campaign website",
        first_appeared_in="Online petition 'Save the Northmoor valley'",
        first_appeared_on="2026-05-20",
        topics=["Infrastructure", "Environment"],
    ),
    "leaks": dict(
        wording="Half of all treated water is lost through leaking pipes",
        claimant="A radio phone-in guest",
        first_appeared_in="Morning phone-in, Riverland FM",
        first_appeared_on="2026-02-14",
        topics=["Infrastructure"],
    ),
    "bottled": dict(
        wording="Bottled water is always cleaner than tap water",
        claimant="An advertisement for a bottled-water brand",
        first_appeared_in="Billboard campaign at Central Station",
        first_appeared_on="2025-09-01",
        topics=["Drinking water", "Environment"],
    ),
    "meters": dict(
        wording="Smart water meters record what you do at home",
        claimant="A post shared widely on social media",
        first_appeared_in="Social media post, shared about 40,000 times",
        first_appeared_on="2026-06-11",
        topics=["Prices", "Infrastructure"],
    ),
    "drought": dict(
        wording="The summer hosepipe ban was never necessary",
        claimant="A local councillor's newsletter",
        first_appeared_in="Ward newsletter, August issue",
        first_appeared_on="2025-08-30",
        topics=["Environment"],
    ),
}

RESPONSES = {
    "unsafe": """Riverland's tap water is tested more than 120,000 times a year, at the treatment works, in the reservoirs and at customers' taps. In 2025, 99.98% of those tests met every legal standard, and the few that did not were followed up within hours.

The video that started this rumour shows cloudy water that clears from the bottom of the glass upwards. That is air dissolved under pressure, not contamination: it happens most often in winter, when cold water holds more air, and it is harmless.

Our results are published every quarter, town by town, on our website. Anyone can ask us to test the water at their own tap, free of charge, by calling the number below.""",
    "chemicals": """Every substance used to treat Riverland's water is on the national list of approved products, and the amounts we use are set out in our operating licence. The list and the amounts are [public](https://riverland-water.example/treatment).

We add chlorine in small, measured doses so that water stays free of harmful bacteria on its way through the pipes, and we add orthophosphate to stop lead dissolving from old household plumbing. Neither is secret: both are named in every quarterly water-quality report.

The independent Drinking Water Inspectorate audits our treatment works every year. Its most recent report found no breach of the treatment rules.""",
    "prices": """The average household bill will rise by 4.1% next April, below the rate of inflation. The increase pays for the replacement of 160 kilometres of mains and for the first phase of the Northmoor reservoir.

Executive pay is decided by an independent remuneration committee and published in our annual report. In 2025, bonuses for the whole executive team came to less than 0.05% of the money we collect in bills, and they were paid by shareholders, not customers.

Customers who struggle to pay can join our social tariff, which cuts bills by up to half. More than 38,000 households already do.""",
    "reservoir": """No village will be flooded. The Northmoor reservoir will fill a valley with no homes in it; the nearest house is 1.2 kilometres from the planned shoreline.

The design was changed after the first public consultation in 2024 to move the dam 400 metres downstream, which keeps the village of Ashby Cross well above the highest possible water level. The maps in the planning application show the full extent of the water.

The reservoir will also create 18 kilometres of new public footpaths and a nature reserve, managed with the county wildlife trust.""",
    "leaks": """Leakage in Riverland is 14% of the water we put into supply, not half. The figure is measured by an independently audited method and reported to the regulator every year.

That is still too much, and we are reducing it: we fixed 21,000 leaks last year and our target is 10% by 2030. Customers can report a leak at any time of day, and we aim to fix visible leaks within 24 hours.""",
    "bottled": """Tap water and bottled water are held to comparable standards, but tap water is tested far more often: many times a day, compared with a few times a year for most bottling plants.

Blind taste tests we ran at the Riverland Show found that most people could not tell our tap water from leading bottled brands.

Tap water also costs about a third of a penny per litre and needs no plastic bottle.""",
    "meters": """A smart water meter records one thing: how much water passes through it, in total, every hour. It cannot tell a shower from a washing machine, and it has no camera or microphone.

The readings are used to bill customers for what they use and to find leaks on their side of the meter. They are protected by data-protection law and never sold.""",
    "drought": """Between March and July 2025, Riverland had 42% of its average rainfall, and the Upper Mill reservoir fell to its lowest level since records began.

The temporary use ban saved about 9 million litres a day, enough to keep supplies running without emergency measures until the autumn rains.""",
}

CAPTIONS = {
    "unsafe": (
        "A technician samples water at the Eastbank treatment works.",
        "Riverland Water Authority",
    ),
    "reservoir": (
        "The Northmoor valley seen from the planned dam site.",
        "J. Okafor / Riverland Water Authority",
    ),
    "leaks": (
        "Repair crews replace a section of main in Harbourside.",
        "Riverland Water Authority",
    ),
}

SOURCES = {
    "unsafe": [
        (
            "https://riverland-water.example/quality/2025",
            "Water quality results 2025",
            "Riverland Water Authority",
        )
    ],
    "chemicals": [
        (
            "https://dwi.example/reports/riverland-2025",
            "Annual audit of Riverland's treatment works",
            "Drinking Water Inspectorate",
        )
    ],
    "prices": [
        (
            "https://riverland-water.example/annual-report",
            "Annual report and accounts 2025",
            "Riverland Water Authority",
        )
    ],
    "reservoir": [
        (
            "https://planning.example/northmoor",
            "Northmoor reservoir planning application",
            "County Planning Office",
        )
    ],
    "leaks": [
        (
            "https://regulator.example/leakage-2025",
            "Leakage performance 2025",
            "Water Services Regulator",
        )
    ],
}


# title, lede, language, [(claim key, verdict)], state, extra
RELEASES = [
    (
        "Five myths about Riverland's tap water",
        "Rumours about the safety and cost of our water have spread widely this year. Here are the "
        "facts, with the figures behind them.",
        "en",
        [
            ("unsafe", "false"),
            ("chemicals", "false"),
            ("prices", "misleading"),
            ("leaks", "misleading"),
            ("bottled", "lacks_context"),
        ],
        "published",
        {
            "days_ago": 12,
            "more_info": (
                "https://riverland-water.example/facts",
                "For more information, see our Water Facts pages:",
            ),
            "valid_as_of_days_ago": 15,
            "notes_to_editors": (
                "1. Riverland Water Authority tests drinking water at more than 2,000 points "
                "across its network every year. The results of each test are published on its "
                "website within a month.\n\n"
                "2. The figures on prices and leakage in this release are those of the "
                "Authority's latest annual report.\n\n"
                "3. Photographs in this release may be reproduced with the credit shown."
            ),
        },
    ),
    (
        "The Northmoor reservoir: three myths and the facts",
        "The new reservoir will secure supplies for 400,000 people. Some claims about it are "
        "simply wrong.",
        "en",
        [("reservoir", "false"), ("leaks", "lacks_context"), ("drought", "misleading")],
        "published",
        {"days_ago": 40},
    ),
    (
        "Trois idées reçues sur l'eau du robinet",
        "L'eau du robinet de Riverland fait l'objet de rumeurs tenaces. Voici les faits.",
        "fr",
        [("unsafe", "false"), ("bottled", "lacks_context")],
        "published",
        {
            "days_ago": 10,
            "translation_of": 0,
            "notes_to_editors": (
                "1. Riverland Water Authority contrôle l'eau potable en plus de 2 000 points de "
                "son réseau chaque année ; les résultats sont publiés sur son site.\n\n"
                "2. Les photographies peuvent être reproduites avec la mention indiquée."
            ),
        },
    ),
    (
        "Smart meters: what they record and what they do not",
        "Smart meters measure water, not people. We answer the questions customers ask most.",
        "en",
        [("meters", "false")],
        "scheduled",
        {"publish_in_days": 3},
    ),
    (
        "Myths about this summer's water restrictions",
        "Why the temporary use ban was needed, and what it achieved.",
        "en",
        [("drought", "misleading")],
        "in_review",
        {},
    ),
    (
        "Do water bills pay for bonuses?",
        "Where the money from your water bill goes.",
        "en",
        [("prices", "misleading")],
        "sent_back",
        {"comment": "Please add the link to the annual report and the social tariff figures."},
    ),
    (
        "Bottled or tap? Four questions answered",
        "A first draft answering customers' questions about bottled water.",
        "en",
        [("bottled", "")],
        "draft",
        {},
    ),
    (
        "Chemicals in the water: the facts",
        "An earlier answer to the chemicals rumour, since replaced by our tap-water release.",
        "en",
        [("chemicals", "false")],
        "withdrawn",
        {"days_ago": 90, "comment": "Superseded by the tap-water release."},
    ),
]


def database_is_empty() -> bool:
    """True when there are no users, releases or contacts: the only time the demo is loaded."""
    User = get_user_model()
    return not (User.objects.exists() or Release.objects.exists() or PressContact.objects.exists())


def demo_photo(seed: int) -> ContentFile:
    """A landscape drawn with Pillow (sky, hills, water), so the demo ships no photo files."""
    width, height = 1200, 700
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)], fill=(int(120 + 80 * t), int(170 + 50 * t), int(215 + 30 * t))
        )
    for layer in range(3):
        shade = (70 + 30 * layer, 110 + 25 * layer, 80 + 15 * layer)
        points = [(0, height)]
        for x in range(0, width + 1, 20):
            y = 330 + layer * 60 + 40 * math.sin((x + seed * 97 + layer * 150) / (140 + 30 * layer))
            points.append((x, int(y)))
        points.append((width, height))
        draw.polygon(points, fill=shade)
    draw.rectangle([0, 520, width, height], fill=(40, 90, 130))
    for x in range(0, width, 60):
        draw.line(
            [(x, 540 + (x // 60) % 3 * 40), (x + 30, 540 + (x // 60) % 3 * 40)],
            fill=(200, 225, 240),
            width=3,
        )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name=f"demo-{seed}.jpg")


def _claims() -> dict[str, Claim]:
    topics = {name: Topic.objects.create(name=name) for name in TOPICS}
    claims = {}
    for key, data in CLAIMS.items():
        claim = Claim.objects.create(
            wording=data["wording"],
            claimant=data["claimant"],
            first_appeared_in=data["first_appeared_in"],
            first_appeared_on=date.fromisoformat(data["first_appeared_on"]),
        )
        claim.topics.set([topics[name] for name in data["topics"]])
        claims[key] = claim
    return claims


def _contact() -> PressContact:
    contact = PressContact.objects.create(
        organisation="Riverland Water Authority",
        division="Public Affairs Division",
        section="Press Office",
        phone="+44 20 7946 0123",
        email="press@riverland-water.example",
        website="https://riverland-water.example",
        is_default=True,
    )
    SocialHandle.objects.create(
        contact=contact, network=SocialHandle.Network.X, handle="@RiverlandWater", position=0
    )
    SocialHandle.objects.create(
        contact=contact,
        network=SocialHandle.Network.MASTODON,
        handle="@press@riverland.social",
        position=1,
    )
    return contact


OFFICE_ABOUT = (
    "Riverland Water Authority supplies drinking water to 1.2 million people and treats the "
    "wastewater of the region. It is a public body, accountable to the Riverland Assembly, and "
    "publishes the results of every water-quality test it makes."
)


def demo_logo() -> ContentFile:
    """The demo office's logo, drawn with Pillow: a navy roundel with a water drop and waves."""
    size, scale = 240, 4  # drawn four times larger, then reduced: smooth edges without aliasing
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    navy, pale = (11, 37, 69, 255), (214, 232, 245, 255)
    draw.ellipse([0, 0, big - 1, big - 1], fill=navy)
    # The drop: a circle with a point above it.
    cx, cy, r = big // 2, int(big * 0.50), int(big * 0.19)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=pale)
    draw.polygon([(cx - int(r * 0.92), cy - int(r * 0.4)), (cx, int(big * 0.14)),
                  (cx + int(r * 0.92), cy - int(r * 0.4))], fill=pale)  # fmt: skip
    # Two waves under it.
    for row, y0 in enumerate((0.76, 0.84)):
        points = [
            (x, int(big * y0 + big * 0.018 * math.sin(x / big * 4 * math.pi + row)))
            for x in range(int(big * 0.2), int(big * 0.8) + 1, 8)
        ]
        draw.line(points, fill=pale, width=int(big * 0.025), joint="curve")
    image = image.resize((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return ContentFile(buffer.getvalue(), name="riverland-water-logo.png")


def _office(contact: PressContact) -> PressOffice:
    """The default office the migrations made, as the demo's water authority: name, logo,
    boilerplate, dateline, time zone and its own reference pattern."""
    office = PressOffice.objects.default() or PressOffice(is_default=True)
    office.name = "Riverland Water Authority – Press Office"
    office.about = OFFICE_ABOUT
    office.dateline_place = "RIVERTON"
    office.time_zone = "Europe/London"
    office.reference_pattern = "RWA/{year}/{seq:03}"
    office.default_contact = contact
    office.logo.save("riverland-water-logo.png", demo_logo(), save=False)
    office.save()
    return office


# How far through the workflow each demo release goes: the transitions, in order, that reach it.
STATE_PATHS = {
    "draft": (),
    "in_review": ("submit",),
    "sent_back": ("submit", "request_changes"),
    "scheduled": ("submit", "approve", "schedule", "publish"),
    "published": ("submit", "approve", "publish"),
    "withdrawn": ("submit", "approve", "publish", "withdraw"),
}


def _users() -> dict:
    User = get_user_model()
    users = {}
    for username, first, last, role in DEMO_USERS:
        user = User.objects.create_user(
            username,
            email=f"{username}@pressdesk.example",
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            is_staff=True,
            is_superuser=role is None,
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        users[username] = user
    return users


def _response(release: Release, claim: Claim, key: str, position: int, verdict: str, photo: int):
    """One answer of a demo release, with its photo and sources where the demo has them."""
    response = Response.objects.create(
        release=release, claim=claim, position=position, verdict=verdict, body=RESPONSES[key]
    )
    if key in CAPTIONS:
        caption, credit = CAPTIONS[key]
        Figure.objects.create(
            response=response,
            image=demo_photo(photo),
            caption=caption,
            credit=credit,
            alt_text=caption.rstrip("."),
        )
    Source.objects.bulk_create(
        Source(response=response, url=url, title=title, publisher=publisher, position=number)
        for number, (url, title, publisher) in enumerate(SOURCES.get(key, []))
    )


def _walk(release: Release, state: str, extra: dict, users: dict, now) -> None:
    """Take a saved draft along STATE_PATHS[state], each step through the workflow."""
    writer, reviewer, publisher = users["writer"], users["reviewer"], users["publisher"]
    for step in STATE_PATHS[state]:
        if step == "submit":
            workflow.release_submit(release=release, actor=writer)
        elif step == "request_changes":
            workflow.release_request_changes(
                release=release, actor=reviewer, comment=extra["comment"]
            )
        elif step == "approve":
            workflow.release_approve(release=release, actor=reviewer)
        elif step == "schedule":
            release.publish_at = now + timedelta(days=extra["publish_in_days"])
            release.save(update_fields=["publish_at"])
        elif step == "publish":
            workflow.release_publish(release=release, actor=publisher)
            _back_date(release, extra, now)
        elif step == "withdraw":
            release.refresh_from_db()
            workflow.release_withdraw(release=release, actor=publisher, comment=extra["comment"])


def _back_date(release: Release, extra: dict, now) -> None:
    if "days_ago" in extra:
        # Move the demo's history back so the site shows one, not eight releases from today:
        # as if each had been published then (not a back-dating, which the log would record).
        then = now - timedelta(days=extra["days_ago"])
        Release.objects.filter(pk=release.pk).update(
            first_published_at=then,
            issued_at=then,
            issued_on=timezone.localtime(then, release.time_zone).date(),
        )
        public_index_refresh(release=release)  # the public date the lists sort by


@transaction.atomic
def load_demo():
    """Create the demo users, contact, claims and releases; returns the users.

    Every release reaches its state through the workflow (STATE_PATHS), as an office's would.
    """
    users = _users()
    writer = users["writer"]
    contact = _contact()
    office = _office(contact)
    claims = _claims()
    made = []
    now = timezone.now()
    for index, (title, lede, language, answers, state, extra) in enumerate(RELEASES):
        more_info_url, more_info_label = extra.get("more_info", ("", ""))
        release = Release.objects.create(
            title=title,
            lede=lede,
            language=language,
            contact=contact,
            created_by=writer,
            updated_by=writer,
            translation_of=made[extra["translation_of"]] if "translation_of" in extra else None,
            more_info_url=more_info_url,
            more_info_label=more_info_label,
            office=office,
            notes_to_editors=extra.get("notes_to_editors", ""),
            valid_as_of=(
                (now - timedelta(days=extra["valid_as_of_days_ago"])).date()
                if "valid_as_of_days_ago" in extra
                else None
            ),
        )
        for position, (key, verdict) in enumerate(answers, start=1):
            _response(release, claims[key], key, position, verdict, index * 10 + position)
        workflow.release_edit_saved(release=release, actor=writer)
        made.append(release)
        _walk(release, state, extra, users, now)
    return list(users.values())

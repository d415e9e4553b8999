"""Demo content for the local run command: our own invented office, claims and releases."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from contacts.models import PressContact, SocialHandle

from .models import Claim, Release

DEMO_PASSWORD = "pressdesk-demo"  # noqa: S105 - printed and documented; DEBUG-only command
DEMO_USERS = [
    ("admin", "Ada", "Admin", None),
    ("writer", "Wren", "Writer", "writer"),
    ("reviewer", "Rosa", "Reviewer", "reviewer"),
    ("publisher", "Pavel", "Publisher", "publisher"),
]


def database_is_empty() -> bool:
    User = get_user_model()
    return not (User.objects.exists() or Release.objects.exists() or PressContact.objects.exists())


@transaction.atomic
def load_demo():
    User = get_user_model()
    users = []
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
        users.append(user)
    contact = PressContact.objects.create(
        organisation="Riverland Water Authority",
        division="Public Affairs Division",
        section="Press Office",
        phone="+44 20 7946 0123",
        email="press@riverland-water.example",
        website="https://riverland-water.example",
        is_default=True,
    )
    SocialHandle.objects.create(contact=contact, handle="@RiverlandWater")
    Claim.objects.get_or_create(wording="Tap water in Riverland is unsafe to drink")
    return users

"""Claims typed or picked inside the release form (ResponseInlineForm in the admin)."""

import pytest
from django.urls import reverse

from myths.models import Claim, Release, Response
from tests.factories import ClaimFactory, PressContactFactory

pytestmark = pytest.mark.django_db


def add_release(client, *rows, title="Myths about the ferry"):
    contact = PressContactFactory()
    data = {
        "title": title,
        "slug": "",
        "lede": "The ferry keeps running.",
        "language": "en",
        "translation_of": "",
        "contact": contact.pk,
        "more_info_url": "",
        "more_info_label": "",
        "version_marker": "",
        "base_revision": "",
        "responses-TOTAL_FORMS": len(rows),
        "responses-INITIAL_FORMS": 0,
        "responses-MIN_NUM_FORMS": 0,
        "responses-MAX_NUM_FORMS": 1000,
        "_save": "Save",
    }
    for i, row in enumerate(rows):
        data.update(
            {
                f"responses-{i}-position": i + 1,
                f"responses-{i}-claim": row.get("claim", ""),
                f"responses-{i}-new_claim": row.get("new_claim", ""),
                f"responses-{i}-verdict": "false",
                f"responses-{i}-body": "The ferry runs **every hour**.",
            }
        )
    return client.post(reverse("admin:myths_release_add"), data)


def test_typed_claims_are_created_and_answered(writer_client):
    response = add_release(
        writer_client, {"new_claim": "The ferry is being sold"}, {"new_claim": "Fares will triple"}
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    release = Release.objects.get()
    assert [r.claim.wording for r in release.responses.order_by("position")] == [
        "The ferry is being sold",
        "Fares will triple",
    ]
    assert release.revisions.count() == 1  # the save was recorded as the first revision


def test_a_typed_claim_matching_an_existing_one_reuses_it(writer_client):
    existing = ClaimFactory(wording="The ferry is being sold")
    add_release(writer_client, {"new_claim": "  the FERRY is being   sold "})
    assert Claim.objects.count() == 1
    assert Response.objects.get().claim == existing


def test_picking_an_existing_claim_still_works(writer_client):
    existing = ClaimFactory()
    assert add_release(writer_client, {"claim": existing.pk}).status_code == 302
    assert Response.objects.get().claim == existing


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({}, "Choose the claim this response answers"),
        ({"new_claim": "Both at once", "claim": "PICK"}, "not both"),
    ],
)
def test_missing_or_double_claim_is_a_clear_error_and_nothing_is_saved(writer_client, row, message):
    if row.get("claim") == "PICK":
        row["claim"] = ClaimFactory().pk
    before = Claim.objects.count()
    response = add_release(writer_client, row)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Release.objects.exists()
    assert Claim.objects.count() == before

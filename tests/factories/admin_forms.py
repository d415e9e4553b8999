"""What the admin's release and response forms post, built from the saved rows, and releases in
a state for admin tests: shared by the admin, fault and security tests."""

from django.urls import reverse

from .content import release_with_content
from .states import arrange_state
from .users import UserFactory


def release_in(status, **kwargs):
    # Saved by a writer nobody logs in as, so four-eyes never gets in a test's way.
    return arrange_state(
        release_with_content(), status, author=UserFactory(role="writer"), **kwargs
    )


def change_url(release):
    return reverse("admin:myths_release_change", args=[release.pk])


def form_data(release, **overrides):
    """What the change form posts, read from the form the admin renders."""
    data = {
        "title": release.title,
        "slug": release.slug,
        "lede": release.lede,
        "language": release.language,
        "translation_of": "",
        "contact": release.contact_id or "",
        "more_info_url": "",
        "more_info_label": "",
        "office": release.office_id or "",
        "dateline_place": release.dateline_place,
        "issued_on": release.issued_on.isoformat() if release.issued_on else "",
        "valid_as_of": release.valid_as_of.isoformat() if release.valid_as_of else "",
        "notes_to_editors": release.notes_to_editors,
        "publish_at_0": "",
        "publish_at_1": "",
        "expire_at_0": "",
        "expire_at_1": "",
        "version_marker": release.version,
        "base_revision": release.revisions.count(),
        "responses-TOTAL_FORMS": 0,
        "responses-INITIAL_FORMS": 0,
        "responses-MIN_NUM_FORMS": 0,
        "responses-MAX_NUM_FORMS": 1000,
        "_save": "Save",
    }
    responses = list(release.responses.all())
    data["responses-TOTAL_FORMS"] = data["responses-INITIAL_FORMS"] = len(responses)
    for i, response in enumerate(responses):
        data.update(
            {
                f"responses-{i}-id": response.pk,
                f"responses-{i}-release": release.pk,
                f"responses-{i}-position": response.position,
                f"responses-{i}-claim": response.claim_id,
                f"responses-{i}-verdict": response.verdict,
                f"responses-{i}-body": response.body,
            }
        )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def response_url(response_obj):
    return reverse("admin:myths_response_change", args=[response_obj.pk])


def response_form_data(response_obj, **overrides):
    """What the response change form posts, its figures and sources posted back unchanged."""
    release = response_obj.release
    release.refresh_from_db()
    data = {
        "release": release.pk,
        "position": response_obj.position,
        "claim": response_obj.claim_id,
        "verdict": response_obj.verdict,
        "body": response_obj.body,
        "version_marker": release.version,
        "base_revision": release.revisions.count(),
    }
    for prefix, items in (
        ("figures", response_obj.figures.all()),
        ("sources", response_obj.sources.all()),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = len(items)
        for i, item in enumerate(items):
            data[f"{prefix}-{i}-id"] = item.pk
            data[f"{prefix}-{i}-response"] = response_obj.pk
            data[f"{prefix}-{i}-position"] = item.position
            if prefix == "figures":
                data.update(
                    {
                        f"{prefix}-{i}-caption": item.caption,
                        f"{prefix}-{i}-credit": item.credit,
                        f"{prefix}-{i}-alt_text": item.alt_text,
                    }
                )
            else:
                data.update({f"{prefix}-{i}-url": item.url, f"{prefix}-{i}-title": item.title})
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}

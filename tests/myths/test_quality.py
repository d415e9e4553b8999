"""The quality gate (myths/quality.py): each defect tried on the way to publication, refused or
warned; the change form's banner, the list's column and filter, the review e-mail, the footer."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contacts.models import PressContact
from myths import quality, workflow
from myths.models import Figure, Release, Source
from myths.revisions import revision_create
from tests.factories import (
    ClaimFactory,
    ResponseFactory,
    UserFactory,
    arrange_state,
    release_with_content,
)

pytestmark = pytest.mark.django_db
Status = Release.Status


def codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


def saved(release):
    """Record the working copy as a new revision, as the admin does after a save."""
    workflow.release_edit_saved(release=release, actor=UserFactory(role="writer"))
    release.refresh_from_db()
    return release


def approve_refused(release, code):
    """Send `release` to review, try to approve it: refused with `code`, status unchanged."""
    release = arrange_state(saved(release), Status.IN_REVIEW)
    with pytest.raises(ValidationError) as refused:
        workflow.release_approve(release=release, actor=UserFactory(role="reviewer"))
    assert code in codes(refused.value)
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW


def published_with_warning(release, code):
    """`release` can be published, and the gate still warns with `code`."""
    release = arrange_state(saved(release), Status.PUBLISHED)
    assert release.status == Status.PUBLISHED
    problems = quality.release_problems(release)
    assert code in {p.code for p in problems if not p.blocks}
    return release


def first_response(release):
    return release.responses.order_by("position").first()


def set_body(release, body):
    response = first_response(release)
    response.body = body
    response.save()


def test_a_clean_release_passes_the_gate():
    release = saved(release_with_content())
    assert quality.release_problems(release) == []
    assert arrange_state(release, Status.PUBLISHED).status == Status.PUBLISHED


@pytest.mark.parametrize("link", ["[reaffirmed](#)", "[reaffirmed]()", "[reaffirmed]( # )"])
def test_a_placeholder_link_is_refused(link):
    release = release_with_content()
    set_body(release, f"NATO {link} its commitment.")
    approve_refused(release, "placeholder_link")


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "file:///etc/passwd", "ftp://example.org/a", "data:text/html,x"]
)
def test_a_link_that_is_not_the_web_is_refused(url):
    release = release_with_content()
    set_body(release, f"See [this]({url}).")
    approve_refused(release, "unsafe_link")


def test_mail_and_phone_links_are_allowed():
    release = release_with_content()
    set_body(release, "Write to [us](mailto:press@example.org) or [call](tel:+3227079867).")
    problems = quality.release_problems(saved(release))
    assert not {"unsafe_link", "placeholder_link"} & {p.code for p in problems}


def test_a_caption_without_its_photo_is_refused():
    release = release_with_content()
    set_body(release, "The harbour is open.\n\n*Inspectors at the north quay*\n\nMore text.")
    approve_refused(release, "caption_without_figure")


def test_a_figure_without_alt_text_or_credit_is_refused():
    release = release_with_content()
    Figure.objects.filter(response__release=release).update(alt_text="", credit="")
    saved(release)
    with pytest.raises(ValidationError) as refused:
        arrange_state(release, Status.IN_REVIEW)
    assert {"no_alt_text", "no_credit"} <= codes(refused.value)


def test_a_response_without_source_warns_by_default(settings):
    assert settings.PRESSDESK_REQUIRE_SOURCES == "warn"
    release = release_with_content(sources=0)
    published_with_warning(release, "no_source")


def test_a_response_without_source_is_refused_when_sources_are_required(settings):
    settings.PRESSDESK_REQUIRE_SOURCES = "block"
    approve_refused(release_with_content(sources=0), "no_source")


def test_publishing_rechecks_the_gate(settings):
    """Approved while sources were optional, refused at publication once they are required."""
    release = arrange_state(saved(release_with_content(sources=0)), Status.APPROVED)
    settings.PRESSDESK_REQUIRE_SOURCES = "block"
    with pytest.raises(ValidationError) as refused:
        workflow.release_publish(release=release, actor=UserFactory(role="publisher"))
    assert "no_source" in codes(refused.value)
    release.refresh_from_db()
    assert release.status == Status.APPROVED


def test_sources_check_can_be_switched_off(settings):
    settings.PRESSDESK_REQUIRE_SOURCES = "off"
    release = saved(release_with_content(sources=0))
    assert "no_source" not in {p.code for p in quality.release_problems(release)}


@pytest.mark.parametrize("organisation", ["", "nato.int", "www.ministry.example.org"])
def test_an_organisation_missing_or_a_domain_is_refused(organisation):
    release = release_with_content()
    PressContact.objects.filter(pk=release.contact_id).update(organisation=organisation)
    approve_refused(release, "no_organisation")


def test_a_slug_not_from_the_title_warns():
    release = release_with_content()
    Release.objects.filter(pk=release.pk).update(slug="something-else")
    problems = quality.release_problems(saved(release))
    assert [(p.code, p.severity) for p in problems] == [("slug_not_from_title", "warn")]
    release = arrange_state(release, Status.PUBLISHED)
    assert release.status == Status.PUBLISHED
    # Once public, the address is a promise kept on purpose: no more warning.
    assert quality.release_problems(release) == []


def test_a_unique_suffix_or_a_transliterated_title_is_a_derived_slug():
    release = release_with_content(title="Пять мифов о гавани", slug="pyat-mifov-o-gavani-2")
    assert "slug_not_from_title" not in {p.code for p in quality.release_problems(saved(release))}


def test_a_contact_changed_since_publication_warns():
    release = arrange_state(saved(release_with_content()), Status.PUBLISHED)
    assert quality.release_problems(release) == []
    PressContact.objects.filter(pk=release.contact_id).update(phone="+32 2 707 0000")
    problems = quality.release_problems(release)
    assert [p.code for p in problems] == ["contact_changed"]
    assert problems[0].url.endswith("#id_contact")


def test_a_duplicate_claim_is_refused():
    release = release_with_content()
    wording = first_response(release).claim.wording
    twin = ClaimFactory(wording=wording.upper() + "!")
    ResponseFactory(release=release, claim=twin, position=9)
    Source.objects.create(response=release.responses.get(claim=twin), url="https://example.org/")
    approve_refused(release, "duplicate_claim")


def test_straight_title_quotes_with_curly_body_quotes_warn():
    release = release_with_content(title='The "safe harbour" myth')
    set_body(release, "The “safe harbour” is inspected every month.")
    published_with_warning(release, "quotes_inconsistent")


def test_each_problem_says_how_to_fix_it_and_links_to_its_field():
    release = release_with_content()
    set_body(release, "See [this](#).")
    problem = next(p for p in quality.release_problems(saved(release)) if p.blocks)
    assert problem.code == "placeholder_link" and "give it its address" in problem.message
    change = reverse("admin:myths_release_change", args=[release.pk])
    assert problem.url == f"{change}#responses-0"


@pytest.mark.postgres  # the filter reads JSON keys of the stored summary
def test_the_change_form_list_and_filter_show_the_gate(client, login):
    clean = saved(release_with_content())
    broken = release_with_content()
    set_body(broken, "See [this](#).")
    saved(broken)
    login(client, "writer")
    page = client.get(reverse("admin:myths_release_change", args=[broken.pk])).content.decode()
    assert 'id="quality-gate"' in page and 'data-code="placeholder_link"' in page
    assert "give it its address" in page
    clean_page = client.get(reverse("admin:myths_release_change", args=[clean.pk]))
    assert 'id="quality-gate"' not in clean_page.content.decode()

    changelist = reverse("admin:myths_release_changelist")
    listed = client.get(changelist).content.decode()
    assert "1 blocking problem" in listed and "warning" not in listed.split("result_list")[-1]
    blocked = client.get(changelist, {"quality": "block"}).context["cl"].result_list
    assert [r.pk for r in blocked] == [broken.pk]
    no_problems = client.get(changelist, {"quality": "clean"}).context["cl"].result_list
    assert [r.pk for r in no_problems] == [clean.pk]


def test_the_list_column_reads_the_stored_summary(client, login, django_assert_max_num_queries):
    for _n in range(3):
        saved(release_with_content())
    login(client, "writer")
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("admin:myths_release_changelist"))
    for _n in range(5):
        saved(release_with_content())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("admin:myths_release_changelist"))


@pytest.mark.postgres
def test_the_revision_stores_the_gate_summary():
    release = release_with_content(sources=0)
    revision = revision_create(release=release)
    assert revision.quality == {"block": 0, "warn": 2, "codes": ["no_source"]}


def test_the_review_email_lists_the_problems(django_capture_on_commit_callbacks, mailoutbox):
    UserFactory(role="reviewer", email="reviewer@example.org")
    release = saved(release_with_content(sources=0))
    with django_capture_on_commit_callbacks(execute=True):
        arrange_state(release, Status.IN_REVIEW)
    body = next(m.body for m in mailoutbox if "reviewer@example.org" in m.to)
    assert "The quality check found:" in body
    assert "Myth 1 names no source" in body


@pytest.mark.parametrize("required, shown", [("block", True), ("warn", False), ("off", False)])
def test_the_footer_promises_sources_only_when_they_are_required(client, settings, required, shown):
    settings.PRESSDESK_REQUIRE_SOURCES = required
    page = client.get(reverse("myths:release-list")).content.decode()
    assert ("Every response names its sources." in page) is shown

"""Issue 9, item 7: the four-eyes rule counts every author.

Approval is refused to anyone who authored any content change since the release was last
approved or published, claim fields included; a claim edit is credited to whoever made it; the
compare view shows every field that can change.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.html import strip_tags

from myths import workflow
from myths.diff import revisions_diff
from myths.models import Release
from myths.revisions import revision_create
from tests.factories import (
    FigureFactory,
    PressContactFactory,
    ReleaseFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
    arrange_state,
    release_with_content,
)
from tests.factories.images import png_bytes

pytestmark = pytest.mark.django_db
Status = Release.Status


def latest(release):
    return release.revisions.order_by("-number").first()


@pytest.mark.postgres  # compares revisions' JSON snapshots
def test_a_reviewer_who_wrote_the_release_may_not_approve_it_after_a_writers_full_stop(
    writer, reviewer
):
    release = release_with_content(lede="The reviewer wrote every word of this")
    revision_create(release=release, author=reviewer)  # the whole release is the reviewer's
    Release.objects.filter(pk=release.pk).update(lede="The reviewer wrote every word of this.")
    workflow.release_edit_saved(release=release, actor=writer)  # one full stop
    assert latest(release).author == writer
    workflow.release_submit(release=release, actor=writer)
    with pytest.raises(ValidationError) as exc:
        workflow.release_approve(release=release, actor=reviewer)
    assert exc.value.code == "self_approval"
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW
    # The dashboard applies the same rule.
    assert release not in Release.objects.awaiting_review_by(reviewer)
    other = UserFactory(role="reviewer")
    assert release in Release.objects.awaiting_review_by(other)
    workflow.release_approve(release=release, actor=other)
    assert release.status == Status.APPROVED


def claim_form(claim, **changes):
    data = {
        "wording": claim.wording,
        "slug": claim.slug,
        "topics": [t.pk for t in claim.topics.all()],
        "claimant": claim.claimant,
        "first_appeared_on": claim.first_appeared_on.isoformat() if claim.first_appeared_on else "",
        "first_appeared_in": claim.first_appeared_in,
        "first_appearance_url": claim.first_appearance_url,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "changes",
    [
        {"claimant": "A state broadcaster"},
        {"first_appeared_on": "2024-03-01"},
        {"first_appeared_in": "Evening talk show"},
        {"first_appearance_url": "https://example.org/show"},
        {"topics": "new-topic"},
    ],
)
def test_a_claim_edit_is_credited_to_its_editor(client, login, writer, changes):
    release = arrange_state(release_with_content(), Status.IN_REVIEW, author=writer)
    claim = release.responses.order_by("position").first().claim
    if changes.get("topics") == "new-topic":
        changes = {"topics": [TopicFactory(name="Defence").pk]}
    editor = login(client, "reviewer")
    url = reverse("admin:myths_claim_change", args=[claim.pk])
    assert client.post(url, claim_form(claim, **changes)).status_code == 302
    revision = latest(release)
    assert revision.author == editor  # not whoever saves the release next
    recorded = revision.content["responses"][0]
    if "topics" in changes:
        assert recorded["topics"] == [["defence", "Defence"]]
    else:
        [(field, value)] = changes.items()
        assert recorded[field] == value
    # The claim editor wrote part of the release: another reviewer must approve it.
    with pytest.raises(ValidationError) as exc:
        workflow.release_approve(release=release, actor=editor)
    assert exc.value.code == "self_approval"
    # The writer's next unchanged save does not take the change over.
    workflow.release_edit_saved(release=release, actor=writer)
    assert latest(release) == revision


def test_a_claim_edit_of_a_published_release_waits_for_review(client, login, writer):
    release = arrange_state(release_with_content(), Status.PUBLISHED, author=writer)
    live = release.live_revision
    claim = release.responses.order_by("position").first().claim
    login(client, "writer")
    url = reverse("admin:myths_claim_change", args=[claim.pk])
    assert client.post(url, claim_form(claim, claimant="Someone new")).status_code == 302
    release.refresh_from_db()
    assert release.live_revision == live
    assert release.status == Status.DRAFT


# --- The compare view shows every field that can change ----------------------------------------

EXPECTED_CHANGES = {
    "Address and language": ["Slug:", "Language:", "Translation of:"],
    "Press contact": ["Organisation:", "Section:", "E-mail:"],
    "Myth 1": [
        "Made by:",
        "First appeared on:",
        "First appeared in:",
        "First appearance link:",
        "Topics:",
        "Verdict:",
        "Figure 1:",
        "Source 1:",
    ],
}


def changed_lines(section):
    return [row.right for row in section.rows if row.tag != "equal" and row.right]


def test_compare_shows_every_field_that_can_change(client, login):
    release = release_with_content(responses=1)
    old = revision_create(release=release)
    response = release.responses.get()
    claim = response.claim
    claim.claimant = "A state broadcaster"
    claim.first_appeared_on = date(2024, 3, 1)
    claim.first_appeared_in = "Evening talk show"
    claim.first_appearance_url = "https://example.org/show"
    claim.save()
    claim.topics.add(TopicFactory(name="Energy"))
    response.verdict = "misleading"
    response.save()
    figure = response.figures.get()
    figure.delete()
    FigureFactory(response=response, caption="New caption", credit="New credit", alt_text="New alt")
    source = response.sources.get()
    source.delete()
    SourceFactory(response=response, url="https://example.org/other", title="Other report")
    original = ReleaseFactory(title="The original release")
    Release.objects.filter(pk=release.pk).update(
        slug="a-new-address",
        language="fr",
        translation_of=original,
        contact=PressContactFactory(organisation="Another Ministry"),
    )
    release.refresh_from_db()
    new = revision_create(release=release)
    sections = {section.label: section for section in revisions_diff(old, new)}
    for label, prefixes in EXPECTED_CHANGES.items():
        lines = changed_lines(sections[label])
        for prefix in prefixes:
            assert any(line.startswith(prefix) for line in lines), (label, prefix, lines)
    assert f"Translation of: #{original.pk} The original release" in changed_lines(
        sections["Address and language"]
    )
    figure_line = next(line for line in changed_lines(sections["Myth 1"]) if "Figure" in line)
    for part in ("New caption", "New credit", "New alt"):
        assert part in figure_line
    # And the page shows them, escaped.
    login(client, "reviewer")
    url = reverse("admin:myths_release_compare", args=[release.pk])
    html = client.get(f"{url}?a={old.number}&b={new.number}").content.decode()
    # Changed words are wrapped in <ins>/<del>: read the page's text, as a reviewer does.
    text = strip_tags(html)
    for needle in (
        "Made by: A state broadcaster",
        "First appeared on: 2024-03-01",
        "Topics: Energy",
    ):
        assert needle in text


def test_compare_shows_a_figure_file_change():
    release = release_with_content(responses=1)
    old = revision_create(release=release)
    figure = release.responses.get().figures.get()
    figure.image = ContentFile(png_bytes(color=(200, 10, 10)), name="other.png")
    figure.save()
    new = revision_create(release=release)
    sections = {section.label: section for section in revisions_diff(old, new)}
    assert any("other" in line for line in changed_lines(sections["Myth 1"]))


def test_an_unchanged_claim_save_records_nothing(client, login, writer):
    release = arrange_state(release_with_content(), Status.IN_REVIEW, author=writer)
    claim = release.responses.order_by("position").first().claim
    before = (release.revisions.count(), Release.objects.get(pk=release.pk).version)
    login(client, "reviewer")
    url = reverse("admin:myths_claim_change", args=[claim.pk])
    assert client.post(url, claim_form(claim)).status_code == 302
    assert (release.revisions.count(), Release.objects.get(pk=release.pk).version) == before

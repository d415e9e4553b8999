"""The compare view as a person reads it: rendered text compared word by word, unchanged claims
folded away, every field compared, a bounded number of queries, and the link in the review
e-mail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from myths import workflow
from myths.diff import rendered_paragraphs, revisions_diff, word_diff
from myths.models import Release
from tests.factories import TopicFactory, UserFactory, arrange_state, release_with_content

pytestmark = pytest.mark.django_db
Status = Release.Status


def test_word_diff_marks_words_and_escapes():
    old, new = word_diff("The dam is <b>safe</b> today.", "The dam is <b>sound</b> today.")
    assert old == "The dam is <del>&lt;b&gt;safe&lt;/b&gt;</del> today."
    assert new == "The dam is <ins>&lt;b&gt;sound&lt;/b&gt;</ins> today."
    assert word_diff("Same words.", "Same words.") == ("Same words.", "Same words.")
    assert word_diff(None, "<i>") == ("", "&lt;i&gt;")


def test_answers_are_compared_as_rendered_text_not_markdown():
    assert rendered_paragraphs("It is **not** true.\n\n- one\n- [two](https://e.org)") == [
        "It is not true.",
        "one",
        "two",
    ]


def published_then_edited(responses=2):
    writer = UserFactory(role="writer")
    release = release_with_content(responses=responses)
    release.responses.filter(position=1).update(body="The reservoir is *checked* every week.")
    release = arrange_state(release, Status.PUBLISHED, author=writer)
    response = release.responses.order_by("position").first()
    response.body = "The reservoir is **inspected** every week."
    response.save()
    claim = response.claim
    claim.claimant = "A new channel"
    claim.save()
    claim.topics.add(TopicFactory(name="Water"))
    Release.objects.filter(pk=release.pk).update(slug=f"a-new-address-{release.pk}")
    workflow.release_edit_saved(release=release, actor=writer)
    return release


def test_every_field_is_compared_and_unchanged_claims_fold():
    release = published_then_edited(responses=3)
    old, new = release.revisions.order_by("number")
    sections = {section.label: section for section in revisions_diff(old, new)}
    myth = sections["Myth 1"]
    assert myth.changed and not myth.collapsible
    changed = [row for row in myth.rows if row.tag != "equal"]
    assert any("A new channel" in row.right for row in changed)  # claimant
    assert any("Water" in row.right for row in changed)  # topics
    assert any("<ins>inspected</ins>" in row.right_html for row in changed)
    assert not any("**" in (row.right or "") for row in myth.rows)
    assert sections["Address and language"].changed  # slug
    assert sections["Myth 2"].collapsible and sections["Myth 3"].collapsible
    assert not sections["Press contact"].collapsible  # only claims fold
    assert myth.images[0] and myth.images[1]  # figures shown as pictures on both sides


def test_compare_page_highlights_words_and_folds_unchanged_claims(client):
    release = published_then_edited()
    client.force_login(UserFactory(role="reviewer"))
    url = reverse("admin:myths_release_compare", args=[release.pk]) + "?a=1&b=2"
    html = client.get(url).content.decode()
    assert "<ins>inspected</ins>" in html
    assert "<summary>Myth 2 — unchanged</summary>" in html
    assert 'class="figure-thumb"' in html
    figure = release.responses.order_by("position").first().figures.first()
    assert "/thumbnails/" in html  # the thumbnail, not the original
    assert f'alt="{figure.alt_text}"' in html and figure.caption in html


def compare_queries(client, responses):
    release = published_then_edited(responses=responses)
    client.force_login(UserFactory(role="reviewer"))
    url = reverse("admin:myths_release_compare", args=[release.pk]) + "?a=1&b=2"
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.postgres
def test_compare_queries_do_not_grow_with_claims(client):
    assert compare_queries(client, 1) == compare_queries(client, 5)


def test_review_mail_links_to_the_comparison(
    django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.PRESSDESK_SITE_URL = "https://press.example.org/"
    UserFactory(role="reviewer")
    writer = UserFactory(role="writer")
    release = arrange_state(release_with_content(), Status.PUBLISHED, author=writer)
    Release.objects.filter(pk=release.pk).update(title="A corrected title")
    workflow.release_edit_saved(release=release, actor=writer)
    release.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.release_submit(release=release, actor=writer)
    compare = reverse("admin:myths_release_compare", args=[release.pk])
    assert f"https://press.example.org{compare}?a=1&b=2" in mailoutbox[-1].body


def test_a_first_submission_has_no_comparison_link(django_capture_on_commit_callbacks, mailoutbox):
    UserFactory(role="reviewer")
    writer = UserFactory(role="writer")
    release = arrange_state(release_with_content(), Status.DRAFT, author=writer)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.release_submit(release=release, actor=writer)
    assert "compare" not in mailoutbox[-1].body


def test_a_replaced_picture_shows_as_a_change_without_its_long_stored_name():
    writer = UserFactory(role="writer")
    release = arrange_state(release_with_content(responses=1), Status.PUBLISHED, author=writer)
    figure = release.responses.get().figures.first()
    type(figure).objects.filter(pk=figure.pk).update(image="figures/2026/11/" + "b" * 32 + ".jpg")
    workflow.release_edit_saved(release=release, actor=writer)
    old, new = release.revisions.order_by("number")
    myth = {section.label: section for section in revisions_diff(old, new)}["Myth 1"]
    changed = [row for row in myth.rows if row.tag != "equal"]
    assert changed and "<ins>bbbbbbbb…</ins>" in changed[0].right_html
    assert not any("b" * 32 in (row.right or "") for row in myth.rows)

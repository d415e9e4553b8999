"""Comments on a single response: who may add and resolve them (role × action), the admin pages
that call myths.comments, the banner at the top of the change form and the revisions page."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from myths import comments, workflow
from myths.models import Release, ResponseComment
from tests.factories import UserFactory, arrange_state, release_with_content

pytestmark = pytest.mark.django_db
Status = Release.Status


@pytest.fixture
def in_review():
    return arrange_state(
        release_with_content(), Status.IN_REVIEW, author=UserFactory(role="writer")
    )


def first_response(release):
    return release.responses.order_by("position").first()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("reviewer", True), ("writer", False), ("publisher", False), ("nobody", False)],
)
def test_who_may_comment(in_review, role, allowed):
    actor = UserFactory(role=role) if role != "nobody" else UserFactory()
    response = first_response(in_review)
    if allowed:
        comment = comments.comment_create(response=response, actor=actor, text="Cite the date.")
        assert comment.author == actor and comment.claim_id == response.claim_id
        assert comment.revision_number == workflow.latest_revision(in_review).number
    else:
        with pytest.raises(PermissionDenied):
            comments.comment_create(response=response, actor=actor, text="Cite the date.")
        assert not ResponseComment.objects.exists()


def test_a_comment_belongs_to_a_review_and_has_text(in_review):
    reviewer = UserFactory(role="reviewer")
    with pytest.raises(ValidationError) as empty:
        comments.comment_create(response=first_response(in_review), actor=reviewer, text="  ")
    assert empty.value.code == "empty"
    draft = release_with_content()
    with pytest.raises(ValidationError) as wrong:
        comments.comment_create(response=first_response(draft), actor=reviewer, text="Hm.")
    assert wrong.value.code == "wrong_state"
    assert not ResponseComment.objects.exists()


@pytest.fixture
def comment(in_review):
    return comments.comment_create(
        response=first_response(in_review), actor=UserFactory(role="reviewer"), text="Date?"
    )


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("writer", True), ("reviewer", False), ("publisher", False), ("nobody", False)],
)
def test_who_may_resolve(comment, role, allowed):
    actor = UserFactory(role=role) if role != "nobody" else UserFactory()
    if allowed:
        comments.comment_resolve(comment=comment, actor=actor)
        comment.refresh_from_db()
        assert comment.resolved_by == actor and comment.resolved_at is not None
    else:
        with pytest.raises(PermissionDenied):
            comments.comment_resolve(comment=comment, actor=actor)
        comment.refresh_from_db()
        assert comment.resolved_at is None


@pytest.mark.postgres
def test_resolved_twice_is_refused_and_keeps_the_first(comment):
    first, second = UserFactory(role="writer"), UserFactory(role="writer")
    comments.comment_resolve(comment=comment, actor=first)
    stale = ResponseComment.objects.get(pk=comment.pk)
    with pytest.raises(ValidationError) as twice:
        comments.comment_resolve(comment=stale, actor=second)
    assert twice.value.code == "already_resolved"
    assert ResponseComment.objects.get(pk=comment.pk).resolved_by == first


def change_url(release):
    return reverse("admin:myths_release_change", args=[release.pk])


def test_reviewer_comments_through_the_admin_and_the_writer_resolves(client, in_review):
    response = first_response(in_review)
    reviewer = UserFactory(role="reviewer")
    client.force_login(reviewer)
    page = client.get(change_url(in_review)).content.decode()
    assert 'id="comments-myth-1"' in page and "Comment on myth 1" in page
    add = reverse("admin:myths_release_comment_add", args=[in_review.pk])
    answer = client.post(add, {"response": response.pk, "number": "1", "text": "Date <b>?</b>"})
    assert answer.status_code == 302 and answer["Location"].endswith("#comments-myth-1")
    comment = ResponseComment.objects.get()
    assert LogEntry.objects.filter(object_id=str(in_review.pk), user=reviewer).exists()

    writer = UserFactory(role="writer")
    client.force_login(writer)
    page = client.get(change_url(in_review)).content.decode()
    assert "Date &lt;b&gt;?&lt;/b&gt;" in page and "Mark resolved" in page
    assert "1 comment on a myth is still open." in page
    assert "Comment on myth 1" not in page  # writers do not comment
    resolve = reverse("admin:myths_release_comment_resolve", args=[in_review.pk, comment.pk])
    assert client.post(resolve, {"number": "1"}).status_code == 302
    comment.refresh_from_db()
    assert comment.resolved_by == writer
    again = client.post(resolve, {"number": "1"}, follow=True).content.decode()
    assert "This comment was already resolved." in again

    history = client.get(reverse("admin:myths_release_revisions", args=[in_review.pk]))
    assert "Date &lt;b&gt;?&lt;/b&gt;" in history.content.decode()
    assert "resolved by" in history.content.decode()


def test_the_admin_pages_refuse_the_wrong_role(client, comment):
    release = comment.release
    client.force_login(UserFactory(role="writer"))
    add = reverse("admin:myths_release_comment_add", args=[release.pk])
    response = first_response(release)
    assert client.post(add, {"response": response.pk, "text": "Mine"}).status_code == 403
    assert client.get(add).status_code == 405
    client.force_login(UserFactory(role="reviewer"))
    resolve = reverse("admin:myths_release_comment_resolve", args=[release.pk, comment.pk])
    assert client.post(resolve).status_code == 403
    assert ResponseComment.objects.get().resolved_at is None
    assert ResponseComment.objects.count() == 1


def test_the_send_back_comment_is_a_banner_at_the_top(client, in_review):
    workflow.release_transition(
        release=in_review,
        actor=UserFactory(role="reviewer"),
        transition="request_changes",
        comment="Myth 2 needs the inspection date.",
        expected_version=in_review.version,
    )
    client.force_login(UserFactory(role="writer"))
    page = client.get(change_url(in_review)).content.decode()
    banner = page.index('id="workflow-banner"')
    assert banner < page.index('id="release_form"')
    assert page.index("Myth 2 needs the inspection date.") < page.index('id="release_form"')


def test_the_banner_lists_what_still_stops_the_release(client, login):
    release = release_with_content(responses=0)
    workflow.release_edit_saved(release=release, actor=login(client, "writer"))
    page = client.get(change_url(release)).content.decode()
    assert page.index("The release answers no claim yet.") < page.index('id="release_form"')


def test_a_comment_outlives_its_response(client, comment):
    release = comment.release
    claim = comment.claim
    comment.response.delete()
    client.force_login(UserFactory(role="writer"))
    page = client.get(change_url(release)).content.decode()
    assert 'id="comments-earlier"' in page and "Date?" in page
    assert claim.wording[:40] in page


def inline_block(page, number):
    """The HTML of the response-inline block holding myth `number`'s comments."""
    start = page.index(f'id="comments-myth-{number}"')
    return page[page.rindex('class="inline-related', 0, start) : page.index("</fieldset>", start)]


def test_open_comments_sit_beside_their_claim_and_resolved_ones_fold(client, in_review):
    responses = list(in_review.responses.order_by("position"))
    reviewer = UserFactory(role="reviewer")
    comments.comment_create(response=responses[1], actor=reviewer, text="Name the inspector.")
    done = comments.comment_create(response=responses[1], actor=reviewer, text="Old remark.")
    comments.comment_resolve(comment=done, actor=UserFactory(role="writer"))
    client.force_login(UserFactory(role="writer"))
    page = client.get(change_url(in_review)).content.decode()

    beside = inline_block(page, 2)
    assert responses[1].claim.wording[:40] in beside  # the block of the claim commented on
    open_part, resolved_part = beside.split("<details", 1)
    assert "Name the inspector." in open_part and "Mark resolved" in open_part
    assert "Old remark." in resolved_part and "resolved by" in resolved_part
    # The button posts through a form outside the release form (forms cannot nest).
    resolve_form = page.index('id="pd-comment-resolve-')
    assert resolve_form < page.index('id="release_form"')
    # The panel at the top is a summary linking down to it.
    panel = page[page.index('id="response-comments"') : page.index('id="release_form"')]
    assert 'href="#comments-myth-2"' in panel and "Name the inspector." not in panel


def test_the_change_form_queries_do_not_grow_with_commented_claims(client):
    writer, reviewer = UserFactory(role="writer"), UserFactory(role="reviewer")
    counts = []
    for size in (1, 4):
        release = arrange_state(
            release_with_content(responses=size), Status.IN_REVIEW, author=writer
        )
        for response in release.responses.all():
            comments.comment_create(response=response, actor=reviewer, text="Check this.")
        client.force_login(writer)
        client.get(change_url(release))  # thumbnails and caches warm
        with CaptureQueriesContext(connection) as queries:
            page = client.get(change_url(release)).content.decode()
        assert page.count("Check this.") == size
        counts.append(len(queries))
    assert counts[0] == counts[1]

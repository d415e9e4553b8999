"""/media/: a file is served only when a revision the public can see shows it, or to staff."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from myths.models import Figure, Release, RevisionMedia
from myths.revisions import revision_create
from tests.factories import (
    FigureFactory,
    UserFactory,
    arrange_state,
    non_public_release,
    png_bytes,
    published_release,
    release_with_content,
)

pytestmark = pytest.mark.django_db


def url_of(name: str) -> str:
    return "/media/" + name


def figure_name(release) -> str:
    return Figure.objects.filter(response__release=release).first().image.name


def test_published_figure_is_public_with_safe_cache_headers(client):
    release = published_release(responses=1)
    response = client.get(url_of(figure_name(release)))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert response["ETag"] and response["Last-Modified"]
    again = client.get(url_of(figure_name(release)), headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


def test_published_image_in_a_response_body_is_public(client):
    name = default_storage.save("uploads/abc123.png", ContentFile(png_bytes()))
    release = release_with_content(responses=1, figures=0)
    response = release.responses.get()
    response.body = f"Before.\n\n![A chart](/media/{name})\n\nAfter."
    response.save()
    arrange_state(release, Release.Status.PUBLISHED)
    assert client.get(url_of(name)).status_code == 200


@pytest.mark.parametrize("state", ["draft", "in_review", "approved", "scheduled"])
def test_figure_of_unpublished_release_is_404_for_anonymous_200_for_staff(
    client, writer_client, state
):
    name = figure_name(non_public_release(state))
    client.logout()
    assert client.get(url_of(name)).status_code == 404
    writer_client.force_login(UserFactory(role="writer"))
    response = writer_client.get(url_of(name))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("state", ["withdrawn", "expired"])
def test_figure_of_a_release_no_longer_public_is_404(client, state):
    name = figure_name(non_public_release(state))
    assert RevisionMedia.objects.filter(name=name).exists()
    assert client.get(url_of(name)).status_code == 404


def test_figure_of_a_withdrawn_release_with_a_live_revision_left_is_404(client):
    # A state the workflow cannot produce (withdrawing clears live_revision), arranged on
    # purpose: the media view must go by what the public may see, not by the revision pointer.
    release = published_release(responses=1)
    name = figure_name(release)
    assert client.get(url_of(name)).status_code == 200
    Release.objects.filter(pk=release.pk).update(status=Release.Status.WITHDRAWN)
    assert client.get(url_of(name)).status_code == 404


def test_figure_added_after_publication_waits_for_the_next_published_revision(client):
    release = published_release(responses=1)
    draft_figure = FigureFactory(response=release.responses.get())
    assert client.get(url_of(draft_figure.image.name)).status_code == 404
    revision_create(release=release)  # saved, still not published
    assert client.get(url_of(draft_figure.image.name)).status_code == 404


def test_staff_without_the_view_permission_gets_404(client):
    name = figure_name(non_public_release("draft"))
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url_of(name)).status_code == 404


def test_a_file_nothing_refers_to_is_404_for_the_public(client):
    name = default_storage.save("uploads/stray.png", ContentFile(png_bytes()))
    published_release(responses=1)
    assert client.get(url_of(name)).status_code == 404
    # Staff see it: the editor previews an upload before any revision records it.
    client.force_login(UserFactory(role="writer"))
    assert client.get(url_of(name)).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/media/../settings.py",
        "/media/figures/../../secret.txt",
        "/media//etc/passwd",
        "/media/%2e%2e/secret.txt",
        "/media/./{name}",
        "/media/figures/..%2f..%2fsecret.txt",
        "/media/%00{name}",
        "/media/",
    ],
)
def test_traversal_and_absolute_paths_are_404(client, settings, path):
    release = published_release(responses=1)
    name = figure_name(release)
    # A file just outside MEDIA_ROOT, and a public file reached by a crooked path.
    (settings.MEDIA_ROOT.parent / "secret.txt").write_text("secret")
    RevisionMedia.objects.create(revision=release.live_revision, name="../secret.txt")
    response = client.get(path.format(name=name))
    assert response.status_code == 404
    assert response.get("Content-Type", "").startswith("text/html")


def test_only_get_and_head(client):
    name = figure_name(published_release(responses=1))
    assert client.head(url_of(name)).status_code == 200
    assert client.post(url_of(name)).status_code == 405


def test_anonymous_public_file_costs_one_query(client, django_assert_num_queries):
    name = figure_name(published_release(responses=1))
    with django_assert_num_queries(1):
        assert client.get(url_of(name)).status_code == 200


def test_revision_records_figures_and_own_body_images_only():
    release = release_with_content(responses=1, figures=1)
    response = release.responses.get()
    response.body = (
        "![ours](/media/uploads/a%20b.png) ![elsewhere](https://other.example/media/x.png) "
        "![site](http://127.0.0.1:8000/media/uploads/c.png)"
    )
    response.save()
    revision = revision_create(release=release)
    assert set(revision.media.values_list("name", flat=True)) == {
        figure_name(release),
        "uploads/a b.png",
        "uploads/c.png",
    }

"""Issue 14, items 1-3: the whole release on one page. Figures and sources are edited in place on
the release form (forms.ResponseInlineForm.parts), also while adding; every save goes through the
version check, the edit recording, the image gate and the media-write guard; positions are closed
to 1..n on save (Release.positions_renumber); thumbnails are made once (myths/thumbnails.py);
the change form's query count does not grow with the number of claims."""

from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from myths.models import Figure, Release, Source
from myths.revisions.content import FigureContent, ReleaseContent
from myths.thumbnails import thumbnail_name, thumbnail_url
from tests.factories import (
    FigureFactory,
    PressContactFactory,
    ReleaseFactory,
    ResponseFactory,
    SourceFactory,
    UserFactory,
    image_bytes,
    release_with_content,
)
from tests.factories.states import arrange_state
from tests.faults.test_media_write import disk_full, media_files

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:myths_release_add")


def change_url(release):
    return reverse("admin:myths_release_change", args=[release.pk])


def jpeg(name="quay.jpg", color=(200, 40, 40)):
    return SimpleUploadedFile(name, image_bytes("JPEG", 90, 60, color), content_type="image/jpeg")


def posted_back(page) -> dict:
    """What the rendered release form posts when nothing is changed: every form's values, its
    inline formsets' and their nested figures' and sources' management data included."""
    data = {"_save": "Save"}

    def add(form):
        for field in form:
            value = field.value()
            if field.name == "image" or value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value

    add(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
            for part in form.parts.values():
                add(part.management_form)
                for row in part.forms:
                    add(row)
    return data


def add_data(**overrides):
    contact = PressContactFactory()
    data = {
        "title": "Two myths about the harbour",
        "slug": "",
        "lede": "The harbour stays open.",
        "language": "en",
        "contact": contact.pk,
        "version_marker": "",
        "base_revision": "",
        "responses-TOTAL_FORMS": 2,
        "responses-INITIAL_FORMS": 0,
        "_save": "Save",
    }
    for i, wording in enumerate(["The harbour is closing", "Ferries will stop"]):
        data.update(
            {
                f"responses-{i}-position": i + 1,
                f"responses-{i}-new_claim": wording,
                f"responses-{i}-verdict": "false",
                f"responses-{i}-body": "The harbour **stays open**.",
            }
        )
        for part in ("figures", "sources"):
            data[f"responses-{i}-{part}-TOTAL_FORMS"] = 0
            data[f"responses-{i}-{part}-INITIAL_FORMS"] = 0
    data.update(overrides)
    return data


def two_figures_and_two_sources(data, row=0):
    """Two new figures and two new sources for one claim, posted in the order 7, 3 (gaps)."""
    p = f"responses-{row}"
    data.update({f"{p}-figures-TOTAL_FORMS": 2, f"{p}-sources-TOTAL_FORMS": 2})
    for i, (position, caption, color) in enumerate([(7, "Quay", (200, 0, 0)), (3, "Crane", 0)]):
        data.update(
            {
                f"{p}-figures-{i}-position": position,
                f"{p}-figures-{i}-image": jpeg(f"{caption}.jpg", color or (0, 0, 200)),
                f"{p}-figures-{i}-caption": caption,
                f"{p}-figures-{i}-credit": "Harbour office",
                f"{p}-figures-{i}-alt_text": f"The {caption.lower()}",
            }
        )
    for i, (position, title) in enumerate([(9, "Timetable"), (2, "Statement")]):
        data.update(
            {
                f"{p}-sources-{i}-position": position,
                f"{p}-sources-{i}-url": f"https://example.org/{title.lower()}",
                f"{p}-sources-{i}-title": title,
            }
        )
    return data


def test_figures_and_sources_are_added_with_the_release_in_one_save(writer_client):
    page = writer_client.post(ADD_URL, two_figures_and_two_sources(add_data()))

    assert page.status_code == 302, page.context and page.context["errors"]
    release = Release.objects.get()
    first, second = release.responses.order_by("position")
    assert [(r.position, r.claim.wording) for r in (first, second)] == [
        (1, "The harbour is closing"),
        (2, "Ferries will stop"),
    ]
    # The posted order is kept and the gaps are closed: 3 before 7, 2 before 9, numbered 1..n.
    assert [(f.position, f.caption) for f in first.figures.all()] == [(1, "Crane"), (2, "Quay")]
    assert [(s.position, s.title) for s in first.sources.all()] == [
        (1, "Statement"),
        (2, "Timetable"),
    ]
    assert not second.figures.exists()
    # The saved revision holds them, in that order: it was recorded after the renumbering.
    revision = release.revisions.get()
    content = ReleaseContent.from_snapshot(revision.content)
    assert [f.caption for f in content.responses[0].figures] == ["Crane", "Quay"]
    # Stored through the image gate: a clean re-encoding under a random name.
    stored = first.figures.first().image.name
    assert stored.startswith("figures/") and "Crane" not in stored


def test_an_upload_the_image_gate_refuses_is_shown_on_its_row_and_nothing_is_saved(writer_client):
    data = two_figures_and_two_sources(add_data())
    fake = SimpleUploadedFile("evil.jpg", b"<svg onload=alert(1)>", content_type="image/jpeg")
    data["responses-0-figures-1-image"] = fake

    page = writer_client.post(ADD_URL, data)

    assert page.status_code == 200
    text = unescape(page.content.decode())
    assert "Check the figures and sources of this claim below." in text
    assert "Please correct the error below." in text
    row = page.context["inline_admin_formsets"][0].formset.forms[0].parts["figures"].forms[1]
    assert row.errors["image"][0].startswith(
        "This file is not a JPEG, PNG or WebP image"
    )  # the gate's own words
    assert not Release.objects.exists() and not Figure.objects.exists()


def test_a_stale_version_refuses_nested_changes_and_keeps_the_typed_text(writer_client):
    release = release_with_content(responses=2, figures=1, sources=1)
    page = writer_client.get(change_url(release))
    data = posted_back(page)
    data["responses-1-figures-0-caption"] = "A caption typed while someone else saved"
    Release.objects.filter(pk=release.pk).update(version=release.version + 1)
    before = (Figure.objects.get(response__position=2).caption, release.revisions.count())

    page = writer_client.post(change_url(release), data)

    assert page.status_code == 200
    text = unescape(page.content.decode())
    assert "A caption typed while someone else saved" in text
    assert "Not saved" in text
    figure = Figure.objects.get(response__position=2)
    assert (figure.caption, release.revisions.count()) == before


def test_a_nested_change_alone_is_recorded_as_an_edit_of_the_release(writer_client, reviewer):
    release = release_with_content(responses=2, figures=1, sources=1)
    arrange_state(release, Release.Status.APPROVED)
    revisions = release.revisions.count()
    data = posted_back(writer_client.get(change_url(release)))
    data["responses-0-sources-0-title"] = "The inspection reports, 2026 edition"

    page = writer_client.post(change_url(release), data)

    assert page.status_code == 302, page.context and page.context["errors"]
    release.refresh_from_db()
    assert release.status == Release.Status.DRAFT  # an edit of an approved release: review again
    assert release.revisions.count() == revisions + 1
    assert Source.objects.filter(title="The inspection reports, 2026 edition").exists()


def test_an_unchanged_save_of_the_form_writes_no_blank_rows(writer_client):
    release = release_with_content(responses=2, figures=1, sources=1)
    data = posted_back(writer_client.get(change_url(release)))
    # The page's own script numbers the blank rows; alone that is not content.
    data["responses-0-figures-1-position"] = 2

    page = writer_client.post(change_url(release), data)

    assert page.status_code == 302, page.context and page.context["errors"]
    assert (Figure.objects.count(), Source.objects.count()) == (2, 2)


def test_a_refused_media_write_undoes_the_whole_save(writer_client, settings, monkeypatch):
    before_files = media_files(settings)
    monkeypatch.setattr(FileSystemStorage, "_save", disk_full)

    page = writer_client.post(ADD_URL, two_figures_and_two_sources(add_data()))

    assert page.status_code == 200
    assert "The image could not be stored" in unescape(page.content.decode())
    assert not Release.objects.exists()
    assert media_files(settings) == before_files


def test_deleting_a_figure_on_the_release_form_closes_the_gap(writer_client):
    release = ReleaseFactory()
    response = ResponseFactory(release=release, position=1)
    first, middle, last = (FigureFactory(response=response, position=n) for n in (1, 2, 3))
    data = posted_back(writer_client.get(change_url(release)))
    data["responses-0-figures-1-DELETE"] = "on"

    page = writer_client.post(change_url(release), data)

    assert page.status_code == 302, page.context and page.context["errors"]
    assert list(response.figures.values_list("pk", "position")) == [(first.pk, 1), (last.pk, 2)]
    assert not Figure.objects.filter(pk=middle.pk).exists()


def test_positions_renumber_keeps_the_order_and_closes_gaps():
    release = ReleaseFactory()
    late = ResponseFactory(release=release, position=40)
    early = ResponseFactory(release=release, position=0)
    figures = [FigureFactory(response=late, position=p) for p in (5, 0, 5)]
    source = SourceFactory(response=early, position=12)

    release.positions_renumber()

    assert list(release.responses.values_list("pk", "position")) == [(early.pk, 1), (late.pk, 2)]
    # Equal positions keep their age order.
    assert list(late.figures.values_list("pk", "position")) == [
        (figures[1].pk, 1),
        (figures[0].pk, 2),
        (figures[2].pk, 3),
    ]
    source.refresh_from_db()
    assert source.position == 1


def change_form_queries(client, release) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(change_url(release)).status_code == 200
    return len(queries)


def test_the_change_form_costs_the_same_queries_for_one_claim_or_five(writer_client):
    one = release_with_content(responses=1, figures=2, sources=2)
    five = release_with_content(responses=5, figures=2, sources=2)
    for release in (one, five):  # thumbnails are made on the first view; count the next
        change_form_queries(writer_client, release)

    assert change_form_queries(writer_client, five) == change_form_queries(writer_client, one)
    # Each picker still shows its claim, chosen.
    page = writer_client.get(change_url(five)).content.decode()
    for response in five.responses.select_related("claim"):
        claim = response.claim
        assert f'<option value="{claim.pk}" selected>{claim.wording}</option>' in page


def test_a_thumbnail_is_made_once_through_the_gate_and_named_from_the_original(monkeypatch):
    figure = FigureFactory(image=SimpleUploadedFile("big.jpg", image_bytes("JPEG", 1200, 800)))
    name = thumbnail_name(figure.image.name)

    url = thumbnail_url(figure.image.name)

    assert url == default_storage.url(name) and name.endswith(".webp")
    assert name == thumbnail_name(figure.image.name)  # the same original, the same name
    with default_storage.open(name) as stored:
        from PIL import Image

        with Image.open(stored) as small:
            assert small.format == "WEBP" and max(small.size) <= 320

    def must_not_run(*args, **kwargs):
        raise AssertionError("the thumbnail was made again")

    monkeypatch.setattr("myths.thumbnails.image_validate_and_clean", must_not_run)
    assert thumbnail_url(figure.image.name) == url
    assert FigureContent.from_figure(figure).thumbnail_url == url  # for the compare view


def test_a_thumbnail_that_cannot_be_made_falls_back_to_the_original(settings):
    figure = FigureFactory()
    Path(figure.image.path).write_bytes(b"not a picture any more")

    assert thumbnail_url(figure.image.name) == figure.image.url
    assert not default_storage.exists(thumbnail_name(figure.image.name))


def test_the_release_list_shows_the_first_figure_as_a_thumbnail(writer_client):
    release = ReleaseFactory()
    second = ResponseFactory(release=release, position=2)
    first = ResponseFactory(release=release, position=1)
    FigureFactory(response=second, position=1)
    shown = FigureFactory(response=first, position=2)
    FigureFactory(response=first, position=3)

    page = writer_client.get(reverse("admin:myths_release_changelist"))

    assert f'src="{thumbnail_url(shown.image.name)}"' in page.content.decode()


def test_deleting_a_response_on_its_own_page_closes_the_gap(writer_client):
    release = ReleaseFactory()
    first, middle, last = (ResponseFactory(release=release, position=n) for n in (1, 2, 3))
    url = reverse("admin:myths_response_delete", args=[middle.pk])

    assert writer_client.post(url, {"post": "yes"}).status_code == 302

    assert list(release.responses.values_list("pk", "position")) == [(first.pk, 1), (last.pk, 2)]


def test_without_figure_and_source_rights_the_release_form_leaves_them_alone(client):
    editor = UserFactory(username="partial")
    codes = ["view_release", "change_release", "view_response", "change_response", "view_claim"]
    editor.user_permissions.add(*Permission.objects.filter(codename__in=codes))
    release = release_with_content(responses=1, figures=1, sources=1)
    client.force_login(editor)

    page = client.get(change_url(release))

    assert all(not form.parts for form in page.context["inline_admin_formsets"][0].formset)
    assert "responses-0-figures-TOTAL_FORMS" not in page.content.decode()
    data = posted_back(page)
    data.update(
        {
            "responses-0-sources-TOTAL_FORMS": 1,
            "responses-0-sources-INITIAL_FORMS": 0,
            "responses-0-sources-0-url": "https://example.org/slipped-in",
        }
    )
    assert client.post(change_url(release), data).status_code == 302
    assert not Source.objects.filter(url="https://example.org/slipped-in").exists()

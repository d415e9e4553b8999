"""Issue 9, item 16: a media storage that refuses a write (disk full, read-only folder) keeps the
editor's work. The figure upload on the response page shows the reason, the typed text stays in
the re-shown form, nothing of the save is written and no partial file is left; the Markdown
editor's upload answers a JSON error. Tests run as root, whom chmod does not stop: the failing
storage is simulated by patching FileSystemStorage._save."""

import errno
from html import unescape
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from myths.models import Figure, Release
from tests.factories import image_bytes
from tests.factories.admin_forms import release_in, response_form_data, response_url

pytestmark = pytest.mark.django_db

MESSAGE = (
    "The image could not be stored: the media storage is full or read-only. Your text was kept; "
    "try again or ask the administrator."
)
TYPED_BODY = "A paragraph the editor typed for an hour, with a new figure below it."
TYPED_CAPTION = "Barges waiting at the lock at dawn."


def disk_full(self, name, content):
    """What a full disk does: the file is created, half written, then the write fails."""
    path = Path(self.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.read()[:10])
    raise OSError(errno.ENOSPC, "No space left on device")


def read_only(self, name, content):
    raise PermissionError(errno.EACCES, "Permission denied")


FAILURES = pytest.mark.parametrize("failure", [disk_full, read_only], ids=["full", "read-only"])


def media_files(settings) -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


def png(name="new-figure.png"):
    return SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png")


def with_new_figure(response_obj, **overrides):
    data = response_form_data(response_obj, body=TYPED_BODY, **overrides)
    i = data["figures-TOTAL_FORMS"]
    data["figures-TOTAL_FORMS"] = i + 1
    data.update(
        {
            f"figures-{i}-response": response_obj.pk,
            f"figures-{i}-position": i + 1,
            f"figures-{i}-image": png(),
            f"figures-{i}-caption": TYPED_CAPTION,
            f"figures-{i}-credit": "Press Office",
            f"figures-{i}-alt_text": "Three barges in front of closed lock gates.",
        }
    )
    return data


@FAILURES
def test_a_refused_figure_keeps_the_typed_text_and_writes_nothing(
    client, login, settings, monkeypatch, failure
):
    release = release_in(Release.Status.DRAFT)
    response_obj = release.responses.first()
    before_files = media_files(settings)
    before = (release.version, release.revisions.count(), Figure.objects.count())
    login(client, "writer")
    monkeypatch.setattr(FileSystemStorage, "_save", failure)

    page = client.post(response_url(response_obj), with_new_figure(response_obj))

    assert page.status_code == 200  # the form again, not the 500 page and not a redirect
    text = unescape(page.content.decode())
    assert MESSAGE in text
    assert TYPED_BODY in text and TYPED_CAPTION in text
    release.refresh_from_db()
    response_obj.refresh_from_db()
    assert response_obj.body != TYPED_BODY  # not saved half: nothing of this save was written
    assert (release.version, release.revisions.count(), Figure.objects.count()) == before
    assert media_files(settings) == before_files  # no empty or truncated file left


def test_figures_stored_before_the_failing_one_are_removed_with_the_rollback(
    client, login, settings, monkeypatch
):
    """Two new figures: the first is stored, the second hits a full disk. The save is rolled
    back, so the first file would be an orphan: it is removed too."""
    release = release_in(Release.Status.DRAFT)
    response_obj = release.responses.first()
    data = with_new_figure(response_obj)
    i = data["figures-TOTAL_FORMS"]
    data["figures-TOTAL_FORMS"] = i + 1
    second = {k.replace(f"-{i - 1}-", f"-{i}-"): v for k, v in data.items() if f"-{i - 1}-" in k}
    data.update({**second, f"figures-{i}-image": png("second.png"), f"figures-{i}-position": i + 1})
    before_files = media_files(settings)
    login(client, "writer")
    real_save, calls = FileSystemStorage._save, []

    def full_on_the_second_write(self, name, content):
        calls.append(name)
        if len(calls) == 1:
            return real_save(self, name, content)
        return disk_full(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", full_on_the_second_write)
    page = client.post(response_url(response_obj), data)
    assert len(calls) == 2  # the first figure was stored, the second write failed
    assert page.status_code == 200 and MESSAGE in unescape(page.content.decode())
    assert media_files(settings) == before_files


def test_the_same_save_goes_through_once_the_storage_works(client, login, settings):
    release = release_in(Release.Status.DRAFT)
    response_obj = release.responses.first()
    login(client, "writer")
    page = client.post(response_url(response_obj), with_new_figure(response_obj))
    assert page.status_code == 302
    response_obj.refresh_from_db()
    assert response_obj.body == TYPED_BODY
    figure = response_obj.figures.get(caption=TYPED_CAPTION)
    assert Path(figure.image.path) in media_files(settings)


@FAILURES
def test_the_editor_upload_answers_a_json_error_and_leaves_no_file(
    writer_client, settings, monkeypatch, failure
):
    monkeypatch.setattr(FileSystemStorage, "_save", failure)
    answer = writer_client.post("/admin/markdownx/upload/", {"image": png()})
    assert answer.status_code == 503
    assert answer.json() == {"image": [MESSAGE], "message": MESSAGE, "code": "storage_failed"}
    assert media_files(settings) == set()

"""The admin's "Import release" page: who may use it, what it makes, and what it refuses."""

import html

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from myths.importing import MAX_IMPORT_BYTES
from myths.models import Release
from tests.factories import UserFactory, png_bytes
from tests.factories.importing import import_confirm, import_preview
from tests.fixtures import RELEASE_EN
from tests.myths.test_importer import model_counts

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:myths_release_import"


def upload(name: str, data: bytes, content_type: str = "text/plain") -> dict:
    return {"file": SimpleUploadedFile(name, data, content_type=content_type)}


def test_writer_sees_the_button_and_the_form(writer_client):
    changelist = writer_client.get(reverse("admin:myths_release_changelist"))
    assert changelist.status_code == 200
    assert reverse(IMPORT_URL).encode() in changelist.content
    assert b"Import release" in changelist.content

    page = writer_client.get(reverse(IMPORT_URL))
    assert page.status_code == 200
    assert b'enctype="multipart/form-data"' in page.content
    assert b'value="Preview the import"' in page.content
    assert b'name="text"' in page.content  # the paste box
    assert b"admin/base" in page.content or b'id="site-name"' in page.content


def test_writer_imports_a_release_and_lands_on_the_draft(writer_client):
    preview = import_preview(writer_client, data=RELEASE_EN.read_bytes(), name=RELEASE_EN.name)
    assert preview.status_code == 200
    assert Release.objects.count() == 0  # nothing written before "Create draft"
    response = import_confirm(writer_client, preview)

    release = Release.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:myths_release_change", args=[release.pk])
    assert release.status == Release.Status.DRAFT
    assert release.responses.count() == 5
    assert release.revisions.count() == 1
    [message] = [html.unescape(str(m)) for m in get_messages(response.wsgi_request)]
    assert "<br>– Claim 1:" in message
    assert release.title in message
    assert "Claim 5:" in message and "1 photo caption(s)" in message
    assert "media@waterways.example" in message
    # The draft's change page opens for the writer.
    assert writer_client.get(response.url).status_code == 200


def test_reviewer_without_the_import_permission_gets_403(client):
    reviewer = UserFactory(role="reviewer")
    assert not reviewer.has_perm("myths.import_release")
    client.force_login(reviewer)

    assert client.get(reverse(IMPORT_URL)).status_code == 403
    before = model_counts()
    posted = client.post(reverse(IMPORT_URL), upload("r.txt", b"T\n\nMyth 1: X\n\nText.\n"))
    assert posted.status_code == 403
    assert model_counts() == before
    changelist = client.get(reverse("admin:myths_release_changelist"))
    assert reverse(IMPORT_URL).encode() not in changelist.content


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(reverse(IMPORT_URL))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    posted = client.post(reverse(IMPORT_URL), upload("r.txt", b"T\n\nMyth 1: X\n\nText.\n"))
    assert posted.status_code == 302
    assert Release.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.txt", png_bytes(), "it looks like a PNG image"),
        ("release.odt", b"T\n\nMyth 1: X\n\nText.\n", "Only .txt, .md and .docx files"),
        ("release.docx", b"T\n\nMyth 1: X\n\nText.\n", "This is not a Word (.docx) file."),
        ("release.md", b"T\n\nMyth 1: X\n\nText.\x00\n", "not a text file"),
        ("release.txt", b"T\n\nNo claims.\n", "No claims found"),
        ("release.txt", b"Myth 1: X\n\nText.\n", "No title"),
        ("release.txt", b"T\n\nMyth 1: caf\x81\n\nText.\n", "encoding could not be read"),
        ("release.txt", b"a" * (MAX_IMPORT_BYTES + 1), "too large"),
        ("release.txt", b"", "empty"),
    ],
)
def test_bad_uploads_show_the_form_again_and_create_nothing(writer_client, name, data, message):
    before = model_counts()

    response = writer_client.post(reverse(IMPORT_URL), upload(name, data))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert b'class="errornote"' in response.content
    assert model_counts() == before


def test_a_post_without_a_file_is_refused(writer_client):
    response = writer_client.post(reverse(IMPORT_URL), {})
    assert response.status_code == 200
    assert b"Paste the release or choose a file (one of the two)." in response.content
    assert Release.objects.count() == 0


def test_the_success_message_escapes_what_the_file_says(writer_client):
    text = b"<script>alert(1)</script> harbour myths\n\nMyth 1: <b>Closed</b>\n\nIt is open.\n"
    preview = import_preview(writer_client, data=text, name="r.txt")
    assert b"<script>alert(1)</script>" not in preview.content
    response = import_confirm(writer_client, preview)
    response = writer_client.get(response.url)
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; harbour myths" in response.content

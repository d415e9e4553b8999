"""Object storage (issue 10, item 4), for real against an S3 API server: uploads land as private
objects, a draft's files are reachable by no URL, public files are served through the media view,
and the PDF renderer reads figures through the storage and stores the public PDF there."""

import io

import pytest
from django.core.files.storage import default_storage, storages
from pypdf import PdfReader

from myths.models import Release
from myths.pdf.tasks import release_pdfs_render
from myths.revisions import revision_content
from myths.uploads import IMPORT_PREFIX
from tests.factories import arrange_state, release_with_content
from tests.factories.importing import import_confirm, import_preview
from tests.factories.word import word_release
from tests.myths.test_pdf import image_count

pytestmark = pytest.mark.django_db

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def keys(s3) -> set[str]:
    return {item["Key"] for item in s3.list_objects_v2(Bucket=s3.bucket).get("Contents", [])}


def figure_name(release) -> str:
    return release.responses.get().figures.get().image.name


def test_the_default_storage_is_the_bucket(s3):
    assert type(storages["default"]).__name__ == "S3Storage"
    default_storage.save("probe/hello.txt", io.BytesIO(b"hello"))
    assert "probe/hello.txt" in keys(s3)


def test_an_upload_lands_in_the_bucket_as_a_private_object(s3):
    release = release_with_content(responses=1, figures=1)
    name = figure_name(release)
    assert name in keys(s3)
    grants = s3.get_object_acl(Bucket=s3.bucket, Key=name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert not any(grant["Grantee"].get("URI") == ALL_USERS for grant in grants)


def test_pages_link_files_through_the_media_view_not_the_bucket(s3):
    release = arrange_state(release_with_content(responses=1, figures=1), Release.Status.PUBLISHED)
    figure = revision_content(release.live_revision).responses[0].figures[0]
    assert figure.url == f"/media/{figure.image}"
    # The storage's own URL is signed and short-lived, for whoever is given one.
    signed = default_storage.url(figure.image)
    assert "X-Amz-Signature=" in signed and "X-Amz-Expires=60" in signed


def test_a_public_file_is_served_by_the_media_view(client, s3):
    release = arrange_state(release_with_content(responses=1, figures=1), Release.Status.PUBLISHED)
    name = figure_name(release)
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    body = response.getvalue()
    assert body == s3.get_object(Bucket=s3.bucket, Key=name)["Body"].read()
    assert response["Content-Length"] == str(len(body))
    again = client.get(f"/media/{name}", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


def test_a_drafts_file_is_reachable_by_no_url(client, s3):
    release = arrange_state(release_with_content(responses=1, figures=1), Release.Status.DRAFT)
    name = figure_name(release)
    assert client.get(f"/media/{name}").status_code == 404
    assert client.get("/media/no/such/file.png").status_code == 404
    # Nor from the bucket without a signature: the object is private.
    grants = s3.get_object_acl(Bucket=s3.bucket, Key=name)["Grants"]
    assert not any(grant["Grantee"].get("URI") == ALL_USERS for grant in grants)


def test_the_pdf_reads_figures_through_the_storage_and_is_stored_there(client, s3, settings):
    release = arrange_state(release_with_content(responses=1, figures=1), Release.Status.PUBLISHED)
    # Nothing on the local disk to fall back on: the figure exists only in the bucket.
    assert not any(settings.MEDIA_ROOT.rglob("*.png"))
    assert release_pdfs_render.call(release_id=release.pk) == 1
    stored = [key for key in keys(s3) if key.startswith("pdfs/")]
    assert len(stored) == 1
    response = client.get(f"/releases/{release.slug}/pdf/")
    assert response.status_code == 200
    pdf = response.getvalue()
    assert pdf == s3.get_object(Bucket=s3.bucket, Key=stored[0])["Body"].read()
    assert image_count(PdfReader(io.BytesIO(pdf))) == 1  # the figure, read from the bucket


def test_a_word_import_waits_in_the_bucket_between_its_two_steps(writer_client, s3):
    """The preview and the confirm may reach different app servers: the Word file waits in the
    shared storage, privately, and is gone once the draft is made."""
    preview = import_preview(writer_client, data=word_release(), name="barrier.docx")
    (kept,) = [key for key in keys(s3) if key.startswith(IMPORT_PREFIX)]
    grants = s3.get_object_acl(Bucket=s3.bucket, Key=kept)["Grants"]
    assert not any(grant["Grantee"].get("URI") == ALL_USERS for grant in grants)
    assert import_confirm(writer_client, preview).status_code == 302
    assert Release.objects.get().title == "Two myths about the flood barrier"
    assert not [key for key in keys(s3) if key.startswith(IMPORT_PREFIX)]

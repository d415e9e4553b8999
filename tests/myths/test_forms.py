"""The admin's figure form: same image gate as the editor, errors on the field, nothing written."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from myths.forms import FigureForm
from myths.models import Figure
from tests.factories import (
    FigureFactory,
    ResponseFactory,
    UserFactory,
    exif_with_location,
    image_bytes,
    png_declaring,
    two_colour_jpeg,
)

pytestmark = pytest.mark.django_db

HTML_AS_PNG = b"<html><body><script>alert(1)</script></body></html>"
FIGURE_DATA = {
    "position": 1,
    "caption": "Inspectors at the quay.",
    "credit": "Press Office",
    "alt_text": "Two inspectors on a quay.",
}


def stored_files(settings) -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_a_real_photo_is_stored_clean_under_a_generated_name(settings):
    response = ResponseFactory()
    photo = two_colour_jpeg(width=60, height=40, exif=exif_with_location(orientation=6))
    form = FigureForm(
        data=FIGURE_DATA,
        files={"image": SimpleUploadedFile("IMG_0001.JPG", photo, content_type="image/jpeg")},
    )

    assert form.is_valid(), form.errors
    figure = form.save(commit=False)
    figure.response = response
    figure.save()

    figure.refresh_from_db()
    assert re.fullmatch(r"figures/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", figure.image.name)
    assert (figure.width, figure.height) == (40, 60)
    with Image.open(figure.image.path) as stored:
        assert stored.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert len(stored_files(settings)) == 1


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (HTML_AS_PNG, "photo.png", "image_format"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "logo.svg", "image_format"),
        (png_declaring(50_000, 50_000), "bomb.png", "image_too_many_pixels"),
        (image_bytes("JPEG", 300, 300)[:400], "cut.jpg", "image_damaged"),
    ],
    ids=["html-as-png", "svg", "bomb", "truncated"],
)
def test_a_bad_file_is_a_field_error_and_nothing_is_written(settings, data, name, code):
    form = FigureForm(data=FIGURE_DATA, files={"image": SimpleUploadedFile(name, data)})

    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["image"]] == [code]
    assert list(form.errors) == ["image"]
    assert stored_files(settings) == []


def test_editing_a_figure_without_a_new_file_keeps_the_stored_image():
    figure = FigureFactory()
    before = figure.image.name
    form = FigureForm(data={**FIGURE_DATA, "caption": "New caption"}, instance=figure)

    assert form.is_valid(), form.errors
    form.save()

    figure.refresh_from_db()
    assert figure.image.name == before
    assert figure.caption == "New caption"


def test_admin_shows_a_bad_figure_upload_as_an_error_not_a_500(client, settings):
    response = ResponseFactory()
    client.force_login(UserFactory(is_superuser=True))
    url = f"/admin/myths/response/{response.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200

    form = page.context["adminform"].form
    data = {
        name: form[name].value() for name in form.fields if form[name].value() not in (None, "")
    }
    figure_prefix = None
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        if formset.model is Figure:
            figure_prefix = formset.prefix
        data.update(
            {
                f"{formset.prefix}-TOTAL_FORMS": "1" if formset.model is Figure else "0",
                f"{formset.prefix}-INITIAL_FORMS": "0",
                f"{formset.prefix}-MIN_NUM_FORMS": "0",
                f"{formset.prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    assert figure_prefix, "the response admin has a figure inline"
    data.update({f"{figure_prefix}-0-{name}": value for name, value in FIGURE_DATA.items()})
    data[f"{figure_prefix}-0-image"] = SimpleUploadedFile("photo.png", HTML_AS_PNG)

    result = client.post(url, data)

    assert result.status_code == 200  # the form again, with its errors
    assert "This file is not a JPEG, PNG or WebP image." in result.content.decode()
    assert not Figure.objects.exists()
    assert stored_files(settings) == []

    data[f"{figure_prefix}-0-image"] = SimpleUploadedFile("photo.png", image_bytes("PNG"))
    assert client.post(url, data).status_code == 302
    assert Figure.objects.get().image.name.endswith(".png")

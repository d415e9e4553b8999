"""Issue 13 in the admin: the press office's page (logo through the image gate, reference
pattern), and the release form's office and date of issue, a publisher's to set."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from contacts.models import PressOffice
from myths.models import Release
from tests.factories.admin_forms import change_url, form_data, release_in
from tests.factories.images import exif_with_location, png_bytes, two_colour_jpeg
from tests.factories.states import Status

OFFICE_ADD = "admin:contacts_pressoffice_add"


def office_data(**overrides):
    data = {
        "name": "Ministry of Canals – Press Office",
        "slug": "",
        "about": "We keep the canals open.",
        "dateline_place": "brussels",
        "time_zone": "Europe/Brussels",
        "reference_pattern": "MC/{year}/{seq:03}",
        "default_contact": "",
        "verdict_style": PressOffice.VerdictStyle.MYTH_FACT,
    }
    data.update(overrides)
    return data


def test_a_publisher_adds_an_office_whose_logo_passes_the_gate(client, login):
    login(client, "publisher")
    logo = SimpleUploadedFile("logo.jpg", two_colour_jpeg(exif=exif_with_location()), "image/jpeg")
    response = client.post(reverse(OFFICE_ADD), office_data(logo=logo))
    assert response.status_code == 302, response.context["adminform"].form.errors
    office = PressOffice.objects.get(slug="ministry-of-canals-press-office")
    assert office.dateline_place == "BRUSSELS"
    assert office.logo.name.startswith("offices/")
    with office.logo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG" and not image.getexif()  # re-encoded, metadata dropped


def test_an_office_logo_that_is_no_image_is_refused(client, login):
    login(client, "publisher")
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", "image/png")
    response = client.post(reverse(OFFICE_ADD), office_data(logo=fake))
    assert response.status_code == 200
    assert "logo" in response.context["adminform"].form.errors
    assert not PressOffice.objects.filter(name__startswith="Ministry of Canals").exists()


@pytest.mark.parametrize(
    ("pattern", "code"),
    [
        ("PR/{year}", "reference_pattern_seq"),
        ("PR/{seq.__class__}", "reference_pattern"),
        ("PR/{month}/{seq}", "reference_pattern"),
        ("PR/{seq", "reference_pattern"),
        ("PR/{year}/{seq:03}", "reference_pattern_taken"),  # the default office's
    ],
)
def test_a_reference_pattern_must_make_numbers_of_its_own(client, login, pattern, code):
    login(client, "publisher")
    response = client.post(reverse(OFFICE_ADD), office_data(reference_pattern=pattern))
    errors = response.context["adminform"].form.errors.as_data()["reference_pattern"]
    assert [e.code for e in errors] == [code]


def test_a_writer_may_not_edit_offices(client, login):
    login(client, "writer")
    assert client.get(reverse(OFFICE_ADD)).status_code == 403
    office = PressOffice.objects.default()
    response = client.get(reverse("admin:contacts_pressoffice_change", args=[office.pk]))
    assert response.status_code == 200 and b'name="name"' not in response.content


def test_a_writer_sees_the_office_and_the_date_of_issue_read_only(client, login):
    login(client, "writer")
    release = release_in(Status.DRAFT)
    form = client.get(change_url(release)).context["adminform"].form
    assert "office" not in form.fields and "issued_on" not in form.fields
    assert "notes_to_editors" in form.fields and "valid_as_of" in form.fields


def test_a_writer_cannot_back_date_by_posting_the_field(client, login):
    login(client, "writer")
    release = release_in(Status.DRAFT)
    client.post(change_url(release), form_data(release, issued_on="2017-03-12"))
    assert Release.objects.get(pk=release.pk).issued_on is None


def test_a_publisher_back_dates_from_the_form_through_the_workflow(client, login):
    publisher = login(client, "publisher")
    release = release_in(Status.PUBLISHED)
    response = client.post(change_url(release), form_data(release, issued_on="2017-03-12"))
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.issued_on == date(2017, 3, 12)
    assert release.status == Status.PUBLISHED  # no content changed: no new review
    entry = release.log_entries.get(back_dated=True)
    assert entry.actor == publisher


def test_a_future_date_of_issue_is_refused_with_the_form_shown_again(client, login):
    login(client, "publisher")
    release = release_in(Status.APPROVED)
    response = client.post(
        change_url(release), form_data(release, issued_on="2999-01-01", title="Kept title")
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.text
    release.refresh_from_db()
    assert release.issued_on is None and release.title != "Kept title"


def test_a_publisher_chooses_the_office(client, login):
    login(client, "publisher")
    other = PressOffice.objects.create(name="Harbour Office", reference_pattern="HO-{seq}")
    release = release_in(Status.DRAFT)
    response = client.post(change_url(release), form_data(release, office=other.pk))
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.office == other
    assert release.revisions.order_by("-number").first().content["office"]["name"] == (
        "Harbour Office"
    )


def test_the_office_admin_lists_offices(client, login):
    login(client, "publisher")
    PressOffice.objects.create(name="Harbour Office", reference_pattern="HO-{seq}")
    html = client.get(reverse("admin:contacts_pressoffice_changelist")).text
    assert "Harbour Office" in html


def test_png_logo_kept_as_png(client, login):
    login(client, "publisher")
    logo = SimpleUploadedFile("logo.png", png_bytes(), "image/png")
    client.post(reverse(OFFICE_ADD), office_data(logo=logo, reference_pattern="X-{seq}"))
    assert PressOffice.objects.get(reference_pattern="X-{seq}").logo.name.endswith(".png")

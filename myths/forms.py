"""Forms behind the editing admin; validation that is not a model rule lives here."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from .images import image_validate_and_clean
from .importer import MAX_IMPORT_BYTES, check_filename, decode_release_bytes
from .models import Figure


class FigureForm(forms.ModelForm):
    """A figure whose new image has passed the same gate as the Markdown editor's uploads.

    The image field is a plain file field on purpose: Django's ImageField would open the upload
    with Pillow first, with its own wording and its own idea of the formats allowed; here
    ``image_validate_and_clean`` alone decides, and what is saved is its clean re-encoding.
    """

    class Meta:
        model = Figure
        fields = ["position", "image", "caption", "credit", "alt_text"]
        field_classes = {"image": forms.FileField}

    def clean_image(self):
        image = self.cleaned_data.get("image")
        # Only a new upload is checked; an unchanged figure keeps its stored (already clean) file.
        if isinstance(image, UploadedFile):
            return image_validate_and_clean(image)
        return image


class ReleaseImportForm(forms.Form):
    """An uploaded .txt or .md release. Checks name, size and content before anything is written."""

    file = forms.FileField(
        label=_("Release as text"),
        help_text=_(
            "A .txt or .md file of at most %(limit)s kB: the title on the first line, then "
            "“Myth 1: …” headings each followed by its response, then the contact block."
        )
        % {"limit": MAX_IMPORT_BYTES // 1000},
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,.markdown,text/plain"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_filename(upload.name)
        # The size is known from the upload handler: refuse before reading it into memory.
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(
                _("The file is too large to be a release: the limit is %(limit)s kB.")
                % {"limit": MAX_IMPORT_BYTES // 1000},
                code="too_large",
            )
        upload.seek(0)
        data = upload.read()
        # Same checks as the importer (binary content, encoding), shown on the field.
        decode_release_bytes(data)
        self.cleaned_data["data"] = data
        return upload

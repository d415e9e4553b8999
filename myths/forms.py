"""Forms behind the editing admin; validation that is not a model rule lives here."""

from django import forms
from django.core.files.uploadedfile import UploadedFile

from .images import image_validate_and_clean
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

"""Forms of the contacts app whose rules are more than the model's: the press office's."""

import string

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from core.images import image_validate_and_clean

from .models import PressOffice

# The sequence number a reference pattern must hold, and the year it may.
REFERENCE_FIELDS = {"seq", "year"}


class PressOfficeForm(forms.ModelForm):
    """An office whose logo passed the image gate and whose reference pattern makes numbers.

    The logo is a plain file field: core.images.image_validate_and_clean alone decides what an
    image is, and what is stored is its clean re-encoding (no metadata, sRGB), as for figures.
    """

    class Meta:
        model = PressOffice
        fields = [
            "name",
            "slug",
            "logo",
            "about",
            "dateline_place",
            "time_zone",
            "reference_pattern",
            "default_contact",
            "verdict_style",
            "is_default",
        ]
        field_classes = {"logo": forms.FileField}
        widgets = {
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"})
        }

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        # Only a new upload is checked; an unchanged logo keeps its stored (already clean) file.
        if isinstance(logo, UploadedFile):
            return image_validate_and_clean(logo)
        return logo

    def clean_dateline_place(self):
        return self.cleaned_data["dateline_place"].strip().upper()

    def clean_reference_pattern(self):
        """Only {year} and {seq} (with a format such as :03), {seq} required, and no pattern
        another office uses: two offices with one pattern would hand out the same numbers."""
        pattern = self.cleaned_data["reference_pattern"].strip()
        try:
            parts = list(string.Formatter().parse(pattern))
            names = {name for _text, name, _spec, _conv in parts if name is not None}
            if names - REFERENCE_FIELDS or any(conv for *_rest, conv in parts):
                raise ValueError(names)
            pattern.format(year=2017, seq=1)
        except (ValueError, IndexError, KeyError):
            raise forms.ValidationError(
                _("Use only {year} and {seq}, e.g. PR/{year}/{seq:03}."), code="reference_pattern"
            ) from None
        if "seq" not in names:
            raise forms.ValidationError(
                _("The pattern needs {seq}, the running number, e.g. PR/{year}/{seq:03}."),
                code="reference_pattern_seq",
            )
        others = PressOffice.objects.exclude(pk=self.instance.pk)
        if others.filter(reference_pattern=pattern).exists():
            raise forms.ValidationError(
                _("Another office uses this pattern: give each office its own, e.g. a prefix."),
                code="reference_pattern_taken",
            )
        return pattern

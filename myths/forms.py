"""Forms behind the editing admin; validation that is not a model rule lives here."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.images import image_validate_and_clean

from .importing import MAX_IMPORT_BYTES, check_filename, decode_release_bytes
from .importing.docx_safety import MAX_DOCX_BYTES
from .importing.preview import import_token_read, is_docx
from .models import Claim, Figure, Release, ReleaseNotice, Response, Revision, Source
from .uploads import media_write


class ResponsePartForm(forms.ModelForm):
    """A figure or source row: a new row whose only value is its position (which the page fills
    in, static/myths/admin/ordering.js) is blank, not a row with its content missing."""

    def has_changed(self):
        if self.instance.pk is None:
            return any(name != "position" for name in self.changed_data)
        return super().has_changed()


class SourceForm(ResponsePartForm):
    class Meta:
        model = Source
        fields = ["position", "url", "title", "publisher"]
        # Beside the release's own "Title" on the release form: a label of its own.
        labels = {"title": _("Name of the document")}


class FigureForm(ResponsePartForm):
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

    def save(self, commit=True):
        """Save the figure; a new image the storage refuses raises uploads.MediaWriteError (the
        admin re-shows the form with the editor's text) and leaves no partial file."""
        image = self.cleaned_data.get("image")
        if not commit or "image" not in self.changed_data or not image:
            return super().save(commit=commit)
        field = self.instance._meta.get_field("image")
        with media_write(field.storage, field.generate_filename(self.instance, image.name)):
            return super().save(commit=commit)


class ReleaseImportForm(forms.Form):
    """Step 1 of an import: a release pasted as text or uploaded as a .txt or .md file (one of
    the two). Checks name, size and content before anything is read further; nothing is written."""

    text = forms.CharField(
        label=_("Release pasted as text"),
        required=False,
        strip=False,
        max_length=MAX_IMPORT_BYTES,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80, "spellcheck": "false"}),
        help_text=_("Paste the release here, or choose a file below."),
    )
    file = forms.FileField(
        label=_("Release as text"),
        required=False,
        help_text=_(
            "A .txt or .md file of at most %(limit)s kB, or a Word .docx file of at most 10 MB: "
            "the title on the first line, then “Myth 1: …” headings each followed by its "
            "response, then the contact block."
        )
        % {"limit": MAX_IMPORT_BYTES // 1000},
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,.markdown,.docx,text/plain"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload:
            return upload
        check_filename(upload.name)
        if is_docx(upload.name):
            # Checked whole (docx_safety, then mammoth) when the view reads it.
            if upload.size > MAX_DOCX_BYTES:
                raise ValidationError(_("The Word file is larger than 10 MB."), code="too_large")
            upload.seek(0)
            self.cleaned_data["data"] = upload.read()
            return upload
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

    def clean(self):
        cleaned = super().clean()
        has_text, has_file = bool(cleaned.get("text", "").strip()), bool(cleaned.get("file"))
        if self.errors:
            return cleaned
        if has_text == has_file:
            raise ValidationError(
                _("Paste the release or choose a file (one of the two)."), code="one_source"
            )
        if has_text:
            cleaned["data"], cleaned["filename"] = cleaned["text"], ""
        else:
            cleaned["filename"] = cleaned["file"].name
        return cleaned


class ReleaseImportConfirmForm(forms.Form):
    """Step 2: the text the preview showed (signed, so it is the text that was previewed) and
    what to do when it matches a release already in the office: update that draft or make a
    deliberate copy."""

    CREATE, COPY, UPDATE = "create", "copy", "update"

    token = forms.CharField(widget=forms.HiddenInput)
    choice = forms.ChoiceField(
        choices=[
            (CREATE, _("Create the draft")),
            (COPY, _("Create a copy, although a matching release exists")),
            (UPDATE, _("Update the matching draft as a new revision")),
        ],
        initial=CREATE,
        widget=forms.HiddenInput,
    )
    target = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # The target's version when the preview was shown: an update claims it (optimistic locking).
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_token(self):
        return import_token_read(self.cleaned_data["token"])


class ReleaseVersionForm(forms.Form):
    """Fields and check shared by every form that edits (part of) a release: the release's
    version when the form was rendered (`version_marker`) and its latest revision number then
    (`base_revision`), for optimistic locking.

    A form sent with an older version is refused with a message naming who saved in between, and
    a link to the difference; one sent without it is refused too. The save itself claims the
    version again with a conditional UPDATE (`workflow.release_version_claim`), so the check holds
    even when two saves race past this one. Subclasses say which release with `locked_release_id`.
    """

    version_marker = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        label=_("version"),
        help_text=_("The version of the release this form was opened at."),
    )
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read before the posted data is applied: a response moved to another release is still
        # checked against the release it was opened in.
        self.locked_release_id = self.get_locked_release_id()
        if self.locked_release_id and not self.is_bound:
            release = Release.objects.filter(pk=self.locked_release_id).values("version").get()
            latest = (
                Revision.objects.filter(release_id=self.locked_release_id)
                .order_by("-number")
                .values("number")
                .first()
            )
            self.initial["version_marker"] = release["version"]
            self.initial["base_revision"] = latest["number"] if latest else 0

    def get_locked_release_id(self) -> int | None:
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if not self.locked_release_id:
            return cleaned
        marker = cleaned.get("version_marker")
        if marker is None:
            raise ValidationError(
                _(
                    "This form was sent without its version marker, so it cannot be checked "
                    "against other editors' saves. Reload the page and make your changes again."
                ),
                code="version_missing",
            )
        current = (
            Release.objects.filter(pk=self.locked_release_id)
            .values("version", "updated_at", "updated_by__username", "updated_by__first_name")
            .first()
        )
        if current and current["version"] != marker:
            raise ValidationError(self._stale_message(current), code="stale_edit")
        return cleaned

    def _stale_message(self, current):
        pk = self.locked_release_id
        who = current["updated_by__first_name"] or current["updated_by__username"] or _("someone")
        latest = Revision.objects.filter(release_id=pk).order_by("-number").values("number").first()
        base = self.cleaned_data.get("base_revision") or 0
        compare = reverse("admin:myths_release_compare", args=[pk])
        when = timezone.localtime(current["updated_at"]).strftime("%d %b %Y %H:%M:%S")
        if latest and base:
            link = format_html(
                ' <a href="{}?a={}&amp;b={}">{}</a>',
                compare,
                base,
                latest["number"],
                _("See what they changed"),
            )
        else:
            link = format_html(
                ' <a href="{}">{}</a>',
                reverse("admin:myths_release_revisions", args=[pk]),
                _("See the revisions"),
            )
        return format_html(
            "{} {}",
            _(
                "Not saved: %(who)s saved this release at %(when)s, after you opened it. Your "
                "changes would overwrite theirs. Copy what you need, reload the page and apply "
                "your changes again."
            )
            % {"who": who, "when": when},
            link,
        )


class ReleaseAdminForm(ReleaseVersionForm, forms.ModelForm):
    """The release change form, carrying the version it was opened at (optimistic locking)."""

    class Meta:
        model = Release
        fields = [
            "title",
            "slug",
            "lede",
            "language",
            "translation_of",
            "contact",
            "more_info_url",
            "more_info_label",
            "office",
            "dateline_place",
            "issued_on",
            "valid_as_of",
            "notes_to_editors",
            "publish_at",
            "expire_at",
        ]
        # A few lines: the claims below are what the form is mostly for.
        widgets = {"notes_to_editors": forms.Textarea(attrs={"rows": 4})}

    def get_locked_release_id(self):
        return self.instance.pk

    def clean_dateline_place(self):
        return self.cleaned_data["dateline_place"].strip().upper()


class ResponseAdminForm(ReleaseVersionForm, forms.ModelForm):
    """A response with its figures and sources (ResponseAdmin): part of its release, so checked
    against the release's version like the release form, which edits the same responses."""

    class Meta:
        model = Response
        fields = ["release", "position", "claim", "verdict", "body"]

    def get_locked_release_id(self):
        return self.instance.release_id if self.instance.pk else None


class ResponsePartFormSet(forms.BaseInlineFormSet):
    """Figures or sources of one response inside the release form.

    Rows come from the response's prefetched relation (ResponseInline.get_queryset), so the
    change form's queries do not grow with the number of claims. A blank row is offered at the
    end, numbered after the others, so a picture or a link can be added on the same page.
    """

    relation = ""

    def get_queryset(self):
        if not hasattr(self, "_rows"):
            if self.instance.pk is None:
                self._rows = []
            else:
                self._rows = list(getattr(self.instance, self.relation).all())
        return self._rows

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index >= self.initial_form_count():
            # The next free position: a blank row that is left blank stays unchanged.
            kwargs["initial"] = {"position": index + 1}
        return kwargs


class FigureFormSet(ResponsePartFormSet):
    relation = "figures"


class SourceFormSet(ResponsePartFormSet):
    relation = "sources"


RESPONSE_PARTS = {
    "figures": forms.inlineformset_factory(
        Response,
        Figure,
        form=FigureForm,
        formset=FigureFormSet,
        extra=1,
        # The thumbnail beside it shows the stored picture; its hashed file name says nothing.
        widgets={"image": forms.FileInput},
    ),
    "sources": forms.inlineformset_factory(
        Response,
        Source,
        form=SourceForm,
        formset=SourceFormSet,
        extra=1,
    ),
}


class ClaimAutocompleteSelect(AutocompleteSelect):
    """The claim picker of a response row. Django's picker looks up the label of the chosen claim
    with a query per row; a row whose claim came with its response (`known_labels`, filled by
    ResponseInlineForm) is labelled from it, so the page's queries do not grow with its rows."""

    known_labels: dict[str, str] = {}

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if len(chosen) != 1 or chosen[0] not in self.known_labels:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.known_labels[chosen[0]]
        options.append(self.create_option(name, chosen[0], label, set(chosen), len(options)))
        return [(None, options, 0)]


class ResponseInlineForm(forms.ModelForm):
    """A claim and its response inside the release form: pick a claim answered before, or type
    a new one; a typed wording that matches an existing claim reuses it rather than duplicating.

    Its figures and sources are edited in place (`parts`, formsets prefixed with the response
    row's prefix) when `parts_editable` (the editor may add, change and delete both). A post
    without their management data (an older page, a script) leaves them as they are.
    """

    new_claim = forms.CharField(
        label=_("or a new claim"),
        required=False,
        max_length=Claim._meta.get_field("wording").max_length,
        help_text=_("Type the myth here if it is not in the list, without “Myth 1:”."),
        widget=forms.TextInput(attrs={"size": 80}),
    )

    class Meta:
        model = Response
        fields = ["position", "claim", "new_claim", "verdict", "body"]

    def __init__(self, *args, parts_editable=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claim"].required = False
        picker = getattr(self.fields["claim"].widget, "widget", None)
        if isinstance(picker, ClaimAutocompleteSelect) and self.instance.claim_id:
            picker.known_labels = {str(self.instance.claim_id): str(self.instance.claim)}
        self.parts = {}
        for name, formset_class in RESPONSE_PARTS.items():
            prefix = f"{self.prefix}-{name}"
            if not parts_editable or (self.is_bound and f"{prefix}-TOTAL_FORMS" not in self.data):
                continue
            self.parts[name] = formset_class(
                data=self.data if self.is_bound else None,
                files=self.files if self.is_bound else None,
                instance=self.instance,
                prefix=prefix,
            )

    @property
    def figures(self):
        return self.parts.get("figures")

    @property
    def sources(self):
        return self.parts.get("sources")

    def has_changed(self):
        return super().has_changed() or any(p.has_changed() for p in self.parts.values())

    def is_multipart(self):
        return super().is_multipart() or any(p.is_multipart() for p in self.parts.values())

    def is_valid(self):
        valid = super().is_valid()
        parts_valid = all([part.is_valid() for part in self.parts.values()])
        if valid and not parts_valid:
            # So the page says there is something to correct, and where.
            self.add_error(None, _("Check the figures and sources of this claim below."))
        return valid and parts_valid

    def save_parts(self):
        """Save the figures and sources, once the response itself has been saved."""
        for part in self.parts.values():
            part.instance = self.instance
            part.save()

    def clean(self):
        cleaned = super().clean()
        claim, wording = cleaned.get("claim"), " ".join(cleaned.get("new_claim", "").split())
        if claim and wording:
            raise ValidationError(
                _("Choose a claim from the list or type a new one, not both."),
                code="claim_twice",
            )
        if not claim and not wording and not self.errors:
            raise ValidationError(
                _("Choose the claim this response answers, or type a new one."),
                code="claim_missing",
            )
        if wording:
            cleaned["claim"] = Claim.objects.matching(wording).first()
            self._new_wording = None if cleaned["claim"] else wording
            if cleaned["claim"]:
                self.instance.claim = cleaned["claim"]
        return cleaned

    def save(self, commit=True):
        if getattr(self, "_new_wording", None):
            self.instance.claim = Claim.objects.create(wording=self._new_wording)
        return super().save(commit=commit)


# What each kind of republication means, as the publish step explains it.
NOTICE_KIND_HELP = {
    ReleaseNotice.Kind.CORRECTION: _(
        "A fact, figure, name or verdict was wrong. Readers see “Corrected on …” with your "
        "note at the top of the page, in the PDF and in the feeds."
    ),
    ReleaseNotice.Kind.CLARIFICATION: _(
        "The facts stand; wording was made clearer or context added. Readers see “Clarified "
        "on …” with your note."
    ),
    ReleaseNotice.Kind.TYPOGRAPHY: _(
        "Only punctuation, spaces, quotation marks or dashes changed. Nothing is shown to "
        "readers; refused if any word changed."
    ),
}


class ReleaseNoticeForm(forms.Form):
    """What the publish step asks when a new version of a public release goes out: the kind of
    change and the public note. Rendered for the publisher; the workflow decides whether the
    answer will do (myths.workflow.release_publish)."""

    notice_kind = forms.ChoiceField(
        label=_("This new version is a"),
        choices=ReleaseNotice.Kind.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    notice_note = forms.CharField(
        label=_("Public note"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        required=False,
        max_length=2000,
        help_text=_(
            "Shown to readers, dated, with a correction or a clarification: what changed and "
            "why, in the release's language."
        ),
    )

    def kinds(self):
        """Each choice of kind with what it means, for the template."""
        return [
            (choice, NOTICE_KIND_HELP[ReleaseNotice.Kind(choice.data["value"])])
            for choice in self["notice_kind"]
        ]

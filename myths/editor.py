"""Staff-only endpoints behind the django-markdownx editor: live preview and image upload.

django-markdownx ships both views open to anyone, with the preview passing raw HTML through and
the upload trusting the client's content type. These replace them (pressdesk/urls.py mounts them
at the paths markdownx's widget calls, settings.MARKDOWNX_URLS_PATH and
MARKDOWNX_UPLOAD_URLS_PATH) and answer in the shapes markdownx's JavaScript understands:

- preview: ``200 text/html`` with the sanitised HTML of ``render_markdown``; for text beyond the
  Markdown limits (myths/markdown.py) the reason first, as an alert, then the text as the page
  would show it (plain paragraphs). markdownx's script shows only 200 answers in the preview;
- upload: ``200 {"image_code": "![](/media/uploads/<hex>.png)", "url": "/media/uploads/<hex>.png"}``
  (the name is random, the extension that of the detected format),
  or ``400 {"image": ["<message>"], "message": "<message>", "code": "<code>"}`` (the ``image`` list
  is the shape markdownx's own view returns for form errors);
- anyone who is not active staff: ``403 {"message": ..., "code": "permission_denied"}``, never a
  redirect to the login page, which an XHR would follow and paste into the preview;
- other methods than POST: 405. CSRF is enforced by the middleware (markdownx's JavaScript sends
  the token).
"""

import functools
import posixpath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import HttpResponse, JsonResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.images import image_validate_and_clean

from .markdown import markdown_limits_error, render_markdown
from .revisions.content import media_url
from .uploads import MEDIA_WRITE_FAILED, MediaWriteError, media_write


def staff_required_json(view):
    """Let only active staff through; everyone else gets a JSON 403 rather than a redirect."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_active and user.is_staff):
            return JsonResponse(
                {
                    "message": _("Only signed-in staff may use the editor."),
                    "code": "permission_denied",
                },
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapped


@never_cache
@staff_required_json
@require_POST
def markdownify(request):
    """Preview: the posted ``content`` rendered exactly as the public page will render it."""
    content = request.POST.get("content", "")
    html = render_markdown(content)
    if error := markdown_limits_error(content):
        notice = format_html(
            '<p class="markdown-refused" role="alert" data-code="{}"><strong>{}</strong> {}</p>',
            error.code,
            _("This text cannot be formatted and would be shown as plain text:"),
            " ".join(error.messages),
        )
        html = notice + html
    return HttpResponse(html, content_type="text/html; charset=utf-8")


class EditorImageForm(forms.Form):
    image = forms.FileField(
        label=gettext_lazy("image"),
        error_messages={"required": gettext_lazy("No image was sent.")},
    )

    def clean_image(self):
        return image_validate_and_clean(self.cleaned_data["image"])


@never_cache
@staff_required_json
@require_POST
def upload(request):
    """Check an image, store a clean copy under MARKDOWNX_MEDIA_PATH, return its Markdown."""
    form = EditorImageForm(data=request.POST, files=request.FILES)
    if not form.is_valid():
        return _upload_refused(form.errors.as_data()["image"][0])
    image = form.cleaned_data["image"]
    name = default_storage.generate_filename(
        posixpath.join(settings.MARKDOWNX_MEDIA_PATH, image.name)
    )
    try:
        with media_write(default_storage, name):
            stored_name = default_storage.save(name, image)
    except MediaWriteError:
        # The editor's text is in the browser, untouched: say why the image is missing.
        message = str(MEDIA_WRITE_FAILED)
        return JsonResponse(
            {"image": [message], "message": message, "code": "storage_failed"}, status=503
        )
    url = media_url(stored_name)
    return JsonResponse({"image_code": f"![]({url})", "url": url})


def _upload_refused(error: ValidationError) -> JsonResponse:
    message = " ".join(error.messages)
    return JsonResponse(
        {"image": [message], "message": message, "code": error.code or "invalid"},
        status=400,
    )

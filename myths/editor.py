"""Staff-only endpoints behind the django-markdownx editor: live preview and image upload."""

from django.contrib.admin.views.decorators import staff_member_required
from markdownx.views import ImageUploadView, MarkdownifyView

markdownify = staff_member_required(MarkdownifyView.as_view())
upload = staff_member_required(ImageUploadView.as_view())

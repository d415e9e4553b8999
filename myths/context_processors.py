from django.conf import settings

from core.site import site_url


def site(request):
    """Expose the office's public name and canonical base URL to every template."""
    return {"SITE_NAME": settings.PRESSDESK_SITE_NAME, "SITE_URL": site_url()}

from django.conf import settings


def site(request):
    """Expose the office's public name and canonical base URL to every template."""
    return {
        "SITE_NAME": settings.PRESSDESK_SITE_NAME,
        "SITE_URL": settings.PRESSDESK_SITE_URL.rstrip("/"),
    }

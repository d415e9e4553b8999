from django.conf import settings

from core.site import site_url


def site(request):
    """Expose the office's public name, canonical base URL and sources promise to every template."""
    return {
        "SITE_NAME": settings.PRESSDESK_SITE_NAME,
        "SITE_URL": site_url(),
        # The footer promises sources only where the quality gate refuses a response without one.
        "SOURCES_REQUIRED": settings.PRESSDESK_REQUIRE_SOURCES == "block",
    }

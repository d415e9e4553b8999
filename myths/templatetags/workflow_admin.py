"""The admin index's "what waits for me" panel."""

from django import template

from myths import workflow
from myths.models import Release

register = template.Library()


@register.inclusion_tag("admin/myths/workflow_dashboard.html")
def workflow_dashboard(user):
    """Releases awaiting the user's review, ready for them to publish, and sent back to them.

    A list stays empty unless the user may run its transition.
    """
    is_reviewer = workflow.may(user, "approve")
    is_publisher = workflow.may(user, "publish")
    return {
        "awaiting_review": (
            list(Release.objects.awaiting_review_by(user)[:20]) if is_reviewer else []
        ),
        "ready_to_publish": list(Release.objects.ready_to_publish()[:20]) if is_publisher else [],
        "sent_back": list(Release.objects.sent_back_to(user)[:20]),
        "is_reviewer": is_reviewer,
        "is_publisher": is_publisher,
    }

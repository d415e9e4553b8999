"""The admin index's "what waits for me" panel."""

from django import template

from myths import workflow

register = template.Library()


@register.inclusion_tag("admin/myths/workflow_dashboard.html")
def workflow_dashboard(user):
    """Releases awaiting the user's review, ready for them to publish, and sent back to them."""
    return {
        "awaiting_review": list(workflow.releases_awaiting_review(user)[:20]),
        "ready_to_publish": list(workflow.releases_ready_to_publish(user)[:20]),
        "sent_back": list(workflow.releases_sent_back_to(user)[:20]),
        "is_reviewer": workflow.may(user, "approve"),
        "is_publisher": workflow.may(user, "publish"),
    }

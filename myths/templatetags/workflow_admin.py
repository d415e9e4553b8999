"""The admin index's dashboard: what waits for this user, per role.

Each list is one query (annotations carry the submitter, age and send-back comment); a list
stays hidden unless the user may act on it.
"""

from django import template

from myths import workflow
from myths.models import Release

register = template.Library()

LIMIT = 20


@register.inclusion_tag("admin/myths/workflow_dashboard.html")
def workflow_dashboard(user):
    """The user's drafts and drafts sent back to them; releases awaiting their review; and, for
    publishers, those ready to publish, scheduled and recently published.

    A list stays empty unless the user may run its transition.
    """
    is_writer = workflow.may(user, "submit")
    is_reviewer = workflow.may(user, "approve")
    is_publisher = workflow.may(user, "publish")
    releases = Release.objects
    sent_back = list(releases.sent_back_to(user).with_send_back_comment()[:LIMIT])
    # A draft sent back is listed once, with its comment, not again among "my drafts".
    drafts = releases.drafted_by(user).exclude(pk__in=[release.pk for release in sent_back])
    return {
        "my_drafts": list(drafts[:LIMIT]) if is_writer else [],
        "sent_back": sent_back,
        "awaiting_review": (
            list(releases.awaiting_review_by(user).with_submission()[:LIMIT]) if is_reviewer else []
        ),
        "ready_to_publish": (list(releases.ready_to_publish()[:LIMIT]) if is_publisher else []),
        "scheduled": list(releases.scheduled_soonest()[:LIMIT]) if is_publisher else [],
        "recently_published": (list(releases.recently_published()[:LIMIT]) if is_publisher else []),
        "is_writer": is_writer,
        "is_reviewer": is_reviewer,
        "is_publisher": is_publisher,
    }

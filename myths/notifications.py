"""E-mail about the editorial workflow: who is told what when a release moves.

The workflow calls these after its transaction commits; subjects and bodies are plain-text,
translatable templates under templates/myths/email/.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.site import absolute_url

from .models import Release, WorkflowLogEntry


def reviewers():
    """Active users who hold `myths.review_release` through a group or directly."""
    perm = Permission.objects.get(content_type__app_label="myths", codename="review_release")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions=perm) | Q(user_permissions=perm))
        .exclude(email="")
        .distinct()
    )


def _change_url(release: Release) -> str:
    return absolute_url(reverse("admin:myths_release_change", args=[release.pk]))


def _compare_url(entry: WorkflowLogEntry) -> str:
    """The admin's comparison of what the public last saw (the last approved, scheduled or
    published revision) with the revision `entry` submitted; "" when nothing was approved
    before, or the submission recorded no revision."""
    if entry.revision is None:
        return ""
    approved = (
        entry.release.log_entries.filter(
            to_status__in=[
                Release.Status.APPROVED,
                Release.Status.SCHEDULED,
                Release.Status.PUBLISHED,
            ],
            revision__isnull=False,
            revision__number__lt=entry.revision.number,
        )
        .order_by("-created_at", "-pk")
        .values_list("revision__number", flat=True)
        .first()
    )
    if approved is None:
        return ""
    path = reverse("admin:myths_release_compare", args=[entry.release_id])
    return absolute_url(f"{path}?a={approved}&b={entry.revision.number}")


def _author_of(release: Release):
    """Who to tell about their release: the last person who submitted it, else its creator."""
    entry = (
        release.log_entries.filter(to_status=Release.Status.IN_REVIEW, actor__isnull=False)
        .select_related("actor")
        .first()
    )
    return entry.actor if entry else release.created_by


def _send(name: str, context: dict, recipients: list[str], *, language: str) -> int:
    """Send templates/myths/email/<name>_subject.txt and <name>_body.txt to `recipients`.

    Written in `language`, the release's: an e-mail about a release speaks its language.
    """
    with translation.override(language or None):
        # A header cannot hold a line break, and a template's last line ends with one.
        subject = "".join(render_to_string(f"myths/email/{name}_subject.txt", context).splitlines())
        body = render_to_string(f"myths/email/{name}_body.txt", context).rstrip("\n") + "\n"
    return send_mail(subject, body, None, recipients)


def _quality_problems(release: Release) -> list:
    from .quality import release_problems  # the gate reads revisions, which the workflow writes

    # The messages are made now: in the release's language, like the rest of the e-mail.
    with translation.override(release.language):
        return release_problems(release)


def notify_reviewers(entry: WorkflowLogEntry) -> int:
    """E-mail every reviewer but the submitter that a release awaits review."""
    release = entry.release
    recipients = [u.email for u in reviewers().exclude(pk=entry.actor_id)]
    if not recipients:
        return 0
    who = (entry.actor.get_full_name() or entry.actor.get_username()) if entry.actor else ""
    context = {
        "who": who,
        "title": release.title,
        "comment": entry.comment,
        "url": _change_url(release),
        "compare_url": _compare_url(entry),
        "problems": _quality_problems(release),
    }
    return _send("awaiting_review", context, recipients, language=release.language)


def notify_author(entry: WorkflowLogEntry, what: str) -> int:
    """E-mail the release's author that it was sent back (with the comment) or published."""
    release = entry.release
    author = _author_of(release)
    if author is None or not author.email or author.pk == entry.actor_id:
        return 0
    who = (
        (entry.actor.get_full_name() or entry.actor.get_username()) if entry.actor else "Pressdesk"
    )
    context = {
        "title": release.title,
        "what": what,
        "who": who,
        "comment": entry.comment,
        "url": _change_url(release),
    }
    return _send("author", context, [author.email], language=release.language)

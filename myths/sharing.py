"""Share links: read-only preview of one release for someone without an account.

Design: each link row stores a random nonce (`ShareLink.token`); the URL carries that nonce signed
with django.core.signing under a salt of its own. So
- a database dump alone opens nothing (the signature needs SECRET_KEY), while the admin can show a
  link again at any time (it is rebuilt from the row, never stored);
- a forged or altered token fails the signature before any query;
- expiry and revocation live on the row (`expires_at`, `revoked_at`), so a link can be revoked
  before it expires — a signature alone could not be;
- the token names one row, and the row one release: it opens nothing else.
A share link shows the release's *latest revision* (the version under review), not the public one.
Links die with the release's public life: the workflow revokes them all (`share_links_revoke_all`)
when it withdraws or expires the release or restores an old revision; deleting a release deletes
its links with it.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.site import absolute_url, canonical_path

from .models import Release, ShareLink

SALT = "myths.share-link"


def share_link_token(link: ShareLink) -> str:
    """The URL token of a link: its nonce, signed."""
    return signing.Signer(salt=SALT).sign(link.token)


def share_link_url(link: ShareLink) -> str:
    """The absolute address to send to the outside reader."""
    path = canonical_path("myths:share-preview", token=share_link_token(link))
    return absolute_url(path)


def share_link_create(*, release: Release, actor, days: int | None = None) -> ShareLink:
    """A new link to `release`'s preview, valid `days` (settings.PRESSDESK_SHARE_LINK_DAYS).

    Needs `myths.share_release`.
    """
    if actor is None or not actor.has_perm("myths.share_release"):
        raise ValidationError(_("You may not share previews."), code="permission_denied")
    days = settings.PRESSDESK_SHARE_LINK_DAYS if days is None else days
    if days < 1:
        raise ValidationError(_("A share link must last at least a day."), code="invalid_days")
    return ShareLink.objects.create(
        release=release,
        token=secrets.token_hex(32),
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=days),
    )


def share_link_revoke(*, link: ShareLink, actor) -> ShareLink:
    """Revoke a link now (idempotent). Needs `myths.share_release`."""
    if actor is None or not actor.has_perm("myths.share_release"):
        raise ValidationError(_("You may not revoke preview links."), code="permission_denied")
    if link.revoked_at is None:
        ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        link.refresh_from_db()
    return link


def share_links_revoke_all(*, release: Release) -> int:
    """Revoke every link of `release` that is not revoked yet; returns how many.

    For the workflow (myths/workflow.py), inside its transaction: a release withdrawn, expired or
    restored as a new draft must not stay readable through a link sent out earlier. No permission
    check: the transition calling it has checked its own.
    """
    return release.share_links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def share_link_resolve(token: str) -> ShareLink:
    """The live link a token names, or a coded ValidationError (`invalid`, `expired`, `revoked`)."""
    try:
        nonce = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature as exc:
        raise ValidationError(_("This preview link is not valid."), code="invalid") from exc
    link = ShareLink.objects.select_related("release").filter(token=nonce).first()
    if link is None:
        raise ValidationError(_("This preview link is not valid."), code="invalid")
    if link.revoked_at is not None:
        raise ValidationError(_("This preview link was revoked."), code="revoked")
    if link.expires_at <= timezone.now():
        raise ValidationError(_("This preview link has expired."), code="expired")
    return link


def active_share_links(release: Release):
    """The release's links that still open, newest first."""
    return release.share_links.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

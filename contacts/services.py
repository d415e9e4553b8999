"""Press-contact services other code calls: matching contact details to a contact, creating one
(or proposing it, for imports), accepting a proposal, and what must happen when one changes. The
matching and creation import nothing from `myths`.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.cache import public_cache_bump

from .models import ContactChange, PressContact, SocialHandle


def contact_changed() -> None:
    """A contact was added, edited or deleted: the contacts page and its vCards are stale.

    Call it in the transaction of the change: the new public generation commits with it, so no
    request can see the new generation with the old contact.
    """
    public_cache_bump()


def contact_details_changed(
    *, contact: PressContact, actor, before: dict | None
) -> ContactChange | None:
    """Record that `actor` changed what readers see of `contact`, if they did: `before` is
    `contact.details()` read before the change (None for a new contact, which no release shows
    yet). Returns the ContactChange, or None when the details are the same.

    Call it once the contact and its handles are saved. Published releases keep the details their
    revision recorded; the admin then lists them for republishing
    (myths.workflow.contact_releases_refresh), and this row keeps `actor` from republishing them.
    """
    after = contact.details()
    if before is None or before == after:
        return None
    return ContactChange.objects.create(contact=contact, actor=actor, before=before, after=after)


def contact_match(
    *, email: str = "", phone: str = "", proposed: bool = False
) -> tuple[PressContact | None, str]:
    """The contact these details belong to and what matched: (contact, "email" or "phone").

    Among accepted contacts, or among proposals with `proposed`. E-mail first, ignoring case;
    then phone, compared by digits with a trunk prefix "(0)" ignored ("+32 (0)2 …" is
    "+32 2 …"), the oldest contact first. (None, "") when neither matches or both are empty.
    """
    candidates = PressContact.objects.filter(is_proposed=proposed)
    if email:
        contact = candidates.filter(email__iexact=email).first()
        if contact:
            return contact, "email"
    if phone:
        digits = _phone_digits(phone)
        for contact in candidates.exclude(phone="").order_by("pk"):
            if _phone_digits(contact.phone) == digits:
                return contact, "phone"
    return None, ""


@transaction.atomic
def contact_create(
    *,
    organisation: str,
    section: str,
    email: str,
    division: str = "",
    spokesperson: str = "",
    spokesperson_role: str = "",
    phone: str = "",
    phone_label: str = "",
    second_phone: str = "",
    second_phone_label: str = "",
    website: str = "",
    handles: list[tuple[str, str]] = (),
    proposed: bool = False,
) -> PressContact:
    """Create a press contact, with its social handles: (network or "" when unknown, handle).

    With `proposed` (what an import does), the contact is a proposal: not public, and no release
    with it can be published, until `contact_accept`. Both rows are fully validated first; a
    value that does not fit raises one ValidationError with the code "invalid_content" (see
    `clean_or_refuse`), and nothing is kept.
    """
    contact = PressContact(
        organisation=organisation,
        division=division,
        section=section,
        spokesperson=spokesperson,
        spokesperson_role=spokesperson_role,
        phone=phone,
        phone_label=phone_label,
        second_phone=second_phone,
        second_phone_label=second_phone_label,
        email=email,
        website=website,
        is_proposed=proposed,
    )
    clean_or_refuse(contact)
    contact.save()
    for position, (network, handle) in enumerate(handles):
        social = SocialHandle(contact=contact, network=network, handle=handle, position=position)
        clean_or_refuse(social)
        social.save()
    contact_changed()  # it is on the contacts page at once
    return contact


def contact_accept(*, contact: PressContact, actor) -> PressContact:
    """Make a proposed contact public (idempotent): on /contacts/, with its vCard, and usable by a
    release that is published. Needs `contacts.add_presscontact`, as creating one does."""
    if actor is None or not actor.has_perm("contacts.add_presscontact"):
        raise ValidationError(_("You may not accept contacts."), code="permission_denied")
    if PressContact.objects.filter(pk=contact.pk, is_proposed=True).update(is_proposed=False):
        contact_changed()
    contact.refresh_from_db()
    return contact


def clean_or_refuse(instance) -> None:
    """`full_clean()` the row, or raise one ValidationError coded "invalid_content" that names
    the model and each field's errors (for services that create rows from outside input)."""
    try:
        instance.full_clean()
    except ValidationError as error:
        messages = "; ".join(
            f"{name}: {' '.join(errors)}" for name, errors in error.message_dict.items()
        )
        raise ValidationError(
            _("%(model)s could not be created: %(messages)s")
            % {"model": instance._meta.verbose_name, "messages": messages},
            code="invalid_content",
        ) from error


def _phone_digits(phone: str) -> str:
    # "+32 (0)2 …" and "+32 2 …" are the same number: the "(0)" is the trunk prefix.
    return re.sub(r"\D", "", phone.replace("(0)", ""))

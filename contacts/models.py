import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.site import canonical_path
from core.slugs import unique_slug

from .links import handle_profile_url
from .validators import validate_handle, validate_phone


class PressContactQuerySet(models.QuerySet):
    def accepted(self):
        """Contacts the office published: the only ones /contacts/, the vCards and a publishable
        release may show."""
        return self.filter(is_proposed=False)

    def proposed(self):
        """Contacts an import proposed, waiting for someone allowed to add contacts to accept."""
        return self.filter(is_proposed=True)

    def default(self):
        """The accepted contact marked as the office's default, or None. At most one is marked
        (constraint)."""
        return self.accepted().filter(is_default=True).first()


class PressContact(models.Model):
    """A press section's published contact details: the block at the foot of every release."""

    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_(
            "For example: Ministry of Example Affairs. Left empty when an import's text does not "
            "name it: it is never guessed from a web address."
        ),
    )
    division = models.CharField(
        _("division"),
        max_length=200,
        blank=True,
        help_text=_("The division the press section belongs to, e.g. Public Diplomacy Division."),
    )
    section = models.CharField(
        _("section"), max_length=200, blank=True, help_text=_("For example: Press & Media Section.")
    )
    spokesperson = models.CharField(
        _("spokesperson"),
        max_length=200,
        blank=True,
        help_text=_("A named person journalists can ask for, e.g. Jane Smith."),
    )
    spokesperson_role = models.CharField(
        _("spokesperson's role"),
        max_length=200,
        blank=True,
        help_text=_("As the release gives it, e.g. Head of Media."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Used in the contact's web address; filled in from the section if left blank."),
    )
    phone = models.CharField(
        _("phone"),
        max_length=40,
        blank=True,
        validators=[validate_phone],
        help_text=_("As it should be printed, with the country code: +32 2 707 9867."),
    )
    phone_label = models.CharField(
        _("phone label"),
        max_length=80,
        blank=True,
        help_text=_("What the number is for, when the release says so, e.g. out of hours."),
    )
    second_phone = models.CharField(
        _("second phone"),
        max_length=40,
        blank=True,
        validators=[validate_phone],
        help_text=_("Another number, e.g. the out-of-hours line."),
    )
    second_phone_label = models.CharField(
        _("second phone label"),
        max_length=80,
        blank=True,
        help_text=_("What the second number is for, e.g. out of hours."),
    )
    email = models.EmailField(_("e-mail"), help_text=_("The address journalists should write to."))
    website = models.URLField(_("website"), blank=True, help_text=_("The office's public site."))
    is_default = models.BooleanField(
        _("default contact"),
        default=False,
        help_text=_("Offered first for new releases. Only one contact can be the default."),
    )
    is_proposed = models.BooleanField(
        _("proposed"),
        default=False,
        help_text=_(
            "Proposed by an import and not public yet: not on the contacts page, no vCard, and a "
            "release with this contact cannot be published until someone allowed to add contacts "
            "accepts it."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PressContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("press contact")
        verbose_name_plural = _("press contacts")
        ordering = ["organisation", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="contacts_single_default",
                violation_error_message=_(
                    "Another contact is already the default. Untick it there first."
                ),
            )
        ]

    def __str__(self):
        return " — ".join(p for p in (self.organisation, self.section) if p) or self.email

    def save(self, *args, **kwargs):
        if not self.slug:
            source = f"{self.organisation} {self.section}".strip() or self.email.split("@")[0]
            self.slug = unique_slug(self, source, max_length=120)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return canonical_path("contacts:contact-list") + f"#{self.slug}"

    @property
    def social(self) -> list[tuple[str, str, str]]:
        """(network, network's name or "", handle) per handle: the shape templates and the
        release snapshot share."""
        return [(h.network, h.get_network_display(), h.handle) for h in self.social_handles.all()]

    @property
    def office_line(self) -> str:
        """The contact block's heading, e.g. "Public Information Division – Press Section"."""
        return " – ".join(part for part in (self.division, self.section) if part)

    def details(self) -> dict:
        """What a reader sees of the contact (every field a release's contact block prints, and
        its handles), as JSON-ready data: two calls compare equal exactly when nothing a reader
        sees changed. A change of slug, default or ordering is no change of details."""
        return {
            **{name: getattr(self, name) for name in DETAIL_FIELDS},
            "social": [list(s) for s in self.social],
        }


# The fields of a contact a release's contact block prints (PressContact.details).
DETAIL_FIELDS = (
    "organisation",
    "division",
    "section",
    "spokesperson",
    "spokesperson_role",
    "phone",
    "phone_label",
    "second_phone",
    "second_phone_label",
    "email",
    "website",
)


class ContactChangeQuerySet(models.QuerySet):
    def by(self, user):
        """Changes `user` made."""
        return self.filter(actor=user)

    def since(self, moment):
        """Changes made after `moment` (e.g. after a release's public revision was recorded)."""
        return self.filter(changed_at__gt=moment)


class ContactChange(models.Model):
    """One change of what readers see of a contact: who made it, when, and the details before and
    after. Published releases keep the details their revision recorded; these rows say who
    changed them since, which the four-eyes rule of republishing them reads (nobody republishes
    contact details they changed themselves)."""

    contact = models.ForeignKey(
        PressContact,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("contact"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now, db_index=True)
    before = models.JSONField(_("details before"), default=dict)
    after = models.JSONField(_("details after"), default=dict)

    objects = ContactChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact change")
        verbose_name_plural = _("contact changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.contact} @ {self.changed_at:%Y-%m-%d %H:%M}"


class SocialHandle(models.Model):
    class Network(models.TextChoices):
        X = "x", _("X (Twitter)")
        MASTODON = "mastodon", _("Mastodon")
        BLUESKY = "bluesky", _("Bluesky")
        FACEBOOK = "facebook", _("Facebook")
        INSTAGRAM = "instagram", _("Instagram")
        LINKEDIN = "linkedin", _("LinkedIn")
        YOUTUBE = "youtube", _("YouTube")
        TELEGRAM = "telegram", _("Telegram")

    contact = models.ForeignKey(
        PressContact,
        on_delete=models.CASCADE,
        related_name="social_handles",
        verbose_name=_("contact"),
    )
    network = models.CharField(
        _("network"),
        max_length=20,
        choices=Network.choices,
        blank=True,
        help_text=_("Empty when the release does not say which network the handle is on."),
    )
    handle = models.CharField(
        _("handle"),
        max_length=80,
        validators=[validate_handle],
        help_text=_("With the @: @PressOffice, or @press@example.social on Mastodon."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("social handle")
        verbose_name_plural = _("social handles")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "network", "handle"], name="contacts_unique_handle"
            )
        ]

    def __str__(self):
        network = self.get_network_display()
        return f"{self.handle} ({network})" if network else self.handle

    @property
    def profile_url(self) -> str:
        """The handle's profile address on its network, or "" when the network is not known."""
        return handle_profile_url(self.network, self.handle)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(zone)s is not a time zone name, e.g. Europe/Brussels."), params={"zone": value}
        )


class PressOfficeQuerySet(models.QuerySet):
    def default(self):
        """The office new releases belong to unless another is chosen, or None. At most one is
        marked (constraint)."""
        return self.filter(is_default=True).first()


class PressOffice(models.Model):
    """The office a release is issued by: its letterhead, dateline, reference numbers, boilerplate
    and the way its verdicts are presented. One by default; an institution with several press
    sections has one each. A release's identity comes from here, never from a contact."""

    class VerdictStyle(models.TextChoices):
        GRADED = "graded", _("Graded verdict (fact-check style)")
        MYTH_FACT = "myth_fact", _("Myth and fact, no rating label (institutional)")

    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_(
            "As the letterhead prints it, e.g. Ministry of Example Affairs – Press Office."
        ),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to="offices/",
        blank=True,
        help_text=_("Printed on the letterhead of the page and the PDF. PNG, JPEG or WebP."),
    )
    about = models.TextField(
        _("about the office"),
        blank=True,
        max_length=3000,
        help_text=_(
            'The boilerplate printed under "About" at the end of every release: who the office '
            "speaks for, in two or three sentences."
        ),
    )
    dateline_place = models.CharField(
        _("dateline place"),
        max_length=100,
        blank=True,
        help_text=_("Where releases are issued unless a release says otherwise, e.g. BRUSSELS."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_("Dates and release times are given in it, e.g. Europe/Brussels."),
    )
    reference_pattern = models.CharField(
        _("reference pattern"),
        max_length=80,
        default="PR/{year}/{seq:03}",
        help_text=_(
            "How reference numbers are made on first publication: {year} is the year of issue, "
            "{seq:03} the next number, padded to three digits. E.g. PR/{year}/{seq:03}."
        ),
    )
    default_contact = models.ForeignKey(
        PressContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default contact"),
        help_text=_("Offered for the office's new releases."),
    )
    verdict_style = models.CharField(
        _("verdict presentation"),
        max_length=20,
        choices=VerdictStyle.choices,
        default=VerdictStyle.MYTH_FACT,
        help_text=_(
            "How each answer is presented on the page, in the register and in the PDF. The "
            "structured data for search engines is the same either way."
        ),
    )
    is_default = models.BooleanField(
        _("default office"),
        default=False,
        help_text=_("New releases belong to it. Only one office can be the default."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PressOfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("press office")
        verbose_name_plural = _("press offices")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="contacts_single_default_office",
                violation_error_message=_(
                    "Another office is already the default. Untick it there first."
                ),
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, max_length=120)
        super().save(*args, **kwargs)


class ReferenceCounter(models.Model):
    """The last reference number an office handed out in one scope (a year, when its pattern has
    {year}; else one scope for ever). Numbers only go up: a withdrawn release keeps its number
    and no other release ever gets it. Locked row by row while a number is taken."""

    office = models.ForeignKey(PressOffice, on_delete=models.CASCADE, related_name="counters")
    scope = models.CharField(_("scope"), max_length=20, blank=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "scope"], name="contacts_one_counter_per_scope"
            )
        ]

    def __str__(self):
        return f"{self.office} {self.scope}: {self.last}"

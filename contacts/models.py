from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.slugs import unique_slug

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
        _("organisation"), max_length=200, help_text=_("For example: Ministry of Example Affairs.")
    )
    division = models.CharField(
        _("division"),
        max_length=200,
        blank=True,
        help_text=_("The division the press section belongs to, e.g. Public Diplomacy Division."),
    )
    section = models.CharField(
        _("section"), max_length=200, help_text=_("For example: Press & Media Section.")
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
        return f"{self.organisation} — {self.section}"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, f"{self.organisation} {self.section}", max_length=120)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("contacts:contact-list") + f"#{self.slug}"

    @property
    def office_line(self) -> str:
        """The contact block's heading, e.g. "Public Information Division – Press Section"."""
        return " – ".join(part for part in (self.division, self.section) if part)


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
        _("network"), max_length=20, choices=Network.choices, default=Network.X
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
        return f"{self.handle} ({self.get_network_display()})"

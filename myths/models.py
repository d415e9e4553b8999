"""The content of a myth-busting release and its editorial record.

A *claim* is the myth as a lasting thing; a *release* is one dated publication that answers one or
more claims, each with a *response* carrying *figures* and *sources*. Every save of a release is
kept as a *revision* (a JSON snapshot of the whole release), and what the public sees is always a
revision, never the working copy: see ReleaseQuerySet.published().

Only myths/workflow.py assigns Release.status and the revision pointers (STYLE.md rule 4).
"""

import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from .markdown import render_markdown


def unique_slug(instance, value: str, *, max_length: int = 200) -> str:
    """A slug from `value` that no other row of the instance's model uses yet."""
    base = (slugify(value, allow_unicode=False) or "item")[: max_length - 6].strip("-") or "item"
    candidate, number = base, 2
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    while others.filter(slug=candidate).exists():
        candidate, number = f"{base}-{number}", number + 1
    return candidate


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("E.g. Defence."))
    slug = models.SlugField(_("slug"), max_length=100, unique=True, blank=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, max_length=100)
        super().save(*args, **kwargs)


def normalise_wording(wording: str) -> str:
    """The form under which two claim wordings count as the same claim.

    Unicode NFC, runs of whitespace as one space, no leading or trailing space, case folded.
    """
    return " ".join(unicodedata.normalize("NFC", wording).split()).casefold()


class ClaimQuerySet(models.QuerySet):
    def matching(self, wording: str):
        """Claims that state `wording`: equal once both are normalised (`normalise_wording`).

        The one rule for "is this claim already known": the importer, the release form's typed
        claim and restore all use it. Compared in Python, because SQLite's case-insensitive
        lookups fold ASCII only and stored wordings may hold odd spaces. Several rows can match
        (the unique constraint is on the exact wording); callers take `.first()`, the first by
        wording.
        """
        key = normalise_wording(wording)
        same = [
            pk
            for pk, stored in self.values_list("pk", "wording").iterator()
            if normalise_wording(stored) == key
        ]
        return self.filter(pk__in=same)


class Claim(models.Model):
    """A myth as a lasting thing: several releases over the years can answer the same claim."""

    wording = models.CharField(
        _("wording"),
        max_length=300,
        unique=True,
        help_text=_(
            "The myth as it is usually put, without 'Myth 1:'. E.g. 'Tap water is unsafe'."
        ),
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="claims", verbose_name=_("topics")
    )
    claimant = models.CharField(
        _("made by"),
        max_length=200,
        blank=True,
        help_text=_(
            "Who made or spread the claim, e.g. a state broadcaster or a named politician."
        ),
    )
    first_appeared_on = models.DateField(
        _("first appeared on"), null=True, blank=True, help_text=_("When it was first seen.")
    )
    first_appeared_in = models.CharField(
        _("first appeared in"),
        max_length=300,
        blank=True,
        help_text=_("Where it was first seen, e.g. 'Evening talk show, Channel One'."),
    )
    first_appearance_url = models.URLField(_("first appearance link"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["wording"]

    def __str__(self):
        return self.wording

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.wording)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("myths:claim-detail", kwargs={"slug": self.slug})


class ReleaseQuerySet(models.QuerySet):
    def drafts(self):
        """Releases being written or sent back for changes."""
        return self.filter(status=Release.Status.DRAFT)

    def in_review(self):
        """Releases submitted and waiting for a reviewer."""
        return self.filter(status=Release.Status.IN_REVIEW)

    def approved(self):
        """Releases a reviewer approved, waiting for a publisher."""
        return self.filter(status=Release.Status.APPROVED)

    def scheduled(self):
        """Releases set to go public at `publish_at` (which may already have passed)."""
        return self.filter(status=Release.Status.SCHEDULED)

    def withdrawn(self):
        """Releases a publisher took down."""
        return self.filter(status=Release.Status.WITHDRAWN)

    def published(self):
        """What the public may see, and the only queryset any public route may start from.

        A release is public when it has a published revision (`live_revision`), or when its
        scheduled revision's `publish_at` has come, which needs no cron job. It is never public
        once withdrawn or past `expire_at`. Each row is annotated with `public_revision_id` (the
        revision to show: the scheduled one once due, else the live one) and `public_date`.
        """
        now = timezone.now()
        due = Q(scheduled_revision__isnull=False, publish_at__lte=now)
        return (
            self.annotate(
                public_revision_id=Case(
                    When(due, then=F("scheduled_revision_id")), default=F("live_revision_id")
                ),
                public_date=Coalesce("first_published_at", "publish_at"),
            )
            .filter(public_revision_id__isnull=False)
            .exclude(status=Release.Status.WITHDRAWN)
            .exclude(expire_at__lte=now)
        )


class Release(models.Model):
    """One dated myth-busting publication. Its fields are the editors' working copy."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(
        _("title"), max_length=200, help_text=_("E.g. 'Five myths about the water supply'.")
    )
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("The release's web address; filled in from the title if left blank."),
    )
    lede = models.TextField(
        _("lede"),
        blank=True,
        max_length=1000,
        help_text=_("One or two sentences that sum up the release; shown in lists and feeds."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language the release is written in."),
    )
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        verbose_name=_("translation of"),
        help_text=_("The original release, if this is a translation of it."),
    )
    contact = models.ForeignKey(
        "contacts.PressContact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="releases",
        verbose_name=_("press contact"),
        help_text=_("Printed at the foot of the release. Required before publication."),
    )
    more_info_url = models.URLField(
        _("more information link"),
        max_length=1000,
        blank=True,
        help_text=_("A portal or page readers can visit for more information."),
    )
    more_info_label = models.CharField(
        _("more information label"),
        max_length=200,
        blank=True,
        help_text=_("How the link is introduced, e.g. 'our Setting the Record Straight portal'."),
    )
    status = models.CharField(
        _("review status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        editable=False,
        db_index=True,
    )
    publish_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: public as soon as a publisher publishes it. A future time schedules it."
        ),
    )
    expire_at = models.DateTimeField(
        _("expiry time"),
        null=True,
        blank=True,
        help_text=_("Optional: the release is taken down at this time."),
    )
    first_published_at = models.DateTimeField(
        _("first published"), null=True, blank=True, editable=False
    )
    live_revision = models.ForeignKey(
        "Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("published revision"),
    )
    scheduled_revision = models.ForeignKey(
        "Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("scheduled revision"),
    )
    # Optimistic locking: every save bumps it, and a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["-created_at"]
        permissions = [
            ("submit_release", _("Can submit a release for review")),
            ("review_release", _("Can approve a release or send it back")),
            ("publish_release", _("Can publish, schedule and withdraw a release")),
            ("share_release", _("Can create and revoke preview links")),
            ("import_release", _("Can import a release from text")),
        ]
        indexes = [models.Index(fields=["status", "publish_at"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("myths:release-detail", kwargs={"slug": self.slug})


class Response(models.Model):
    """The answer to one claim inside one release."""

    class Verdict(models.TextChoices):
        FALSE = "false", _("False")
        MISLEADING = "misleading", _("Misleading")
        LACKS_CONTEXT = "lacks_context", _("Lacks context")
        UNSUPPORTED = "unsupported", _("Unsupported")

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="responses", verbose_name=_("release")
    )
    claim = models.ForeignKey(
        Claim,
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("claim"),
        help_text=_("The myth this response answers. Reuse a claim answered before."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in the release: Myth 1, Myth 2, …")
    )
    verdict = models.CharField(
        _("verdict"),
        max_length=20,
        choices=Verdict.choices,
        blank=True,
        help_text=_("How the claim is rated. Required before publication."),
    )
    body = MarkdownxField(
        _("response"),
        help_text=_("The answer, in Markdown: paragraphs, **bold**, [links](https://…), lists."),
    )
    body_html = models.TextField(_("response (HTML)"), blank=True, editable=False)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "claim"],
                name="myths_response_one_per_claim",
                violation_error_message=_("This release already answers that claim."),
            )
        ]

    def __str__(self):
        return f"{self.release} — {self.claim}"

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)


class Figure(models.Model):
    """A photo attached to a response, with what a caption line and screen readers need."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="figures", verbose_name=_("response")
    )
    image = models.ImageField(
        _("image"),
        upload_to="figures/%Y/%m/",
        width_field="width",
        height_field="height",
        help_text=_("JPEG, PNG or WebP, at most 10 MB."),
    )
    width = models.PositiveIntegerField(_("width"), null=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, editable=False)
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_("Photographer or agency. Required before publication."),
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=500,
        blank=True,
        help_text=_(
            "What the image shows, for people who cannot see it. Required before publication."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.caption or self.image.name


class Source(models.Model):
    """A link backing a response up, printed as a numbered note."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="sources", verbose_name=_("response")
    )
    url = models.URLField(_("URL"), max_length=1000)
    title = models.CharField(_("title"), max_length=300, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title or self.url


class Revision(models.Model):
    """A snapshot of a whole release (responses, figures, sources, contact) at one save.

    `content` is the snapshot (myths/revisions.py builds and reads it); title, lede and search_text
    are copied out of it so lists and search never parse JSON.
    """

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("release")
    )
    number = models.PositiveIntegerField(_("number"))
    created_at = models.DateTimeField(_("saved"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    status = models.CharField(_("status when saved"), max_length=20, choices=Release.Status.choices)
    content = models.JSONField(_("content"))
    title = models.CharField(_("title"), max_length=200)
    lede = models.TextField(_("lede"), blank=True)
    search_text = models.TextField(_("search text"), blank=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["release", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["release", "number"], name="myths_revision_number")
        ]

    def __str__(self):
        return f"{self.release} — revision {self.number}"


class RevisionAnswer(models.Model):
    """Which claim a revision answers, in which place, with which verdict.

    An index of `Revision.content`, written with the revision, so the public site can filter
    published revisions by topic and verdict and list every release that answered a claim.
    """

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="answers")
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="revision_answers")
    position = models.PositiveSmallIntegerField()
    verdict = models.CharField(max_length=20, choices=Response.Verdict.choices, blank=True)
    # The claim as the revision recorded it. The myth register reads these, never the Claim row:
    # writers may edit a claim at any time, and the public sees only what was published.
    wording = models.CharField(
        _("wording"),
        max_length=300,
        blank=True,
        help_text=_("The claim's wording when the revision was saved."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        blank=True,
        help_text=_("The claim's slug when the revision was saved: its register address."),
    )
    topics = models.JSONField(
        _("topics"),
        default=list,
        blank=True,
        help_text=_("The claim's topics when the revision was saved, as [slug, name] pairs."),
    )
    # "|slug|slug|": a plain text column that `contains="|slug|"` filters the same way on SQLite
    # and PostgreSQL (JSON containment is PostgreSQL-only).
    topic_slugs = models.TextField(
        _("topic slugs"),
        blank=True,
        editable=False,
        help_text=_("The topics' slugs between bars, for filtering."),
    )

    class Meta:
        verbose_name = _("revision answer")
        verbose_name_plural = _("revision answers")
        ordering = ["revision", "position"]

    def __str__(self):
        return f"{self.revision}: {self.position}. {self.wording or self.claim_id}"

    def save(self, *args, **kwargs):
        self.topic_slugs = topic_slugs_text(self.topics)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The claim's register page, at the slug this revision published."""
        return reverse("myths:claim-detail", kwargs={"slug": self.slug})

    @property
    def topic_list(self) -> list[tuple[str, str]]:
        return [(slug, name) for slug, name in self.topics or []]


def topic_slugs_text(topics) -> str:
    """[[slug, name], …] as "|slug|slug|" (empty without topics), for RevisionAnswer.topic_slugs."""
    slugs = [slug for slug, _name in topics or []]
    return f"|{'|'.join(slugs)}|" if slugs else ""


class RevisionMedia(models.Model):
    """A file under MEDIA_ROOT that a revision shows: a figure, or an image in a response body.

    An index of `Revision.content`, written with the revision, so the media view can tell in one
    query whether a file belongs to something public (myths.public.media_is_public).
    """

    revision = models.ForeignKey(
        Revision, on_delete=models.CASCADE, related_name="media", verbose_name=_("revision")
    )
    name = models.CharField(
        _("file name"),
        max_length=500,
        db_index=True,
        help_text=_("The file's name in the media storage, e.g. figures/2026/03/quay.jpg."),
    )

    class Meta:
        verbose_name = _("revision media file")
        verbose_name_plural = _("revision media files")
        ordering = ["revision", "name"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "name"], name="myths_revisionmedia_once")
        ]

    def __str__(self):
        return f"{self.revision}: {self.name}"


class WorkflowLogEntry(models.Model):
    """One transition of a release's review status: who, when, from, to and why."""

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="log_entries", verbose_name=_("release")
    )
    revision = models.ForeignKey(
        Revision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revision"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty when the scheduler acted."),
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Release.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Release.Status.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("workflow log entry")
        verbose_name_plural = _("workflow log entries")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.release}: {self.from_status} → {self.to_status}"


class ShareLink(models.Model):
    """Read-only access to one release's preview for someone without an account."""

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="share_links", verbose_name=_("release")
    )
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.release} ({self.expires_at:%Y-%m-%d})"

"""The content of a myth-busting release and its editorial record.

A *claim* is the myth as a lasting thing; a *release* is one dated publication that answers one or
more claims, each with a *response* carrying *figures* and *sources*. Every save of a release is
kept as a *revision* (a JSON snapshot of the whole release), and what the public sees is always a
revision, never the working copy: see ReleaseQuerySet.published().

Only myths/workflow.py assigns Release.status and the revision pointers (STYLE.md rule 4).
"""

import unicodedata
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Case, F, Func, OuterRef, Q, Subquery, Value, When
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from contacts.models import PressOffice
from core.site import canonical_path
from core.slugs import unique_slug

from .markdown import render_markdown


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
        return canonical_path("myths:claim-detail", slug=self.slug)


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

    def published(self, now: datetime | None = None):
        """What the public may see, and the only queryset any public route may start from.

        A release is public when its entry in the public index (PublicRelease, kept by the
        workflow) is visible now: its live revision, or its scheduled revision once `publish_at`
        has come, which needs no cron job; none once past `expire_at`. It is never public once
        withdrawn, whatever the index says. Each row is annotated with `public_revision_id` (the
        revision to show) and `public_date` (the moment of issue: `issued_at`, else the first
        publication or the publish time), which lists, feeds, the sitemap and structured data all
        use, read from the entry: an indexed join, no JSON. `now` is the moment asked about
        (default: now).
        """
        return (
            self.filter(visible_at(now or timezone.now(), prefix="public_entries__"))
            .exclude(status=Release.Status.WITHDRAWN)
            .annotate(
                # F() after filter() reuses the filter's join: the visible entry, one per release.
                public_revision_id=F("public_entries__revision_id"),
                public_date=F("public_entries__public_date"),
                # The release's id as the date index holds it (preceding/following).
                public_key=F("public_entries__release_id"),
            )
        )

    def showing_outdated_contact(self, contact):
        """Published releases whose public revision shows `contact` with details other than it
        has now (an old e-mail address, a former spokesperson, a handle since removed): the
        releases a contact refresh (workflow.contact_releases_refresh) would republish.

        Compares the contact block each public revision recorded with `contact.details()`, so
        what counts is what readers see, not the working copy's contact. Two queries for any
        number of releases; the snapshot's contact block only is read, not the whole snapshot.
        """
        from .revisions.content import ContactContent  # the snapshot's owner imports this module

        current = ContactContent.from_contact(contact).to_snapshot()
        published = self.published()
        shown = Revision.objects.filter(
            pk__in=published.values("public_revision_id"), content__contact__id=contact.pk
        ).values_list("release_id", "content__contact")
        outdated = [release_id for release_id, block in shown if block != current]
        return published.filter(pk__in=outdated)

    # --- Public reads: chained after published(), for the public site (myths/public/) ----------

    def with_public_text(self):
        """Annotate published() rows with `public_title`, `public_lede`, `public_language`,
        `public_translation_of` (the original's id), `language_root` (the original's id, or the
        row's own), `public_topics` ("|slug|slug|") and `myth_count`, as the published revision
        records them (never the working copy).

        Copied into the public index when the revision was published, so read from the joined
        entry: no subquery, no JSON.
        """
        return self.annotate(
            public_title=F("public_entries__title"),
            public_lede=F("public_entries__lede"),
            public_language=F("public_entries__language"),
            public_translation_of=F("public_entries__translation_of_id"),
            language_root=F("public_entries__language_root"),
            public_topics=F("public_entries__topic_slugs"),
            myth_count=F("public_entries__myth_count"),
        )

    def with_public_notice(self, now: datetime | None = None):
        """Annotate published() rows with their latest public notice (a correction or a
        clarification, ReleaseNoticeQuerySet.shown_with) as their public revision shows it:
        `public_modified` (when it was published, None for a release never corrected),
        `public_notice_kind` and `public_notice_note`. One query for any number of rows.

        A notice published with a later revision (a correction scheduled for tomorrow) is not
        among them until that revision is the public one, nor one published after `now` (default:
        now).
        """
        latest = (
            ReleaseNotice.objects.public()
            .filter(
                release_id=OuterRef("pk"),
                revision__number__lte=OuterRef("public_revision_number"),
                published_at__lte=now or timezone.now(),
            )
            .order_by("-published_at", "-pk")
        )
        return self.annotate(
            # The public revision through the visible entry's join (F() after published()'s
            # filter reuses it): a column, not one more subquery under each notice subquery.
            public_revision_number=F("public_entries__revision__number")
        ).annotate(
            public_modified=Subquery(latest.values("published_at")[:1]),
            public_notice_kind=Subquery(latest.values("kind")[:1]),
            public_notice_note=Subquery(latest.values("note")[:1]),
        )

    def with_public_place(self):
        """Annotate published() rows with `public_place`: the dateline's place the published
        revision records (the release's own, else its office's), for lists and feeds that
        print the dateline without reading each snapshot. Read through the visible entry's
        join to its revision (as with_public_notice), no subquery."""
        content = "public_entries__revision__content"
        office = KeyTransform("office", content)
        return self.annotate(
            public_place=Coalesce(
                NullIf(KeyTextTransform("dateline_place", content), Value("")),
                KeyTextTransform("dateline_place", office),
                Value(""),
                output_field=models.TextField(),
            )
        )

    def newest_first(self):
        """published() rows by public date, newest first; ties by creation. The order of the
        public index's date index, which is walked, never sorted."""
        return self.order_by("-public_date", "-pk")

    def _walk(self, operator: str, public_date, pk):
        """published() rows before (`<`) or after (`>`) (public_date, pk), nearest first."""
        rows = self.filter(_row_compare(operator, public_date, pk))
        if operator == "<":
            return rows.order_by("-public_date", "-public_key")
        return rows.order_by("public_date", "public_key")

    def at_positions(self, entries, start: int, stop: int, *, from_end: bool = False):
        """These rows (ordered as they are) at positions start..stop-1 of newest_first(), or of
        the oldest-first order (`from_end`): for deep pages. `entries` are the visible
        PublicRelease rows matching the same filters; the positions are counted in the public
        index alone (an index-only walk), and only the rows kept are joined. One query."""
        order = ("public_date", "release_id") if from_end else ("-public_date", "-release_id")
        ids = entries.order_by(*order)[start:stop].values("release_id")
        return self.filter(pk__in=ids)

    def page_rows(self, slug: str):
        """The row at `slug`, its other language versions (language_versions) and its neighbours
        by public date (each a walk of the date index from the row at `slug`, nearest first), in
        one query: what a release page reads. Chained after with_public_text(); `page_pick`
        tells the rows apart.

        Every condition is on the public index's entry (its release id, its language root), so
        PostgreSQL finds the rows through the entry's indexes, each subquery an index walk."""
        anchor = self.filter(slug=slug)
        public_date = Subquery(anchor.values("public_date")[:1])
        public_key = Subquery(anchor.values("public_key")[:1])
        ids = self.values("public_key")
        before = ids._walk("<", public_date, public_key)[:1]
        after = ids._walk(">", public_date, public_key)[:1]
        return self.filter(
            Q(language_root=Subquery(anchor.values("language_root")[:1]))
            | Q(public_key=Subquery(before))
            | Q(public_key=Subquery(after))
        )

    def renamed_from(self, slug: str):
        """The published() row that was at `slug` before its slug changed, or None.

        Links handed out before publication (an embargoed copy, say) keep working. Only a slug
        recorded by the release's public revision or an earlier one counts, so a slug typed into
        a later draft is not revealed. Chained after published(); one query.
        """
        recorded = Revision.objects.filter(release_id=OuterRef("pk"), slug=slug).order_by("number")
        return (
            self.exclude(slug=slug)
            .annotate(
                public_number=F("public_entries__revision__number"),
                slug_recorded_at=Subquery(recorded.values("number")[:1]),
            )
            .filter(slug_recorded_at__lte=F("public_number"))
            .order_by("-public_date", "-pk")
            .first()
        )

    def language_versions(self, slug: str):
        """The row at `slug` and its other language versions (its original and the original's
        translations, as the published revisions record them) among these rows, in one query.

        Chained after with_public_text(). The release page and the PDF, which link to them.
        """
        root = self.filter(slug=slug).values("language_root")[:1]
        return self.filter(language_root=Subquery(root))

    def with_public_content(self, slug: str):
        """Annotate the row at `slug` with `public_content`, its published revision's snapshot
        (None on the other rows): the release page reads its language versions and its text in
        one query (after language_versions)."""
        return self.annotate(
            public_content=Case(
                When(slug=slug, then=F("public_entries__revision__content")),
                output_field=models.JSONField(),
            )
        )

    def translations_of(self, release):
        """The other language versions of `release` (its original and the original's
        translations) among these rows, as the published revisions record them.

        Chained after with_public_text(), and `release` read through it: a translation link
        changed in the working copy shows nowhere until its revision is published.
        """
        return self.filter(language_root=release.language_root).exclude(pk=release.pk)

    # --- What waits for whom (the admin index's dashboard) ----------------------------------------
    # Oldest first: what has waited longest comes first. Who may act at all is the caller's check
    # (workflow.may), as for every admin read.

    def awaiting_review_by(self, user):
        """Releases in review whose text `user` wrote no part of since it was last approved or
        published.

        The four-eyes rule of workflow.release_approve (Release.written_in_part_by), so a reviewer
        is offered only what they may approve; with PRESSDESK_ALLOW_SELF_APPROVAL every release in
        review. The rule reads each release's revisions: a few queries per release in review, and
        a press office has a handful at a time.
        """
        waiting = self.in_review().order_by("updated_at")
        if settings.PRESSDESK_ALLOW_SELF_APPROVAL:
            return waiting
        theirs = [release.pk for release in waiting if release.written_in_part_by(user)]
        return waiting.exclude(pk__in=theirs)

    def ready_to_publish(self):
        """Approved releases, waiting for a publisher."""
        return self.approved().order_by("updated_at")

    def drafted_by(self, user):
        """Drafts `user` started, most recently touched first."""
        return self.drafts().filter(created_by=user).order_by("-updated_at")

    def scheduled_soonest(self):
        """Scheduled releases in the order they go public."""
        return self.scheduled().order_by("publish_at", "pk")

    def recently_published(self):
        """Releases the public sees now, newest first."""
        return self.published().newest_first()

    def with_submission(self):
        """Each row annotated with who last submitted it for review (`submitted_by_name`) and
        when (`submitted_at`): the dashboard's "submitter and age", in the same query."""
        submitted = WorkflowLogEntry.objects.filter(
            release=OuterRef("pk"), to_status=Release.Status.IN_REVIEW
        ).order_by("-created_at", "-pk")
        return self.annotate(
            submitted_by_name=Subquery(submitted.values("actor__username")[:1]),
            submitted_at=Subquery(submitted.values("created_at")[:1]),
        )

    def with_send_back_comment(self):
        """Each row annotated with the comment of its last send-back (`send_back_comment`),
        in the same query."""
        sent_back = WorkflowLogEntry.objects.filter(
            release=OuterRef("pk"),
            from_status=Release.Status.IN_REVIEW,
            to_status=Release.Status.DRAFT,
        ).order_by("-created_at", "-pk")
        return self.annotate(send_back_comment=Subquery(sent_back.values("comment")[:1]))

    def sent_back_to(self, user):
        """Drafts whose last transition was a reviewer's send-back, of a submission by `user`."""

        def last_entry(**filters):
            return WorkflowLogEntry.objects.filter(release=OuterRef("pk"), **filters).order_by(
                "-created_at", "-pk"
            )

        return (
            self.drafts()
            .annotate(
                last_from=Subquery(last_entry().values("from_status")[:1]),
                last_submitter=Subquery(
                    last_entry(to_status=Release.Status.IN_REVIEW).values("actor")[:1]
                ),
            )
            .filter(last_from=Release.Status.IN_REVIEW, last_submitter=user.pk)
            .order_by("updated_at")
        )

    # --- The quality gate's summary, as each latest revision stored it (myths/quality.py) -------

    def with_latest_quality(self):
        """Annotate `latest_quality`: the gate's {"block": n, "warn": n} summary stored on each
        release's latest revision. One subquery for any number of rows; no check is run."""
        latest = Revision.objects.filter(release=OuterRef("pk")).order_by("-number")
        return self.annotate(
            latest_quality=Subquery(latest.values("quality")[:1], output_field=models.JSONField())
        )

    def quality(self, level: str):
        """Releases whose latest revision has blocking problems ("block"), only warnings
        ("warn"), or neither ("clean"), by the summary that revision stored."""
        latest_pk = Revision.objects.filter(release=OuterRef("release")).order_by("-number")
        latest = Revision.objects.filter(pk=Subquery(latest_pk.values("pk")[:1]))
        blocked = latest.filter(quality__block__gt=0).values("release")
        warned = latest.filter(quality__warn__gt=0).values("release")
        if level == "block":
            return self.filter(pk__in=blocked)
        if level == "warn":
            return self.filter(pk__in=warned).exclude(pk__in=blocked)
        if level == "clean":
            return self.exclude(pk__in=blocked).exclude(pk__in=warned)
        raise ValueError(f"Unknown quality level {level!r}")


def _positions_close(model, rows, groups=None) -> None:
    """Give `rows` (one ordered list, or several in `groups`) the positions 1..n; write only
    the rows whose position changes."""
    changed = []
    for group in (groups or {None: rows}).values():
        for number, row in enumerate(group, start=1):
            if row.position != number:
                row.position = number
                changed.append(row)
    if changed:
        model.objects.bulk_update(changed, ["position"])


def page_pick(slug: str, rows) -> tuple:
    """(the release at `slug`, its other language versions, previous, next) among `rows`
    (ReleaseQuerySet.page_rows); the release is None if no row is at `slug`.

    The previous release is the nearest row before it by (public date, id): the true neighbour is
    among the rows and no other row before it is nearer (likewise after)."""
    release = next((r for r in rows if r.slug == slug), None)
    if release is None:
        return None, [], None, None
    key = (release.public_date, release.pk)
    versions = [r for r in rows if r.pk != release.pk and r.language_root == release.language_root]
    before = [r for r in rows if (r.public_date, r.pk) < key]
    after = [r for r in rows if (r.public_date, r.pk) > key]
    previous = max(before, key=lambda r: (r.public_date, r.pk), default=None)
    following = min(after, key=lambda r: (r.public_date, r.pk), default=None)
    return release, versions, previous, following


def _row_compare(operator: str, public_date, pk) -> Func:
    """`(public date, id) < (public_date, pk)` (or `>`) for published() rows: a row comparison,
    which PostgreSQL reads as one bound of the date index (public_date, release_id), so a walk
    from a release starts at it. `a < x OR (a = x AND b < y)` would bound the date only, and
    releases issued at the same moment (a batch imported with one date) would each be read to be
    skipped.
    """
    row = "(%(expressions)s)"
    return Func(
        Func(F("public_date"), F("public_key"), template=row),
        Func(_expression(public_date), _expression(pk), template=row),
        arg_joiner=f" {operator} ",
        template="%(expressions)s",
        output_field=models.BooleanField(),
    )


def _expression(value):
    return value if hasattr(value, "resolve_expression") else Value(value)


def _public_revision():
    """The revision a published() row shows, for correlated subqueries."""
    # order_by(): Revision's default ordering joins myths_release, whose unaliased name would
    # then capture the outer query's release columns.
    return Revision.objects.filter(pk=OuterRef("public_revision_id")).order_by()


def _public_revision_ids():
    """A subquery of the revisions the public may see: one per published release."""
    return Release.objects.published().values("public_revision_id")


class ReleaseStatus(models.TextChoices):
    """A release's place in the workflow (`Release.Status`; only myths/workflow.py assigns it)."""

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Release(models.Model):
    """One dated myth-busting publication. Its fields are the editors' working copy."""

    # At module level so that Meta (a scope of its own) can name a state in an index condition.
    Status = ReleaseStatus

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
        _("more information sentence"),
        max_length=500,
        blank=True,
        help_text=_(
            "The sentence that introduces the link, as the editor wrote it, e.g. 'For more "
            "information, please visit our portal:'. The address is printed in full after it."
        ),
    )
    status = models.CharField(
        _("review status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        editable=False,
        db_index=True,
    )
    source_sha256 = models.CharField(
        _("imported text's fingerprint"),
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_("SHA-256 of the text the release was imported from, to spot a re-import."),
    )
    office = models.ForeignKey(
        "contacts.PressOffice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="releases",
        verbose_name=_("press office"),
        help_text=_(
            "The office that issues the release: its letterhead, dateline, reference numbers and "
            "boilerplate. The default office when left empty."
        ),
    )
    reference = models.CharField(
        _("reference"),
        max_length=80,
        blank=True,
        editable=False,
        help_text=_("Given on first publication from the office's pattern, e.g. PR/2017/014."),
    )
    notes_to_editors = models.TextField(
        _("notes to editors"),
        blank=True,
        max_length=5000,
        help_text=_(
            "Background for journalists, printed after ENDS: one note per paragraph. Markdown."
        ),
    )
    valid_as_of = models.DateField(
        _("facts valid as of"),
        null=True,
        blank=True,
        help_text=_("Optional: the date the figures and facts in the release were checked."),
    )
    # The dateline: "LONDON, 12 March 2024 — …". Read by the importer; a publisher may back-date it
    # for an archive release (workflow.release_issued_set, logged).
    dateline_place = models.CharField(
        _("dateline place"),
        max_length=100,
        blank=True,
        help_text=_("Where the release was issued, as its dateline gives it, e.g. LONDON."),
    )
    issued_on = models.DateField(
        _("issued on"),
        null=True,
        blank=True,
        help_text=_(
            "The date of the dateline. Filled in on first publication when empty; a publisher "
            "sets an earlier one for an archive release (logged as back-dated)."
        ),
    )
    # The moment of issue that feeds, the sitemap, structured data and the lists use: the first
    # publication, or the issued date at the time of day it went public (a back-dated release).
    # Only myths/workflow.py writes it, with issued_on, so the two always tell the same date.
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
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
        indexes = [
            models.Index(fields=["status", "publish_at"]),
            # The page cache's horizon (myths/public/cache.py): the next scheduled or expiry
            # time is the first entry of one of these, not a scan of every release.
            models.Index(
                fields=["publish_at"],
                condition=Q(scheduled_revision__isnull=False) & ~Q(status=ReleaseStatus.WITHDRAWN),
                name="release_due_time",
            ),
            models.Index(
                fields=["expire_at"],
                condition=Q(expire_at__isnull=False) & ~Q(status=ReleaseStatus.WITHDRAWN),
                name="release_expiry_time",
            ),
            # The public date (ReleaseQuerySet.published), newest first: the sitemap's lastmod.
            models.Index(
                Coalesce("first_published_at", "publish_at"), name="myths_release_public_date"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"],
                condition=~Q(reference=""),
                name="myths_release_unique_reference",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title, fallback=self.lede)
        if self.office_id is None:
            self.office = PressOffice.objects.default()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return canonical_path("myths:release-detail", slug=self.slug)

    def positions_renumber(self) -> None:
        """Number the responses 1..n in their order (position, then age), and each response's
        figures and sources 1..n the same way: the order typed, posted or dragged is kept and
        the gaps are closed. Three reads and at most three bulk writes, whatever the size."""
        responses = list(self.responses.order_by("position", "pk"))
        _positions_close(Response, responses)
        for model in (Figure, Source):
            rows = model.objects.filter(response__release=self).order_by(
                "response_id", "position", "pk"
            )
            groups: dict[int, list] = {}
            for row in rows:
                groups.setdefault(row.response_id, []).append(row)
            _positions_close(model, [row for group in groups.values() for row in group], groups)

    @property
    def time_zone(self) -> ZoneInfo:
        """The office's time zone, in which the release's dates are given (else the site's)."""
        name = self.office.time_zone if self.office_id else settings.TIME_ZONE
        return ZoneInfo(name)

    def issued_date(self) -> date | None:
        """The date of the dateline: `issued_on`, else the day (in the office's time zone) the
        release went or goes public; None for a release never published nor scheduled."""
        if self.issued_on:
            return self.issued_on
        moment = self.issued_at or self.first_published_at or self.publish_at
        return timezone.localtime(moment, self.time_zone).date() if moment else None

    def has_gone_public(self) -> bool:
        """Whether the public has seen the release: first published, or scheduled with its publish
        time come (public without cron, see published(), before the scheduler records it)."""
        if self.first_published_at is not None:
            return True
        return (
            self.scheduled_revision_id is not None
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_translation(self) -> bool:
        return self.translation_of_id is not None

    def written_in_part_by(self, user, *, latest: "Revision | None" = None) -> bool:
        """Whether `user` saved the latest revision, or authored any revision that changed the
        content since the last approved or published one: the four-eyes rule's test
        (workflow.release_approve, and the dashboard's awaiting_review_by).

        Every change counts, however small or however early in the round (a reviewer who wrote
        the whole release may not approve it after a writer adds a full stop, nor after the
        writer resubmits), and claim fields count as the release's content (their edits are
        credited to whoever made them, workflow.claim_edit_saved). A later unchanged save by
        someone else does not make their text someone else's. With nothing ever approved or
        published, the whole history counts. `latest` saves a query when known.
        """
        latest = latest or self.revisions.order_by("-number").first()
        if latest is None:
            return False
        if latest.author_id == user.pk:
            return True
        reviewed = (
            self.log_entries.filter(
                to_status__in=[
                    Release.Status.APPROVED,
                    Release.Status.SCHEDULED,
                    Release.Status.PUBLISHED,
                ],
                revision__isnull=False,
            )
            .order_by("-created_at", "-pk")
            .values_list("revision__number", flat=True)
            .first()
        )
        # From the reviewed revision itself, to tell whether the one after it changed anything.
        since = reviewed or 0
        revisions = self.revisions.filter(number__gte=since).order_by("number")
        previous = None
        for revision in revisions.only("number", "author", "content"):
            changed = previous is None or previous.content != revision.content
            if revision.number > since and revision.author_id == user.pk and changed:
                return True
            previous = revision
        return False


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
    # A translation's response renders one claim of the original (myths/translations.py): the
    # claim may be replaced by one worded in the translation's language, the link stays.
    source_claim = models.ForeignKey(
        Claim,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("claim of the original"),
        help_text=_("In a translation: the original's claim this response renders."),
    )
    source_revision = models.ForeignKey(
        "Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("translated from revision"),
        help_text=_(
            "In a translation: the original's revision whose text this response last rendered."
        ),
    )

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
        self.body_html = render_markdown(self.body, language=self.release.language)
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


# PostgreSQL's text-search configuration for each language it stems; any other language (Ukrainian
# among them) is searched word for word with `simple`.
SEARCH_CONFIGS = {
    "en": "english",
    "fr": "french",
    "de": "german",
    "es": "spanish",
    "ru": "russian",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
}


def search_config(language: str | None) -> str:
    """The text-search configuration for `language` (e.g. "ru-ru" or "ru" → "russian")."""
    code = (language or "").lower().replace("_", "-").split("-")[0]
    return SEARCH_CONFIGS.get(code, "simple")


class SearchConfigField(models.CharField):
    """A PostgreSQL text-search configuration name: a `regconfig` column there, text elsewhere.

    Stored as regconfig so `to_tsvector(search_config, …)` is immutable and can be indexed
    (casting text to regconfig is not); see myths/public/search.py.
    """

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "regconfig"
        return super().db_type(connection)


class SearchDocument(models.Func):
    """A revision's weighted full-text vector (title A, lede B, search text C) in its own
    language's configuration (`search_config`), for Revision.search_document.

    PostgreSQL computes and stores it whenever the row is written, so search ranks the stored
    vector and never parses a match's text again. Elsewhere (SQLite in development) the column
    stays NULL: myths/public/search.py searches `search_text` there.
    """

    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(
            _weighted("title", "A"),
            _weighted("lede", "B"),
            _weighted("search_text", "C"),
            template="(%(expressions)s)",
            arg_joiner=" || ",
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []


def _weighted(column: str, weight: str) -> models.Func:
    """setweight(to_tsvector(search_config, coalesce(column, '')), weight)."""
    document = models.Func(
        F("search_config"),
        Coalesce(F(column), models.Value(""), output_field=models.TextField()),
        function="to_tsvector",
        output_field=SearchVectorField(),
    )
    return models.Func(
        document, models.Value(weight), function="setweight", output_field=SearchVectorField()
    )


class Revision(models.Model):
    """A snapshot of a whole release (responses, figures, sources, contact) at one save.

    `content` is the snapshot (myths/revisions/content.py writes and reads it); title, lede, slug,
    search_text and search_config are copied out of it so lists and search never parse JSON, and
    PostgreSQL keeps the weighted search vector of the three texts in `search_document`.
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
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        blank=True,
        db_index=True,
        help_text=_("The release's slug when saved: an address that redirects to the current one."),
    )
    search_config = SearchConfigField(
        _("search configuration"),
        max_length=40,
        default="simple",
        help_text=_("The text-search configuration of the release's language, e.g. russian."),
    )
    quality = models.JSONField(
        _("quality"),
        default=dict,
        blank=True,
        help_text=_(
            "What the quality gate found when saved: counts of blocking problems and warnings."
        ),
    )
    # The GIN index on it is created by migration 0010 on PostgreSQL only (SQLite has no GIN).
    search_document = models.GeneratedField(
        expression=SearchDocument(),
        output_field=SearchVectorField(null=True),
        db_persist=True,
        verbose_name=_("search document"),
        help_text=_("The weighted full-text vector of the title, lede and text (PostgreSQL)."),
    )

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


class RevisionAnswerQuerySet(models.QuerySet):
    """Reads of the revision index for the public site: the myth register and its topics."""

    def public(self):
        """Answers recorded by published revisions only: the myth register's raw material."""
        return self.filter(revision_id__in=_public_revision_ids())

    def with_verdict_style(self):
        """Annotate each answer with `verdict_style`, how its release's office presents verdicts
        (PressOffice.verdict_style; None for a release without an office): the register and the
        claim pages follow the office of the release. A join, no query per row."""
        return self.annotate(verdict_style=F("revision__release__office__verdict_style"))

    def renamed_from(self, slug: str):
        """The register row of a claim that was public at `slug` before a rename, or None.

        Old releases and outside links keep pointing at a claim's earlier address; they are sent
        on to its current one. Only a slug recorded by a published release's public revision or an
        earlier one counts: a slug that only a later, unpublished revision recorded is not revealed.
        """
        recorded = list(
            self.filter(slug=slug)
            .order_by()
            .values_list("claim_id", "revision__release_id", "revision__number")
        )
        if not recorded:
            return None
        public_numbers = dict(
            Release.objects.published()
            .filter(pk__in={release_id for _claim, release_id, _number in recorded})
            .annotate(public_number=Subquery(_public_revision().values("number")[:1]))
            .values_list("pk", "public_number")
        )
        claim_ids = {
            claim_id
            for claim_id, release_id, number in recorded
            if release_id in public_numbers and number <= public_numbers[release_id]
        }
        if not claim_ids:
            return None
        return (
            RegisterEntry.objects.current()
            .filter(claim_id__in=claim_ids)
            .order_by("-answered_on", "claim_id")
            .first()
        )

    def topic_choices(self) -> list[tuple[str, str]]:
        """(slug, name) of the topics these answers recorded, by name: one query.

        Chained after public(): a topic added to a claim, or renamed, after
        publication is not offered until published.
        """
        topics = {}
        for recorded in self.order_by("-revision_id").values_list("topics", flat=True):
            for slug, name in recorded or []:
                topics.setdefault(slug, name)
        return sorted(topics.items(), key=lambda item: (item[1].casefold(), item[0]))


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

    objects = RevisionAnswerQuerySet.as_manager()

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
        return canonical_path("myths:claim-detail", slug=self.slug)

    @property
    def topic_list(self) -> list[tuple[str, str]]:
        return [(slug, name) for slug, name in self.topics or []]


def topic_slugs_text(topics) -> str:
    """[[slug, name], …] as "|slug|slug|" (empty without topics), for RevisionAnswer.topic_slugs."""
    slugs = [slug for slug, _name in topics or []]
    return f"|{'|'.join(slugs)}|" if slugs else ""


class PublicReleaseQuerySet(models.QuerySet):
    """Reads of the public index (PublicRelease): which rows are visible at a moment."""

    def visible(self, now=None):
        """Entries the public sees at `now` (default: now): visible_from <= now < visible_until,
        an empty bound meaning "open"."""
        return self.filter(visible_at(timezone.now() if now is None else now))

    def hidden(self, now=None):
        """Entries not visible at `now`: scheduled ones still to come and expired ones. Few rows,
        found through the indexes on both bounds."""
        now = timezone.now() if now is None else now
        return self.filter(Q(visible_from__gt=now) | Q(visible_until__lte=now))

    def next_change(self, now):
        """The next moment after `now` when an entry appears or disappears, or None: when the
        public content changes by itself (a scheduled release falls due, a release expires).

        Two index scans, whatever the size of the archive.
        """
        # Two ordered scalar subqueries, each the first row of a bound's index: MIN() with a
        # FILTER would read every row.
        first = {
            bound: Subquery(self.filter(**{f"{bound}__gt": now}).order_by(bound).values(bound)[:1])
            for bound in ("visible_from", "visible_until")
        }
        row = self.order_by().values_list(*first.values())[:1]
        moments = [moment for moment in next(iter(row), ()) if moment is not None]
        return min(moments) if moments else None


def visible_at(now, prefix: str = "") -> Q:
    """The condition for a PublicRelease (reached through `prefix`) to be visible at `now`.

    Through a relation, the entry must exist: the open bounds test for NULL, which on their own
    would let Django make the join an outer one and match a release with no entry at all.
    """
    condition = (
        Q(**{f"{prefix}visible_from__isnull": True}) | Q(**{f"{prefix}visible_from__lte": now})
    ) & (Q(**{f"{prefix}visible_until__isnull": True}) | Q(**{f"{prefix}visible_until__gt": now}))
    if prefix:
        condition &= Q(**{f"{prefix}id__isnull": False})
    return condition


class PublicRelease(models.Model):
    """One revision of a release that is, or will be, public, with when: the public index.

    Written by the workflow in the transaction of every change of what is public
    (myths/public_index.py, called from workflow._public_changed), and rebuilt from the releases
    by `manage.py refresh_public_index`. A release has at most one visible entry at any moment:
    its live revision until its scheduled one falls due, then that one, both ending at its expiry
    time. So scheduled publication and expiry need no cron: readers compare the bounds with now.

    Everything a list, a feed or the previous/next links show is copied here from the revision
    (title, lede, language, translation link, number of myths, topics), so those pages read one
    indexed table and never a revision's JSON. Release.objects.published() joins it.
    """

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="public_entries", verbose_name=_("release")
    )
    revision = models.ForeignKey(
        Revision, on_delete=models.CASCADE, related_name="+", verbose_name=_("revision")
    )
    # Empty bounds are open: visible already, or with no end.
    visible_from = models.DateTimeField(_("visible from"), null=True, blank=True)
    visible_until = models.DateTimeField(_("visible until"), null=True, blank=True)
    # First publication, else the publish time: what lists sort by.
    public_date = models.DateTimeField(_("first published"))
    title = models.CharField(_("title"), max_length=200)
    lede = models.TextField(_("lede"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    translation_of = models.ForeignKey(
        Release,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("translation of"),
    )
    # The original's id, or the release's own if it is no translation: its language versions.
    language_root = models.PositiveIntegerField(_("translation of"), db_index=True)
    myth_count = models.PositiveSmallIntegerField(_("number"), default=0)
    topic_slugs = models.TextField(_("topic slugs"), blank=True)

    objects = PublicReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("public index entry")
        verbose_name_plural = _("public index entries")
        indexes = [
            # Newest first, and the previous/next links: walked in order, never sorted.
            # The visibility bounds ride along, so deep pages count their offset in the index
            # alone (from_position).
            models.Index(
                fields=["public_date", "release", "visible_from", "visible_until"],
                name="myths_public_date",
            ),
            models.Index(
                fields=["language", "public_date", "release", "visible_from", "visible_until"],
                name="myths_public_lang",
            ),
            models.Index(fields=["visible_from"], name="myths_public_from"),
            models.Index(fields=["visible_until"], name="myths_public_until"),
        ]

    def __str__(self):
        return f"{self.title} ({self.visible_from or '…'} – {self.visible_until or '…'})"


class PublicReleaseCountQuerySet(models.QuerySet):
    def snapshot(self, now=None) -> "PublicCounts":
        """How many releases the public sees now, by topic and language, and the topics to offer:
        one query, whatever the size of the archive (the counters, and the few hidden entries
        to take off them)."""
        return PublicCounts(list(self.snapshot_rows(now)))

    def snapshot_rows(self, now=None):
        """The rows a PublicCounts is made of (snapshot()), as one UNION query."""
        now = timezone.now() if now is None else now
        counters = self.annotate(kind=models.Value("c")).values_list(
            "kind", "topic_slug", "topic_name", "language", "count"
        )
        hidden = (
            PublicRelease.objects.hidden(now)
            .annotate(
                kind=models.Value("h"),
                no_name=models.Value(""),
                one=models.Value(1, output_field=models.IntegerField()),
            )
            .values_list("kind", "topic_slugs", "no_name", "language", "one")
        )
        return counters.order_by().union(hidden.order_by(), all=True)


class PublicCounts:
    """A snapshot of PublicReleaseCount, hidden entries taken off (see snapshot())."""

    def __init__(self, rows):
        self._counts: dict[tuple[str, str], int] = {}
        self._names: dict[str, str] = {}
        for kind, topic, name, language, count in rows:
            if kind == "c":
                self._counts[topic, language] = self._counts.get((topic, language), 0) + count
                if topic and name:
                    self._names[topic] = name
            else:
                for bucket in public_buckets(topic, language):
                    self._counts[bucket] = self._counts.get(bucket, 0) - count

    def count(self, *, topic: str = "", language: str = "") -> int:
        """How many releases are public now with `topic` (any if empty) in `language` (any)."""
        return max(0, self._counts.get((topic or "", language or ""), 0))

    def topic_choices(self) -> list[tuple[str, str]]:
        """(slug, name) of the topics of the releases public now, by name."""
        topics = [
            (slug, self._names.get(slug, slug))
            for (slug, language), count in self._counts.items()
            if slug and not language and count > 0
        ]
        return sorted(topics, key=lambda item: (item[1].casefold(), item[0]))


def public_buckets(topic_slugs: str, language: str) -> list[tuple[str, str]]:
    """The (topic, language) counters an entry with these topics ("|a|b|") and language counts
    in: every release, its language, each of its topics, each topic in its language."""
    buckets = [("", ""), ("", language)]
    for slug in filter(None, (topic_slugs or "").split("|")):
        buckets += [(slug, ""), (slug, language)]
    return buckets


class PublicReleaseCount(models.Model):
    """How many public index entries have a topic and a language ("" meaning any): the counts
    of the release list and its filters, and the topics it offers, without counting the archive.

    Kept by the workflow with the index (myths/public_index.py); entries not visible now (a
    scheduled release, an expired one) are counted here and taken off when read (snapshot()).
    """

    topic_slug = models.SlugField(_("topic"), max_length=100, blank=True)
    topic_name = models.CharField(_("topic name"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    count = models.IntegerField(_("count"), default=0)

    objects = PublicReleaseCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("public count")
        verbose_name_plural = _("public counts")
        constraints = [
            models.UniqueConstraint(
                fields=["topic_slug", "language"], name="myths_publicreleasecount_once"
            )
        ]

    def __str__(self):
        return f"{self.topic_slug or '*'}/{self.language or '*'}: {self.count}"


# The open ends of a register row's time of validity: stored as far-off moments rather than NULL,
# so "valid now" is two plain comparisons an index can serve.
ALWAYS = datetime(1900, 1, 1, tzinfo=UTC)
NEVER = datetime(9999, 1, 1, tzinfo=UTC)


class RegisterEntryQuerySet(models.QuerySet):
    def current(self, now=None):
        """The myth register as the public sees it now: for each claim with a published answer,
        its latest one (one row per claim). Rows are written with the time they are valid in
        (myths/register.py), so a scheduled release falling due or expiring changes the register
        with no cron job and no write."""
        now = now or timezone.now()
        return self.filter(visible_from__lte=now, visible_until__gt=now)

    def with_verdict_style(self):
        """Annotate each row with `verdict_style`, how its answer's release's office presents
        verdicts (PressOffice.verdict_style): the register and the claim pages follow the office
        of the release. No query per row: a subquery by primary key, evaluated for the rows
        returned only, and left out of count() (a join would be counted over every row)."""
        style = (
            Revision.objects.filter(pk=OuterRef("revision_id"))
            .order_by()
            .values("release__office__verdict_style")
        )
        return self.annotate(verdict_style=Subquery(style[:1]))

    def at_positions(self, entries, start: int, stop: int, *, from_end: bool = False):
        """These rows at positions start..stop-1 of the register's order (wording, then claim),
        or of the reverse order: for deep pages. `entries` are current() rows matching the same
        filters, without annotations; the positions are counted in the covering index
        `myths_register_walk` alone (an index-only walk), and only the rows kept are read in
        full: by claim, which the index holds and which has one row valid at a time. One
        query."""
        order = ("-wording", "-claim_id") if from_end else ("wording", "claim_id")
        return self.filter(claim_id__in=entries.order_by(*order)[start:stop].values("claim_id"))


class RegisterEntry(models.Model):
    """One row of the myth register: a claim's latest published answer, over the time
    [`visible_from`, `visible_until`) in which it is that.

    Precomputed by myths/register.py in the transaction of every workflow change to what is
    public (and by `manage.py refresh_public_register`), so the register, the claim pages and
    the sitemap read it instead of comparing every published release with every answer. Wording,
    slug, topics and verdict are what that answer's revision recorded (an original's answer before
    any translation's), never the Claim working copy.
    """

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="register_entries", verbose_name=_("claim")
    )
    answer = models.ForeignKey(
        RevisionAnswer, on_delete=models.CASCADE, related_name="+", verbose_name=_("answer")
    )
    revision = models.ForeignKey(
        Revision, on_delete=models.CASCADE, related_name="+", verbose_name=_("revision")
    )
    verdict = models.CharField(
        _("verdict"), max_length=20, choices=Response.Verdict.choices, blank=True
    )
    wording = models.CharField(_("wording"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    topic_slugs = models.TextField(_("topic slugs"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    answered_on = models.DateTimeField(
        _("answered on"), null=True, help_text=_("The public date of the answering release.")
    )
    updated_on = models.DateTimeField(
        _("updated on"),
        null=True,
        help_text=_("The latest public date of the releases answering the claim."),
    )
    release_count = models.PositiveIntegerField(_("published answers"), default=0)
    release_ids = models.JSONField(
        _("answering releases"),
        default=list,
        help_text=_("The published releases answering the claim in this time."),
    )
    visible_from = models.DateTimeField(_("valid from"), default=ALWAYS)
    visible_until = models.DateTimeField(_("valid until"), default=NEVER)

    objects = RegisterEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        indexes = [
            # The register's order, covering what a page is filtered on: a page is the first rows
            # of this index, from either end, that are valid now (and have the topic), and a deep
            # page counts the rows it skips in the index alone (RegisterEntryQuerySet.at_positions).
            models.Index(
                fields=["wording", "claim", "visible_from", "visible_until", "topic_slugs"],
                name="myths_register_walk",
            ),
            # A claim page and the sitemap's pages read the slug's and the claim's own indexes.
            # The moments the register changes by itself (myths/register.py).
            models.Index(fields=["visible_from"], name="myths_register_from"),
            models.Index(fields=["visible_until"], name="myths_register_until"),
            # The summary's latest change is the first valid row of this index walked backwards.
            models.Index(fields=["updated_on"], name="myths_register_updated"),
        ]

    def __str__(self):
        return self.wording or str(self.claim_id)

    def get_absolute_url(self):
        """The claim's register page, at the slug its latest published answer recorded."""
        return canonical_path("myths:claim-detail", slug=self.slug)

    @property
    def topic_list(self) -> list[tuple[str, str]]:
        return [(slug, name) for slug, name in self.topics or []]


class RegisterSummaryQuerySet(models.QuerySet):
    def current(self, now=None):
        """The summary valid now, or None when nothing was ever published."""
        return self.valid_at(now or timezone.now()).first()

    def valid_at(self, now):
        """The summaries valid at `now` (one at most), in current()'s order."""
        return self.filter(visible_from__lte=now, visible_until__gt=now).order_by("pk")


class RegisterSummary(models.Model):
    """What the register page and the sitemap index need of the whole register, precomputed with
    it (myths/register.py) for each time between two moments it changes by itself: how many
    claims it lists, the topics it offers and how many claims each has, its highest claim id and
    its latest change.

    `topics` holds [slug, name, claims, revision id] by name: the name is the one the latest
    revision (the id) recorded, which the workflow needs to keep it when rows come and go.
    """

    visible_from = models.DateTimeField(_("valid from"), default=ALWAYS)
    visible_until = models.DateTimeField(_("valid until"), default=NEVER)
    claim_count = models.PositiveIntegerField(_("claims"), default=0)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    last_claim_id = models.PositiveIntegerField(_("highest claim id"), default=0)
    updated_on = models.DateTimeField(_("latest change"), null=True)

    objects = RegisterSummaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("register summary")
        verbose_name_plural = _("register summaries")
        indexes = [models.Index(fields=["visible_from"], name="myths_registersummary_from")]

    def __str__(self):
        return f"{self.claim_count} claims from {self.visible_from:%Y-%m-%d %H:%M}"

    @property
    def topic_choices(self) -> list[tuple[str, str]]:
        return [(slug, name) for slug, name, _claims, _revision in self.topics or []]

    def topic_count(self, slug: str) -> int:
        """How many claims the register lists under the topic `slug`."""
        return next((claims for s, _name, claims, _rev in self.topics or [] if s == slug), 0)


class RevisionMediaQuerySet(models.QuerySet):
    def public(self):
        """Files shown by a revision the public can see now: what the media view may serve."""
        return self.filter(revision_id__in=_public_revision_ids())


class RevisionMedia(models.Model):
    """A file under MEDIA_ROOT that a revision shows: a figure, or an image in a response body.

    An index of `Revision.content`, written with the revision, so the media view can tell in one
    query whether a file belongs to something public (RevisionMedia.objects.public()).
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

    objects = RevisionMediaQuerySet.as_manager()

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
    # Issue 13: the entry that gave the release an issued date before its first publication day
    # (an archive release), so a back-dated release can be told from the log alone.
    back_dated = models.BooleanField(
        _("back-dated"),
        default=False,
        help_text=_("The release's issued date was set before the day it first went public."),
    )
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


class PdfRenderFailure(models.Model):
    """A revision whose PDF could not be made under the present limits (myths/pdf/render.py).

    Public requests answer 503 at once while this row exists, instead of laying the document out
    again on every request; staff who download the PDF retry it, and a success deletes the row.
    `fingerprint` covers the template and the limits, so a new template or a raised limit retries.
    """

    revision = models.ForeignKey(
        Revision,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("revision"),
    )
    fingerprint = models.CharField(
        _("template and limits"),
        max_length=32,
        help_text=_("The PDF template's version and the limits the render failed under."),
    )
    message = models.TextField(_("message"), help_text=_("Why the PDF could not be made."))
    failed_at = models.DateTimeField(_("failed at"), default=timezone.now)

    class Meta:
        verbose_name = _("PDF render failure")
        verbose_name_plural = _("PDF render failures")
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "fingerprint"], name="myths_pdfrenderfailure_once"
            )
        ]

    def __str__(self):
        return f"{self.revision}: {self.message[:60]}"


class ResponseCommentQuerySet(models.QuerySet):
    def open(self):
        """Comments no writer has resolved yet."""
        return self.filter(resolved_at__isnull=True)

    def for_page(self):
        """With what a comment list shows (author, resolver, claim), fetched up front."""
        return self.select_related("author", "resolved_by", "response", "claim").order_by(
            "created_at", "pk"
        )


class ResponseComment(models.Model):
    """A reviewer's comment on one claim's response of a release, at the revision they read,
    until a writer resolves it (myths/comments.py writes both)."""

    release = models.ForeignKey(
        Release,
        on_delete=models.CASCADE,
        related_name="response_comments",
        verbose_name=_("release"),
    )
    # The response may be removed later; the comment stays in the release's history, naming its
    # claim.
    response = models.ForeignKey(
        Response,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("response"),
    )
    claim = models.ForeignKey(
        Claim,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("claim"),
        help_text=_("The claim the response answered when the comment was made."),
    )
    revision_number = models.PositiveIntegerField(
        _("revision"), help_text=_("The number of the revision the reviewer was reading.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    text = models.TextField(_("comment"), help_text=_("What should change in this answer."))
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    objects = ResponseCommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment on a response")
        verbose_name_plural = _("comments on responses")
        ordering = ["created_at", "pk"]
        permissions = [("resolve_responsecomment", _("Can resolve a comment on a response"))]

    def __str__(self):
        return self.text[:60]


class LinkCheck(models.Model):
    """The last time an outbound link was checked, and what answered (myths/links.py).

    One row per URL, shared by every release that links to it; the quality gate reads it.
    """

    url = models.URLField(_("address"), max_length=1000, unique=True)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    final_url = models.URLField(
        _("final address"), max_length=1000, blank=True, help_text=_("Where redirects led.")
    )
    error = models.CharField(
        _("error"),
        max_length=40,
        blank=True,
        help_text=_("timeout, reset, refused, private_address, scheme, too_many_redirects…"),
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")

    def __str__(self):
        return f"{self.url}: {self.status_code or self.error}"


class ReleaseNoticeQuerySet(models.QuerySet):
    def public(self):
        """Notices readers see: corrections and clarifications. A typography fix is silent."""
        return self.exclude(kind=ReleaseNotice.Kind.TYPOGRAPHY)

    def shown_with(self, revision):
        """The public notices a page showing `revision` lists, newest first: those of its
        release published with it or an earlier revision, once their time has come.

        A correction scheduled with a later revision stays out until that revision goes public.
        """
        return self.shown_at(revision.release_id, revision.number)

    def shown_at(self, release_id: int, number: int):
        """shown_with() for the revision `number` of release `release_id`, known without it."""
        return (
            self.public()
            .filter(
                release_id=release_id,
                revision__number__lte=number,
                published_at__lte=timezone.now(),
            )
            .order_by("-published_at", "-pk")
        )


class ReleaseNotice(models.Model):
    """What a republication of a published release changed, and why: a correction or a
    clarification, shown dated on the page, in the PDF and the feed, or a silent fix of typography
    (kept here for the record, shown nowhere; the workflow refuses one that changes a word)."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        CLARIFICATION = "clarification", _("Clarification")
        TYPOGRAPHY = "typography", _("Typography fix (no words changed)")

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="notices")
    revision = models.ForeignKey(
        Revision,
        on_delete=models.PROTECT,
        related_name="notices",
        verbose_name=_("revision"),
        help_text=_("The revision published with this notice."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    note = models.TextField(
        _("public note"),
        blank=True,
        max_length=2000,
        help_text=_("What changed and why, as readers will see it. Required for a correction."),
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    objects = ReleaseNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("release notice")
        verbose_name_plural = _("release notices")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["release", "-published_at"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.release}"

    @property
    def is_public(self) -> bool:
        return self.kind != self.Kind.TYPOGRAPHY

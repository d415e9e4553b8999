"""The benchmark's data: published releases of five claims each, in three languages, at any size.

A few *model* releases are written and published through the workflow (myths/workflow.py, by
tests.factories.arrange_state: a writer saves a revision and submits, a reviewer approves, a
publisher publishes). Every other release is a copy of one of them made in bulk, row for row as the
workflow left the model: the working copy (release, responses, figures, sources), one revision whose
snapshot, search text, RevisionAnswer and RevisionMedia rows are derived exactly as
myths.revisions.revision_create derives them, and the three log entries of submit, approve and
publish. Each copy has its own title, slug, date and claims (four new claims and one long-running
myth answered again, out of a pool), and its own topics; figures share the models' image files.

One word, RARE_WORD, is in one release only; COMMON_WORD is in every release.
"""

import math
import time
from datetime import timedelta
from types import SimpleNamespace

from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

LANGUAGES = ("en", "fr", "de")
TOPICS = (
    "Water",
    "Energy",
    "Health",
    "Transport",
    "Schools",
    "Housing",
    "Elections",
    "Food safety",
    "Climate",
    "Budget",
    "Harbour works",
    "Public order",
)
MODELS = 6  # releases published through the workflow, two per language
CLAIMS_PER_RELEASE = 5
RARE_WORD = "quokkas"
COMMON_WORD = "harbour"
BATCH = 1000  # copies per transaction
INTERVAL = timedelta(minutes=5)  # between two copies' dates: 100,000 span a year
NUMBERS = 1_000_000  # copy numbers stay below this: the last would be dated a day ago

TITLES = {
    "en": "Five myths about {topic}, answered (no. {n})",
    "fr": "Cinq idées reçues sur {topic}, démêlées (n° {n})",
    "de": "Fünf Mythen über {topic}, geprüft (Nr. {n})",
}
LEDES = {
    "en": "Rumours about the harbour keep coming back. Here is what the records show.",
    "fr": "Les rumeurs sur le harbour reviennent sans cesse. Voici ce que montrent les registres.",
    "de": "Gerüchte über den harbour kehren immer wieder. Das zeigen die Unterlagen.",
}
CLAIMS = (
    "The harbour water is no longer tested",
    "Night ferries were cancelled to save money",
    "The new quay was built without a permit",
    "Fishing boats must pay a new daily fee",
    "The lighthouse will be sold to a hotel chain",
    "Cargo ships dump ballast water in the bay",
    "The harbour master was replaced by an algorithm",
    "Port workers lost their pensions last year",
    "Cruise ships are exempt from emission rules",
    "The old dock is sinking by a metre a year",
)
BODY = """The harbour authority publishes its inspection records every month, and the latest
ones are open to anyone at the port office and online.

Inspectors took **{samples} samples** at the north and south quays in the last quarter. Each one
was analysed by an accredited laboratory, and none exceeded the legal limits.

The claim appears to come from a misread notice about *scheduled maintenance*, which closed one
pier for two days. Services resumed as planned, and the notice said so at the time.

- Records: published monthly since 2019
- Inspections: weekly, by two independent teams
- Complaints: answered within ten working days"""


def _topics():
    from myths.models import Topic

    return [Topic.objects.get_or_create(name=name)[0] for name in TOPICS]


def models_publish(count: int = MODELS):
    """The model releases, written and published through the workflow. The first has RARE_WORD
    in its title."""
    from myths.models import Claim, Release, Response
    from tests.factories import arrange_state, release_with_content

    topics = _topics()
    published = []
    for n in range(count):
        language = LANGUAGES[n % len(LANGUAGES)]
        title = TITLES[language].format(topic=topics[n].name.lower(), n=n)
        if n == 0:
            title = f"Seven {RARE_WORD} in the harbour: what the zoo said"
        release = release_with_content(
            responses=CLAIMS_PER_RELEASE,
            figures=1,
            sources=2,
            title=title,
            lede=LEDES[language],
            language=language,
        )
        for position, response in enumerate(release.responses.order_by("position"), start=1):
            claim = response.claim
            Claim.objects.filter(pk=claim.pk).update(
                wording=f"{CLAIMS[(n * 3 + position) % len(CLAIMS)]} (model {n}.{position})",
                slug=slugify(f"{CLAIMS[(n * 3 + position) % len(CLAIMS)]} model {n} {position}"),
            )
            claim.topics.set([topics[(n + position) % len(topics)], topics[(n * 5) % len(topics)]])
            response = Response.objects.get(pk=response.pk)
            response.body = BODY.format(samples=40 + n + position)
            response.save()
        published.append(arrange_state(release, Release.Status.PUBLISHED))
    return published


class ModelRelease:
    """Everything of one model release that a copy repeats, read once."""

    def __init__(self, release):
        from myths.models import Figure, Response, Source, WorkflowLogEntry
        from myths.revisions import revision_content

        self.release = release
        self.revision = release.live_revision
        self.responses = list(Response.objects.filter(release=release).order_by("position"))
        self.figures = {
            r.pk: list(Figure.objects.filter(response=r).order_by("position"))
            for r in self.responses
        }
        self.sources = {
            r.pk: list(Source.objects.filter(response=r).order_by("position"))
            for r in self.responses
        }
        self.log = list(WorkflowLogEntry.objects.filter(release=release).order_by("pk"))
        # What a copy's search text repeats of the model: bodies and captions, as plain text.
        content = revision_content(self.revision)
        self.body_texts = [r.body_text for r in content.responses]
        self.figures_content = [r.figures for r in content.responses]
        self.media = list(self.revision.media.values_list("name", flat=True))


class Builder:
    """Adds copies of the model releases until `size` releases are published."""

    def __init__(self, models):
        from myths.models import Claim

        self.models = [ModelRelease(release) for release in models]
        self.topics = _topics()
        self.epoch = timezone.now() - timedelta(days=1) - INTERVAL * NUMBERS
        # The long-running myths: every copy answers one of them again.
        self.pool = list(
            Claim.objects.filter(responses__release__in=models).order_by("pk").distinct()
        )
        self.pool_topics = {
            claim.pk: sorted(claim.topics.all(), key=lambda t: t.name) for claim in self.pool
        }

    def published_count(self) -> int:
        from myths.models import Release

        return Release.objects.published().count()

    def grow(self, size: int, *, log=print) -> float:
        """Copy releases until `size` are published; returns the seconds it took."""
        start = time.perf_counter()
        missing = size - self.published_count()
        if missing <= 0:
            return 0.0
        from myths.models import Release

        first = (Release.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        done = 0
        # Loading is no request: the settings' statement timeout (10 s) would cancel a large batch
        # or VACUUM on a busy machine. Restored (the connection's default) once loaded.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")
        while done < missing:
            count = min(BATCH, missing - done)
            self._batch(first + done, count)
            done += count
            if missing >= 20 * BATCH and (done // BATCH) % 10 == 0:
                took = time.perf_counter() - start
                log(f"  {done:,} of {missing:,} releases copied ({took:.0f} s)")
        self._sequences_reset()
        self._refresh()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")
        return time.perf_counter() - start

    def _batch(self, first_number: int, count: int) -> None:
        from myths.models import (
            Claim,
            Figure,
            Release,
            Response,
            Revision,
            RevisionAnswer,
            RevisionMedia,
            Source,
            WorkflowLogEntry,
        )

        ids = _IdBlock()  # read again for each batch: the workflow may have added rows between
        rows = {model: [] for model in (Release, Revision, Claim, Response, Figure, Source)}
        claim_topics, answers, media, log = [], [], [], []
        for number in range(first_number, first_number + count):
            model = self.models[number % len(self.models)]
            language = model.release.language
            topic = self.topics[number % len(self.topics)]
            title = TITLES[language].format(topic=topic.name.lower(), n=number)
            slug = slugify(title)[:180].strip("-") + f"-{number}"
            # A copy's date follows its number; all are older than the model releases (now).
            when = self.epoch + INTERVAL * number
            release_id, revision_id = ids.next(Release), ids.next(Revision)
            # Shallow copies of what changes; figures, sources and contact are shared, unchanged.
            content = {**model.revision.content, "release_id": release_id, "title": title}
            content["slug"] = slug
            content["responses"] = [dict(r) for r in content["responses"]]
            for position, (response, recorded) in enumerate(
                zip(model.responses, content["responses"], strict=True), start=1
            ):
                if position == CLAIMS_PER_RELEASE:
                    claim = self.pool[number % len(self.pool)]
                    claim_id, wording, claim_slug = claim.pk, claim.wording, claim.slug
                    topics = self.pool_topics[claim_id]
                else:
                    claim_id = ids.next(Claim)
                    wording = (
                        f"{CLAIMS[(number + position) % len(CLAIMS)]} (case {number}.{position})"
                    )
                    claim_slug = slugify(wording)[:200]
                    topics = sorted(
                        {
                            self.topics[(number + position) % len(self.topics)],
                            self.topics[(number * 7 + position * 3) % len(self.topics)],
                        },
                        key=lambda t: t.name,
                    )
                    rows[Claim].append(
                        Claim(
                            pk=claim_id,
                            wording=wording,
                            slug=claim_slug,
                            claimant=response.claim.claimant,
                            created_at=when,
                        )
                    )
                    claim_topics.extend(
                        Claim.topics.through(claim_id=claim_id, topic_id=t.pk) for t in topics
                    )
                pairs = [[t.slug, t.name] for t in topics]
                recorded.update(
                    claim_id=claim_id, claim_slug=claim_slug, claim_wording=wording, topics=pairs
                )
                response_id = ids.next(Response)
                rows[Response].append(
                    Response(
                        pk=response_id,
                        release_id=release_id,
                        claim_id=claim_id,
                        position=position,
                        verdict=response.verdict,
                        body=response.body,
                        body_html=response.body_html,
                    )
                )
                for figure in model.figures[response.pk]:
                    rows[Figure].append(
                        Figure(
                            pk=ids.next(Figure),
                            response_id=response_id,
                            image=figure.image.name,
                            width=figure.width,
                            height=figure.height,
                            caption=figure.caption,
                            credit=figure.credit,
                            alt_text=figure.alt_text,
                            position=figure.position,
                        )
                    )
                for source in model.sources[response.pk]:
                    rows[Source].append(
                        Source(
                            pk=ids.next(Source),
                            response_id=response_id,
                            url=source.url,
                            title=source.title,
                            publisher=source.publisher,
                            position=source.position,
                        )
                    )
                answers.append(
                    RevisionAnswer(
                        revision_id=revision_id,
                        claim_id=claim_id,
                        position=position,
                        verdict=recorded["verdict"],
                        wording=wording,
                        slug=claim_slug,
                        topics=pairs,
                        topic_slugs=_topic_slugs(pairs),
                    )
                )
            rows[Revision].append(self._revision(model, revision_id, release_id, content, when))
            media.extend(RevisionMedia(revision_id=revision_id, name=name) for name in model.media)
            log.extend(
                WorkflowLogEntry(
                    release_id=release_id,
                    revision_id=revision_id,
                    actor_id=entry.actor_id,
                    from_status=entry.from_status,
                    to_status=entry.to_status,
                    comment=entry.comment,
                    created_at=when,
                )
                for entry in model.log
            )
            source = model.release
            # Every field of the model release (fields added later come along), then the copy's own.
            rows[Release].append(
                _copy(
                    source,
                    pk=release_id,
                    title=title,
                    slug=slug,
                    first_published_at=when,
                    live_revision_id=revision_id,
                    # A reference number is unique per release (issue 13), when a release has one.
                    **(
                        {"reference": f"{source.reference}-{number}"}
                        if getattr(source, "reference", "")
                        else {}
                    ),
                )
            )
        with transaction.atomic():
            # Foreign keys are checked at commit: a release may name its revision before it exists.
            for model, objects in rows.items():
                model.objects.bulk_create(objects, batch_size=2000)
            for model, objects in (
                (Claim.topics.through, claim_topics),
                (RevisionAnswer, answers),
                (RevisionMedia, media),
                (WorkflowLogEntry, log),
            ):
                model.objects.bulk_create(objects, batch_size=2000)

    @staticmethod
    def _revision(model, revision_id, release_id, content, when):
        from myths.models import Revision
        from myths.revisions.store import content_search_text

        template = model.revision
        # content_search_text itself, on the copy's words and the model's plain-text bodies (read
        # once: stripping the same HTML for every copy would take most of the build).
        searchable = SimpleNamespace(
            title=content["title"],
            lede=content["lede"],
            responses=[
                SimpleNamespace(
                    claim_wording=recorded["claim_wording"], body_text=text, figures=figures
                )
                for recorded, text, figures in zip(
                    content["responses"], model.body_texts, model.figures_content, strict=True
                )
            ],
        )
        return Revision(
            pk=revision_id,
            release_id=release_id,
            number=template.number,
            created_at=when,
            author_id=template.author_id,
            status=template.status,
            content=content,
            title=content["title"],
            lede=content["lede"],
            search_text=content_search_text(searchable),
            slug=content["slug"],
            search_config=template.search_config,
            quality=template.quality,
        )

    @staticmethod
    def _sequences_reset():
        from django.apps import apps

        models = [m for m in apps.get_app_config("myths").get_models()]
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    @staticmethod
    def _refresh():
        """What a deployment would have after loading data: derived tables refreshed, planner
        statistics up to date, and a new public generation."""
        from core.cache import public_cache_bump

        # The workflow keeps these in step with every publication; a bulk load rebuilds them.
        call_command("refresh_public_index")
        call_command("refresh_public_register")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        with transaction.atomic():
            public_cache_bump()


def _copy(row, **changes):
    """A new, unsaved instance of `row`'s model with all of `row`'s concrete fields, changed by
    `changes` (attribute names: `release_id`, not `release`)."""
    values = {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}
    values.update(changes)
    return type(row)(**values)


def _topic_slugs(pairs) -> str:
    from myths.models import topic_slugs_text

    return topic_slugs_text(pairs)


class _IdBlock:
    """Primary keys handed out in Python, so rows can name each other before they are inserted;
    the sequences are reset once the copies are in."""

    def __init__(self):
        self._next = {}

    def next(self, model) -> int:
        if model not in self._next:
            last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            self._next[model] = last + 1
        value = self._next[model]
        self._next[model] = value + 1
        return value


def last_page(count: int, per_page: int = 12) -> int:
    return max(1, math.ceil(count / per_page))


def copies_check(count: int = 3) -> list[str]:
    """Differences between a few copies and what the workflow would have recorded for them.

    For each copy: the snapshot of its working copy (what revision_create would store) against its
    revision's content, and the search text, answers and media rows revision_create derives from
    that content against the stored ones. An empty list means the copies are shaped like the
    workflow's rows.
    """
    from myths.models import Release
    from myths.revisions import ReleaseContent, release_snapshot, revision_content
    from myths.revisions.store import content_media_names, content_search_text

    problems = []
    copies = Release.objects.filter(title__contains="(n").exclude(live_revision=None)
    for release in copies.order_by("pk")[:count]:
        revision = release.live_revision
        if release_snapshot(release) != revision.content:
            problems.append(f"{release.slug}: working copy and revision differ")
        content = revision_content(revision)
        if content_search_text(content) != revision.search_text:
            problems.append(f"{release.slug}: search text differs")
        expected = [
            (
                r.claim_id,
                r.number,
                r.verdict,
                r.claim_wording,
                r.claim_slug,
                [list(t) for t in r.topics],
            )
            for r in content.responses
        ]
        stored = [
            (a.claim_id, a.position, a.verdict, a.wording, a.slug, a.topics)
            for a in revision.answers.order_by("position")
        ]
        if expected != stored:
            problems.append(f"{release.slug}: RevisionAnswer rows differ")
        if sorted(content_media_names(content)) != sorted(
            revision.media.values_list("name", flat=True)
        ):
            problems.append(f"{release.slug}: RevisionMedia rows differ")
        if ReleaseContent.from_snapshot(revision.content).release_id != release.pk:
            problems.append(f"{release.slug}: snapshot names another release")
    return problems

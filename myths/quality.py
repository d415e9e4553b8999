"""The editorial quality gate: the one set of checks a release passes before review and publication.

Each check is a small function in the declarative table `CHECKS`, with a code, a severity (`block`
refuses the transition, `warn` is shown) and the stages it applies to; `release_problems()` runs
them on a `ReleaseContent` with what they need from the database read up front (`GateContext`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from contacts.models import PressContact
from core.slugs import latin_slug

from .importing.patterns import CAPTION_MAX_CHARS
from .models import Release
from .revisions import ReleaseContent, revision_content
from .revisions.content import ContactContent

BLOCK = "block"
WARN = "warn"
OFF = "off"

SUBMIT, APPROVE, PUBLISH = "submit", "approve", "publish"
ALL_STAGES = frozenset({SUBMIT, APPROVE, PUBLISH})
GATE_STAGES = frozenset({APPROVE, PUBLISH})

# mailto: and tel: are links a reader may follow; anything else that is not the web (javascript:,
# data:, file:, ftp:, …) is either an attack or a link nobody outside the office can open.
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}

_MD_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_HREF = re.compile(r"\bhref=\"([^\"]*)\"", re.IGNORECASE)
_ITALIC_LINE = re.compile(r"^(\*|_)(?!\1)(.+?)\1$")
_DOMAIN = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+$")
_STRAIGHT = set("\"'")
_CURLY = set("“”‘’„«»")


@dataclass(frozen=True)
class Problem:
    """One defect found: what to fix, how bad it is, and where on the change form it lives."""

    code: str
    message: str
    severity: str
    anchor: str
    url: str = ""

    @property
    def blocks(self) -> bool:
        return self.severity == BLOCK

    def as_error(self) -> ValidationError:
        return ValidationError(self.message, code=self.code)


@dataclass(frozen=True)
class GateContext:
    """What the checks need besides the content, read with a bounded number of queries."""

    published_contact: ContactContent | None = None
    published_slug: str = ""
    current_contact: ContactContent | None = None
    contact_proposed: bool = False
    stale_numbers: tuple[int, ...] = ()
    dead_links: dict[str, str] = field(default_factory=dict)  # url -> what went wrong
    private_links: tuple[str, ...] = ()


Finding = tuple[str, str]  # message, anchor


@dataclass(frozen=True)
class Check:
    code: str
    severity: str | Callable[[], str]
    find: Callable[[ReleaseContent, GateContext], Iterable[Finding]]
    stages: frozenset = GATE_STAGES

    def level(self) -> str:
        return self.severity() if callable(self.severity) else self.severity


def _myth(number: int) -> str:
    return _("Myth %(number)s") % {"number": number}


def _response_anchor(number: int) -> str:
    return f"responses-{number - 1}"


def _links(text: str, body_html: str) -> list[str]:
    """The targets of the Markdown links in `text` and of the hrefs in `body_html`."""
    targets = [m.group(2) for m in _MD_LINK.finditer(text or "")]
    targets += [html.unescape(h) for h in _HREF.findall(body_html or "")]
    return targets


def _all_links(content: ReleaseContent) -> Iterable[tuple[str, str, str]]:
    """Every link of the release as (url, label of where it is, anchor)."""
    if content.more_info_url:
        yield content.more_info_url, _("More information"), "id_more_info_url"
    for response in content.responses:
        where, anchor = _myth(response.number), _response_anchor(response.number)
        for url in dict.fromkeys(_links(response.body, response.body_html)):
            yield url, where, anchor
        for source in response.sources:
            yield source.url, where, anchor


def release_link_urls(content: ReleaseContent) -> list[str]:
    """The web addresses of the release that the link checker should fetch."""
    urls = (url.strip() for url, _where, _anchor in _all_links(content))
    return [u for u in dict.fromkeys(urls) if urlsplit(u).scheme in ("http", "https")]


# --- The checks ---------------------------------------------------------------------------------


def _no_responses(content, context):
    if not content.responses:
        yield _("The release answers no claim yet."), "responses-group"


def _no_contact(content, context):
    if content.contact is None:
        yield _("No press contact is set."), "id_contact"


def _contact_proposed(content, context):
    if content.contact is not None and context.contact_proposed:
        yield (
            _(
                "The press contact “%(contact)s” was proposed by an import and is not "
                "public yet: someone allowed to add contacts must accept it first (Press "
                "contacts, action “Accept proposed contact”)."
            )
            % {"contact": content.contact.organisation},
            "id_contact",
        )


def _no_verdict(content, context):
    for response in content.responses:
        if not response.verdict:
            yield (
                _("%(myth)s has no verdict.") % {"myth": _myth(response.number)},
                _response_anchor(response.number),
            )


def _figure_missing(attribute: str, message: str):
    def find(content, context):
        for response in content.responses:
            for index, figure in enumerate(response.figures, start=1):
                if not getattr(figure, attribute).strip():
                    label = _("%(myth)s, figure %(n)s") % {
                        "myth": _myth(response.number),
                        "n": index,
                    }
                    yield _(message) % {"f": label}, _response_anchor(response.number)

    return find


def _placeholder_links(content, context):
    for response in content.responses:
        for match in _MD_LINK.finditer(response.body):
            if match.group(2) in ("", "#"):
                yield (
                    _("%(myth)s: the link “%(text)s” goes nowhere: give it its address.")
                    % {"myth": _myth(response.number), "text": match.group(1)},
                    _response_anchor(response.number),
                )


def _unsafe_schemes(content, context):
    for url, where, anchor in _all_links(content):
        scheme = urlsplit(url.strip()).scheme.lower() if url.strip() else ""
        if scheme and scheme not in ALLOWED_SCHEMES:
            yield (
                _("%(where)s: “%(url)s” is not a web address: link to an http(s) page.")
                % {"where": where, "url": url},
                anchor,
            )


def is_caption_line(paragraph: str) -> bool:
    """Whether a Markdown paragraph is a photo caption the importer left: one short italic line."""
    line = paragraph.strip()
    return "\n" not in line and len(line) <= CAPTION_MAX_CHARS and bool(_ITALIC_LINE.match(line))


def _captions_without_figure(content, context):
    # The importer keeps a photo's caption as an italic paragraph where the photo was
    # (myths/importing/parse.py): published as it is, it is a stray line under no photo.
    for response in content.responses:
        for paragraph in re.split(r"\n\s*\n", response.body.replace("\r\n", "\n")):
            if is_caption_line(paragraph):
                yield (
                    _(
                        "%(myth)s: “%(caption)s” looks like a photo caption with no photo: add "
                        "the figure with this caption, or remove the line."
                    )
                    % {"myth": _myth(response.number), "caption": paragraph.strip().strip("*_")},
                    _response_anchor(response.number),
                )


def _sources_severity() -> str:
    return getattr(settings, "PRESSDESK_REQUIRE_SOURCES", WARN)


def _no_source(content, context):
    for response in content.responses:
        if not response.sources:
            yield (
                _("%(myth)s names no source: add at least one source to its response.")
                % {"myth": _myth(response.number)},
                _response_anchor(response.number),
            )


def _organisation(content, context):
    if content.contact is None:
        return
    name = content.contact.organisation.strip()
    if not name:
        yield _("The press contact has no organisation: fill it in on the contact."), "id_contact"
    elif _DOMAIN.match(name):
        yield (
            _("The press contact's organisation “%(name)s” is a web address: write its name.")
            % {"name": name},
            "id_contact",
        )


def _slug_not_from_title(content, context):
    derived = latin_slug(content.title)
    # A slug already public is a promise kept on purpose; "-2" etc. make a slug unique.
    if not derived or content.slug == context.published_slug:
        return
    if not re.fullmatch(re.escape(derived) + r"(-\d+)?", content.slug):
        yield (
            _("The address “%(slug)s” does not follow the title (“%(derived)s”): check it.")
            % {"slug": content.slug, "derived": derived},
            "id_slug",
        )


def _contact_changed(content, context):
    published, current = context.published_contact, context.current_contact
    if published is None or current is None or published.id != current.id:
        return
    if published.to_snapshot() != current.to_snapshot():
        yield (
            _(
                "The press contact changed since this release was published: the public page "
                "and PDF show the old details until it is published again."
            ),
            "id_contact",
        )


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()


def _duplicate_claims(content, context):
    seen = {}
    for response in content.responses:
        key = _normal(response.claim_wording)
        if response.claim_id in seen or key in seen:
            first = seen.get(response.claim_id, seen.get(key))
            yield (
                _("%(myth)s repeats the claim of Myth %(first)s: remove one of them.")
                % {"myth": _myth(response.number), "first": first},
                _response_anchor(response.number),
            )
        seen.setdefault(response.claim_id, response.number)
        seen.setdefault(key, response.number)


def _quote_style(text: str) -> set[str]:
    chars = set(html.unescape(text))
    kinds = ((gettext_noop("straight"), _STRAIGHT), (gettext_noop("curly"), _CURLY))
    return {name for name, marks in kinds if chars & marks}


def _quotes_inconsistent(content, context):
    title = _quote_style(content.title)
    body = _quote_style(" ".join([content.lede, *(r.body_text for r in content.responses)]))
    if len(title) == 1 and len(body) == 1 and title != body:
        yield (
            _("The title uses %(title)s quotes and the text %(body)s ones: use one kind.")
            % {"title": _(title.pop()), "body": _(body.pop())},
            "id_title",
        )


def _stale_translation(content, context):
    for number in context.stale_numbers:
        yield (
            _("Myth %(number)s: the original changed since it was translated.")
            % {"number": number},
            _response_anchor(number),
        )


def _dead_links(content, context):
    for url, where, anchor in _all_links(content):
        if url in context.dead_links:
            yield (
                _("%(where)s: the link %(url)s does not work (%(error)s): correct or remove it.")
                % {"where": where, "url": url, "error": context.dead_links[url]},
                anchor,
            )


def _private_links(content, context):
    for url, where, anchor in _all_links(content):
        if url in context.private_links:
            yield (
                _("%(where)s: the link %(url)s leads to a private network address: remove it.")
                % {"where": where, "url": url},
                anchor,
            )


# Marked for translation here, looked up when the message is built (_figure_missing).
_NO_ALT = gettext_noop("%(f)s has no alt text.")
_NO_CREDIT = gettext_noop("%(f)s has no credit.")

CHECKS: tuple[Check, ...] = (
    Check("no_responses", BLOCK, _no_responses, ALL_STAGES),
    Check("no_contact", BLOCK, _no_contact, ALL_STAGES),
    Check("contact_proposed", BLOCK, _contact_proposed, frozenset({PUBLISH})),
    Check("no_verdict", BLOCK, _no_verdict, ALL_STAGES),
    Check("no_alt_text", BLOCK, _figure_missing("alt_text", _NO_ALT), ALL_STAGES),
    Check("no_credit", BLOCK, _figure_missing("credit", _NO_CREDIT), ALL_STAGES),
    Check("placeholder_link", BLOCK, _placeholder_links),
    Check("unsafe_link", BLOCK, _unsafe_schemes),
    Check("private_link", BLOCK, _private_links),
    Check("caption_without_figure", BLOCK, _captions_without_figure),
    Check("no_organisation", BLOCK, _organisation),
    Check("no_source", _sources_severity, _no_source),
    Check("duplicate_claim", BLOCK, _duplicate_claims),
    Check("dead_link", WARN, _dead_links),
    Check("slug_not_from_title", WARN, _slug_not_from_title),
    Check("contact_changed", WARN, _contact_changed),
    Check("quotes_inconsistent", WARN, _quotes_inconsistent),
    Check("stale_translation", WARN, _stale_translation),
)


# --- Running them -------------------------------------------------------------------------------


def gate_context(content: ReleaseContent, *, release: Release | None = None) -> GateContext:
    """What the checks of `content` need from the database, in a bounded number of queries: the
    release's published revision, its current contact, stale translated claims and link checks."""
    from .links import link_findings  # the link checker's results (myths/links.py)
    from .translations import stale_claims

    if release is None and content.release_id is not None:
        release = (
            Release.objects.select_related("live_revision", "translation_of")
            .filter(pk=content.release_id)
            .first()
        )
    published = (
        revision_content(release.live_revision) if release and release.live_revision else None
    )
    contact = None
    if content.contact is not None and content.contact.id is not None:
        contact = (
            PressContact.objects.prefetch_related("social_handles")
            .filter(pk=content.contact.id)
            .first()
        )
    dead, private = link_findings(url for url, _where, _anchor in _all_links(content))
    return GateContext(
        published_contact=published.contact if published else None,
        published_slug=published.slug if published else "",
        current_contact=ContactContent.from_contact(contact) if contact else None,
        contact_proposed=bool(contact and contact.is_proposed),
        stale_numbers=tuple(s.number for s in stale_claims(release, content=content))
        if release and release.translation_of_id
        else (),
        dead_links=dead,
        private_links=private,
    )


def content_problems(
    content: ReleaseContent, *, context: GateContext | None = None, stage: str | None = None
) -> list[Problem]:
    """Every problem of `content`, blocking ones first; with `stage`, only the checks that apply
    to that transition (submit, approve, publish)."""
    context = context or gate_context(content)
    base = (
        reverse("admin:myths_release_change", args=[content.release_id])
        if content.release_id
        else ""
    )
    problems = []
    for check in CHECKS:
        severity = check.level()
        if severity == OFF or (stage is not None and stage not in check.stages):
            continue
        for message, anchor in check.find(content, context):
            url = f"{base}#{anchor}" if base else ""
            problems.append(Problem(check.code, str(message), severity, anchor, url))
    return sorted(problems, key=lambda p: not p.blocks)


def release_problems(release: Release) -> list[Problem]:
    """The problems of the release's working copy, as the change form shows them."""
    content = ReleaseContent.from_release(release)
    return content_problems(content, context=gate_context(content, release=release))


def blocking_errors(content: ReleaseContent, *, stage: str) -> list[ValidationError]:
    """The coded errors that refuse `stage` for `content`, one per blocking problem."""
    return [p.as_error() for p in content_problems(content, stage=stage) if p.blocks]


def quality_summary(problems: Iterable[Problem]) -> dict:
    """The JSON a revision stores in `Revision.quality`: counts and codes, for lists and filters."""
    problems = list(problems)
    return {
        "block": sum(p.blocks for p in problems),
        "warn": sum(not p.blocks for p in problems),
        "codes": sorted({p.code for p in problems}),
    }

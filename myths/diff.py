"""Side-by-side differences between two revisions, computed over their contents' text fields.

Rows carry plain strings; answers are compared as the text of their rendered paragraphs, not
their Markdown. A changed row is marked word by word (`<ins>`/`<del>` around escaped words), so
nothing an editor typed is ever rendered as HTML in the comparison.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field
from itertools import zip_longest

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .markdown import render_markdown
from .models import Release, Revision
from .revisions import ContactContent, ReleaseContent, ResponseContent, revision_content
from .thumbnails import thumbnail_url

# Where one rendered block ends and the next begins, so each paragraph is a row of its own.
BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|pre|figcaption|td|th)>|<br\s*/?>", re.I)
WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class DiffRow:
    left: str | None
    right: str | None
    tag: str  # "equal", "replace", "delete" or "insert"

    @property
    def left_html(self) -> SafeString:
        """The left text, escaped, its words missing on the right in `<del>`."""
        return word_diff(self.left, self.right)[0]

    @property
    def right_html(self) -> SafeString:
        """The right text, escaped, its words new since the left in `<ins>`."""
        return word_diff(self.left, self.right)[1]


@dataclass(frozen=True)
class DiffSection:
    label: str
    rows: list[DiffRow]
    # The figures on each side, shown as thumbnails beside the rows.
    images: tuple[list[FigureThumb], list[FigureThumb]] = field(default=([], []))
    is_claim: bool = False

    @property
    def collapsible(self) -> bool:
        """An unchanged claim folds away: a reviewer reads what changed."""
        return self.is_claim and not self.changed

    @property
    def changed(self) -> bool:
        return any(row.tag != "equal" for row in self.rows)


def content_sections(content: ReleaseContent) -> dict[str, list[str]]:
    """The content as labelled sections of text lines, in reading order.

    Every field a revision records and the public can see has a line, labelled and shown even
    when empty, so that any change between two revisions appears in the comparison: the
    four-eyes rule counts every change, and the reviewer must be able to see each one.
    """
    sections = {
        _("Title"): [content.title],
        _("Address and language"): [
            _labelled(_("Slug"), content.slug),
            _labelled(_("Language"), content.language),
            _labelled(_("Translation of"), _release_label(content.translation_of_id)),
        ],
        _("Lede"): content.lede.splitlines(),
        _("More information"): [
            _labelled(_("Label"), content.more_info_label),
            _labelled(_("Link"), content.more_info_url),
        ],
        _("Press contact"): _contact_lines(content.contact),
    }
    for response in content.responses:
        sections[_("Myth %(n)s") % {"n": response.number}] = _response_lines(
            response, content.language
        )
    return sections


def _labelled(label: str, value) -> str:
    return _("%(label)s: %(value)s") % {"label": label, "value": value or "—"}


def _release_label(release_id: int | None) -> str:
    if release_id is None:
        return ""
    title = Release.objects.filter(pk=release_id).values_list("title", flat=True).first()
    return f"#{release_id} {title}" if title else _("#%(id)s (deleted)") % {"id": release_id}


def _contact_lines(contact: ContactContent | None) -> list[str]:
    if contact is None:
        return []
    lines = [
        _labelled(_("Organisation"), contact.organisation),
        _labelled(_("Division"), contact.division),
        _labelled(_("Section"), contact.section),
        _labelled(_("Phone"), contact.phone),
        _labelled(_("E-mail"), contact.email),
        _labelled(_("Website"), contact.website),
    ]
    lines.extend(_labelled(label, handle) for _network, label, handle in contact.social)
    return lines


def _response_lines(response: ResponseContent, language: str = "en") -> list[str]:
    lines = [
        _("Claim: %(c)s") % {"c": response.claim_wording},
        _labelled(_("Made by"), response.claimant),
        _labelled(
            _("First appeared on"),
            response.first_appeared_on.isoformat() if response.first_appeared_on else "",
        ),
        _labelled(_("First appeared in"), response.first_appeared_in),
        _labelled(_("First appearance link"), response.first_appearance_url),
        _labelled(_("Topics"), ", ".join(name for _slug, name in response.topics)),
        _("Verdict: %(v)s") % {"v": response.verdict or "—"},
        *rendered_paragraphs(response.body, language),
    ]
    for index, figure in enumerate(response.figures, start=1):
        lines.append(
            _("Figure %(n)s: %(image)s | caption: %(caption)s | credit: %(credit)s | %(alt)s")
            % {
                "n": index,
                # The stored name is a long hash; a short part of it still shows a replaced
                # picture word by word, and the thumbnails beside the rows show which one.
                "image": _short_image_name(figure.image),
                "caption": figure.caption,
                "credit": figure.credit,
                "alt": _("alt: %(a)s") % {"a": figure.alt_text},
            }
        )
    for index, source in enumerate(response.sources, start=1):
        lines.append(
            _("Source %(n)s: %(title)s %(publisher)s <%(url)s>")
            % {
                "n": index,
                "title": source.title,
                "publisher": source.publisher,
                "url": source.url,
            }
        )
    return lines


def _short_image_name(name: str) -> str:
    stem = (name or "").rsplit("/", 1)[-1]
    return f"{stem[:8]}…" if len(stem) > 12 else stem or "—"


def rendered_paragraphs(markdown: str, language: str = "en") -> list[str]:
    """The text a reader sees of `markdown`, one string per rendered block (paragraph, list
    item, heading), with its markup gone and its whitespace collapsed."""
    blocks = BLOCK_END.split(render_markdown(markdown or "", language))
    texts = (" ".join(html.unescape(strip_tags(block)).split()) for block in blocks)
    return [text for text in texts if text]


def word_diff(left: str | None, right: str | None) -> tuple[SafeString, SafeString]:
    """Both texts escaped, words only on the left in `<del>`, words only on the right in `<ins>`.

    Words and the spaces between them are the units, so a changed word is marked, not its line.
    """
    old, new = WORDS.findall(left or ""), WORDS.findall(right or "")
    if left is None or right is None or old == new:
        return escape(left or ""), escape(right or "")
    out_old, out_new = [], []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = escape("".join(old[i1:i2])), escape("".join(new[j1:j2]))
        if tag == "equal":
            out_old.append(before)
            out_new.append(after)
            continue
        if before:
            out_old.append(f"<del>{before}</del>")
        if after:
            out_new.append(f"<ins>{after}</ins>")
    # Every piece was escaped above; only our own <ins>/<del> tags are added.
    return mark_safe("".join(out_old)), mark_safe("".join(out_new))  # noqa: S308


@dataclass(frozen=True)
class FigureThumb:
    """One figure of one side of the comparison, as the compare view shows it."""

    url: str
    alt: str
    caption: str
    credit: str


def _figure_thumbs(content: ReleaseContent) -> dict[str, list[FigureThumb]]:
    # Thumbnails, not the originals: made once per stored image (thumbnails.py) and shared by
    # both sides when a figure did not change.
    return {
        _("Myth %(n)s") % {"n": response.number}: [
            FigureThumb(thumbnail_url(figure.image), figure.alt_text, figure.caption, figure.credit)
            for figure in response.figures
            if figure.image
        ]
        for response in content.responses
    }


def diff_lines(left: list[str], right: list[str]) -> list[DiffRow]:
    rows = []
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(DiffRow(a, b, tag) for a, b in zip(left[i1:i2], right[j1:j2], strict=True))
        else:
            rows.extend(
                DiffRow(a, b, "replace" if a is not None and b is not None else tag)
                for a, b in zip_longest(left[i1:i2], right[j1:j2])
            )
    return rows


def revisions_diff(old: Revision, new: Revision) -> list[DiffSection]:
    """Every section of either revision, each as side-by-side rows, in reading order."""
    old_content, new_content = revision_content(old), revision_content(new)
    left, right = content_sections(old_content), content_sections(new_content)
    left_images, right_images = _figure_thumbs(old_content), _figure_thumbs(new_content)
    labels = list(left) + [label for label in right if label not in left]
    return [
        DiffSection(
            label,
            diff_lines(left.get(label, []), right.get(label, [])),
            (left_images.get(label, []), right_images.get(label, [])),
            is_claim=label in left_images or label in right_images,
        )
        for label in labels
    ]

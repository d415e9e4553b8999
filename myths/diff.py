"""Side-by-side differences between two revisions, computed over their contents' text fields.

Rows carry plain strings; the template escapes them, so nothing an editor typed is ever rendered
as HTML in the comparison.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from itertools import zip_longest

from django.utils.translation import gettext as _

from .models import Release, Revision
from .revisions import ContactContent, ReleaseContent, ResponseContent, revision_content


@dataclass(frozen=True)
class DiffRow:
    left: str | None
    right: str | None
    tag: str  # "equal", "replace", "delete" or "insert"


@dataclass(frozen=True)
class DiffSection:
    label: str
    rows: list[DiffRow]

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
        sections[_("Myth %(n)s") % {"n": response.number}] = _response_lines(response)
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


def _response_lines(response: ResponseContent) -> list[str]:
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
        *response.body.splitlines(),
    ]
    for index, figure in enumerate(response.figures, start=1):
        lines.append(
            _("Figure %(n)s: %(image)s | caption: %(caption)s | credit: %(credit)s | %(alt)s")
            % {
                "n": index,
                "image": figure.image,
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
    left = content_sections(revision_content(old))
    right = content_sections(revision_content(new))
    labels = list(left) + [label for label in right if label not in left]
    return [
        DiffSection(label, diff_lines(left.get(label, []), right.get(label, [])))
        for label in labels
    ]

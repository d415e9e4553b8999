"""Side-by-side differences between two revisions, computed over their contents' text fields.

Rows carry plain strings; the template escapes them, so nothing an editor typed is ever rendered
as HTML in the comparison.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from itertools import zip_longest

from django.utils.translation import gettext as _

from .models import Revision
from .revisions import ReleaseContent, ResponseContent, revision_content


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
    """The content as labelled sections of text lines, in reading order."""
    sections = {
        _("Title"): [content.title],
        _("Lede"): content.lede.splitlines(),
        _("More information"): [
            line for line in (content.more_info_label, content.more_info_url) if line
        ],
    }
    contact = content.contact
    sections[_("Press contact")] = (
        [
            line
            for line in (
                contact.organisation,
                contact.division,
                contact.section,
                contact.phone,
                contact.email,
                contact.website,
            )
            if line
        ]
        if contact
        else []
    )
    for response in content.responses:
        sections[_("Myth %(n)s") % {"n": response.number}] = _response_lines(response)
    return sections


def _response_lines(response: ResponseContent) -> list[str]:
    lines = [
        _("Claim: %(c)s") % {"c": response.claim_wording},
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

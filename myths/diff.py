"""Side-by-side differences between two revisions, computed over the snapshots' text fields.

Rows carry plain strings; the template escapes them, so nothing an editor typed is ever rendered
as HTML in the comparison.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from itertools import zip_longest

from django.utils.translation import gettext as _

from .models import Revision


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


def snapshot_sections(content: dict) -> dict[str, list[str]]:
    """The snapshot as labelled sections of text lines, in reading order."""
    sections = {
        _("Title"): [content.get("title", "")],
        _("Lede"): content.get("lede", "").splitlines(),
        _("More information"): [
            line
            for line in (content.get("more_info_label", ""), content.get("more_info_url", ""))
            if line
        ],
    }
    contact = content.get("contact")
    sections[_("Press contact")] = (
        [
            line
            for line in (
                contact.get("organisation", ""),
                contact.get("division", ""),
                contact.get("section", ""),
                contact.get("phone", ""),
                contact.get("email", ""),
                contact.get("website", ""),
            )
            if line
        ]
        if contact
        else []
    )
    for number, response in enumerate(content.get("responses", []), start=1):
        lines = [
            _("Claim: %(c)s") % {"c": response.get("claim_wording", "")},
            _("Verdict: %(v)s") % {"v": response.get("verdict", "") or "—"},
            *response.get("body", "").splitlines(),
        ]
        for index, figure in enumerate(response.get("figures", []), start=1):
            lines.append(
                _("Figure %(n)s: %(image)s | caption: %(caption)s | credit: %(credit)s | %(alt)s")
                % {
                    "n": index,
                    "image": figure.get("image", ""),
                    "caption": figure.get("caption", ""),
                    "credit": figure.get("credit", ""),
                    "alt": _("alt: %(a)s") % {"a": figure.get("alt_text", "")},
                }
            )
        for index, source in enumerate(response.get("sources", []), start=1):
            lines.append(
                _("Source %(n)s: %(title)s %(publisher)s <%(url)s>")
                % {
                    "n": index,
                    "title": source.get("title", ""),
                    "publisher": source.get("publisher", ""),
                    "url": source.get("url", ""),
                }
            )
        sections[_("Myth %(n)s") % {"n": number}] = lines
    return sections


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
    left, right = snapshot_sections(old.content), snapshot_sections(new.content)
    labels = list(left) + [label for label in right if label not in left]
    return [
        DiffSection(label, diff_lines(left.get(label, []), right.get(label, [])))
        for label in labels
    ]

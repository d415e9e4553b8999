"""How the laid-out document's pages fill, read from WeasyPrint's boxes (issue 13's last-page rule).

The rule: no page holds fewer than 4 lines of text when the document has more than one page,
and no page ends in blank space that the contact box, which then starts the next page, could
have moved up into. The stylesheet keeps the box's parts together (a lone line of it never
ends or starts a page), so a box that does not fit moves whole, and a short box moves whole
more often than not; CSS cannot say "tighten the spacing when that happens". The renderer
(myths/pdf/worker.py) therefore lays the document out a second time with the refit stylesheet
(templates/myths/pdf/refit.css) when this module finds the rule broken, and keeps the second
layout only if it keeps the rule.

Like worker.py, this imports nothing from Django: it runs in the renderer's child process.
"""

from __future__ import annotations

import itertools

from weasyprint.formatting_structure import boxes

MIN_LINES_ON_A_PAGE = 4
# Blank space at a page's foot that the contact box's heading, office line and one item (about
# 22 mm with its padding) could have filled. In CSS px (96 to the inch), as WeasyPrint measures.
MOVABLE_SPACE_PX = 25 / 25.4 * 96
CONTACT_CLASS = "contact"  # the class of the template's contact box (templates/myths/pdf/)


def _is_contact(box) -> bool:
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) != "footer":
        return False
    return CONTACT_CLASS in (element.get("class") or "").split()


def _page_content(page):
    """(lines, content top, content bottom, contact box or None) of one laid-out page, the
    running header and footer (margin boxes) left out. Lines side by side (a contact item's
    label and value) count once."""
    page_box = page._page_box
    top = page_box.content_box_y()
    bottom = top + page_box.height
    lines, contact = {}, None
    for child in page_box.children:
        if isinstance(child, boxes.MarginBox):
            continue
        for box in child.descendants():
            if contact is None and _is_contact(box):
                contact = box
            if isinstance(box, boxes.LineBox) and box.children:
                lines.setdefault(round(box.position_y), box.position_y + box.height)
    return sorted(lines.items()), top, bottom, contact


def page_fill_broken(document) -> bool:
    """True if `document` (a laid-out weasyprint Document) breaks the last-page rule."""
    pages = [_page_content(page) for page in document.pages]
    if len(pages) < 2:
        return False
    if any(len(lines) < MIN_LINES_ON_A_PAGE for lines, *_rest in pages):
        return True
    for before, after in itertools.pairwise(pages):
        (lines, _top, bottom, _contact), (following, top, _bottom, contact) = before, after
        starts_with_contact = (
            contact is not None and following and following[0][0] >= round(contact.position_y)
        )
        last_line_bottom = lines[-1][1] if lines else top
        if starts_with_contact and bottom - last_line_bottom > MOVABLE_SPACE_PX:
            return True
    return False

"""How a release's answers are presented, as its office chose (PressOffice.verdict_style): a
graded verdict (fact-check style) or an institutional "Myth" / "Fact" pairing with no rating.

The public page, the register, the claim pages and the PDF all ask here; the structured data
(ClaimReview) is the same either way.
"""

from contacts.models import PressOffice

VerdictStyle = PressOffice.VerdictStyle
# A release without an office (none is the default yet) is presented as a new office would be.
DEFAULT_STYLE = PressOffice._meta.get_field("verdict_style").default


def verdict_style(value: str | None) -> str:
    """`value` if it is a known style, else the default style."""
    return value if value in VerdictStyle.values else DEFAULT_STYLE


def release_verdict_style(release) -> str:
    """The style of `release`'s office (reads `release.office`: select it with the release)."""
    office = release.office if release is not None and release.office_id else None
    return verdict_style(office.verdict_style if office else None)


def is_myth_fact(style: str | None) -> bool:
    """Whether answers are paired "Myth" / "Fact", with no rating shown."""
    return verdict_style(style) == VerdictStyle.MYTH_FACT

"""The verdict as the release's office presents it (myths/public/presentation.py): one tag for
the release page, the register, the claim pages and the PDF.

    {% load verdicts %}
    {% verdict response.verdict release|verdict_style heading="h3" %}   right before the answer
    {% verdict claim.verdict claim.verdict_style summary=True %}        in a list

Graded: "Verdict: Misleading", a calm label (then, with `heading`, a hidden heading "The facts"
for screen readers). Myth / Fact: the word "Fact" before the answer (as a `heading`, "h2" or
"h3", when given), no rating; in a list (`summary`), nothing, since the claim is already the "Myth".
Renders in the active language: wrap it in `{% language %}` for the content's.
"""

from django import template

from myths.models import Response
from myths.public import presentation

register = template.Library()


@register.inclusion_tag("myths/includes/verdict.html")
def verdict(code, style="", heading="", summary=False):
    try:
        label = Response.Verdict(code).label if code else ""
    except ValueError:
        label = ""
    return {
        "verdict": code if label else "",
        "label": label,
        "myth_fact": presentation.is_myth_fact(style),
        "heading": heading if heading in ("h2", "h3") else "",
        "summary": summary,
    }


@register.filter
def verdict_style(release) -> str:
    """`{{ release|verdict_style }}`: "graded" or "myth_fact", as the release's office chose."""
    return presentation.release_verdict_style(release)

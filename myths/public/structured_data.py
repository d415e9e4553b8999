"""schema.org JSON-LD for a release: one NewsArticle and one ClaimReview per response.

Follows schema.org and Google's fact-check (ClaimReview) guidance: claimReviewed, reviewRating
(ratingValue within worstRating..bestRating, alternateName = the verdict in words), itemReviewed
as a Claim with its author and first appearance, author, datePublished and a url that points at
the claim's own anchor on the release page. A release corrected or clarified since carries
`dateModified` (its latest public notice) and each correction as a CorrectionComment.
"""

import json

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe

from core.site import absolute_url

from ..models import ReleaseNotice, Response

# Google's fact-check guidance: a numeric rating on a scale from worstRating (1 = false) to
# bestRating (5 = true), with the verdict in words as alternateName. None of our verdicts says
# "true" (we only publish answers to myths), so 5 is never given; it is kept as the top of the
# scale so that a 4 still reads as "close to true" and not as "best". The steps, worst first:
# false (1), misleading (2: true parts, false conclusion), lacks context (3: accurate but missing
# what changes its meaning), unsupported (4: not shown false, but nothing backs it).
WORST_RATING, BEST_RATING = 1, 5
VERDICT_RATINGS = {
    Response.Verdict.FALSE: 1,
    Response.Verdict.MISLEADING: 2,
    Response.Verdict.LACKS_CONTEXT: 3,
    Response.Verdict.UNSUPPORTED: 4,
}


def organisation(content) -> dict:
    """The publishing office, with its press contact point when the release has one.

    Named after the office the revision recorded (issue 13), with its logo; a revision recorded
    before offices were falls back to the contact's organisation, then to the site, never a guess.
    """
    contact = content.contact
    office = content.office
    name = office.name if office else (contact.organisation if contact else "")
    data = {
        "@type": "Organization",
        "name": name or settings.PRESSDESK_SITE_NAME,
        "url": (contact.website if contact and contact.website else absolute_url("/")),
    }
    if office and office.logo:
        data["logo"] = absolute_url(office.logo_url)
    if contact:
        point = {"@type": "ContactPoint", "contactType": "press", "email": contact.email}
        if contact.phone:
            point["telephone"] = contact.phone
        if contact.office_line:
            point["name"] = contact.office_line
        data["contactPoint"] = point
    return data


def reviewed_claim(response) -> dict:
    """The schema.org Claim a response reviews: who made it, where and when it first appeared."""
    claim = {"@type": "Claim", "name": response.claim_wording}
    if response.claimant:
        claim["author"] = {"@type": "Organization", "name": response.claimant}
    appearance = {"@type": "CreativeWork"}
    if response.first_appearance_url:
        appearance["url"] = response.first_appearance_url
    if response.first_appeared_in:
        appearance["name"] = response.first_appeared_in
    if response.first_appeared_on:
        appearance["datePublished"] = response.first_appeared_on.isoformat()
    if len(appearance) > 1:
        claim["firstAppearance"] = appearance
        claim["appearance"] = [appearance]
    if response.first_appeared_on:
        claim["datePublished"] = response.first_appeared_on.isoformat()
    return claim


def revised(notices) -> dict:
    """`dateModified` and `correction` for a release's public notices (newest first): the date
    of the latest one, and each correction as a schema.org CorrectionComment. A clarification
    dates the change but corrects nothing; a release never revised gets neither."""
    if not notices:
        return {}
    data = {"dateModified": notices[0].published_at.isoformat()}
    corrections = [
        {
            "@type": "CorrectionComment",
            "text": notice.note,
            "datePublished": notice.published_at.isoformat(),
        }
        for notice in notices
        if notice.kind == ReleaseNotice.Kind.CORRECTION
    ]
    if corrections:
        data["correction"] = corrections
    return data


def release_graph(*, content, release, public_date, notices=(), dateline: str = "") -> list[dict]:
    """The JSON-LD objects for one published release page, its addresses on the configured site.

    `notices` are the public ReleaseNotices of the revision shown, newest first. The article
    carries the release's reference number as its `identifier` and its `dateline` ("BRUSSELS,
    12 March 2017") when it has them (issue 13).
    """
    url = absolute_url(release.get_absolute_url())
    modified = revised(notices)
    publisher = organisation(content)
    # In the office's time zone: the date part is the dateline's date (release.issued_date()).
    published = None
    if public_date:
        published = timezone.localtime(public_date, release.time_zone).isoformat()
    images = [absolute_url(f.url) for f in content.figures]
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": content.title[:110],
        "description": content.lede,
        "inLanguage": content.language,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": published,
        "author": publisher,
        "publisher": publisher,
        **modified,
    }
    if release.reference:
        article["identifier"] = release.reference
    if dateline:
        article["dateline"] = dateline
    if images:
        article["image"] = images
    graph = [article]
    for response in content.responses:
        if response.verdict not in VERDICT_RATINGS:  # no verdict yet: not a review
            continue
        graph.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": f"{url}#{response.anchor}",
                "claimReviewed": response.claim_wording,
                "datePublished": published,
                **modified,
                "inLanguage": content.language,
                "author": publisher,
                "itemReviewed": reviewed_claim(response),
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": VERDICT_RATINGS[response.verdict],
                    "bestRating": BEST_RATING,
                    "worstRating": WORST_RATING,
                    "alternateName": response.verdict_label,
                },
            }
        )
    return graph


def json_ld(data) -> str:
    """JSON safe inside <script type="application/ld+json">: no tag can be closed from within."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - escaped above

"""The public paths the benchmark measures, chosen from the data, and their SQL queries counted
exactly in this process (Django's test client and CaptureQueriesContext on the same database)."""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .data import COMMON_WORD, LANGUAGES, RARE_WORD, last_page
from .server import BASELINE


@dataclass(frozen=True)
class PublicPath:
    key: str  # stable name: the query limits (targets.QUERY_LIMITS) and the growth table use it
    path: str
    kind: str  # which cold target applies (targets.COLD_TARGETS)
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or self.key


def public_paths(sitemap_page: str | None) -> list[PublicPath]:
    """Every path of the table but the baseline, from the published data as it is now."""
    from myths.models import Release, RevisionAnswer

    published = Release.objects.published()
    count = published.count()
    # A release and a claim from the middle of the archive: neither the newest nor the oldest.
    release = published.newest_first().only("slug")[count // 2]
    claim = (
        RevisionAnswer.objects.public()
        .filter(position=1)
        .order_by("revision_id")
        .only("slug")[count // 2]
    )
    # A topic and the language of the model releases' second language, in the canonical order.
    topic = claim.topic_list[0][0]
    paths = [
        PublicPath("home", "/", "list"),
        PublicPath("release page", release.get_absolute_url(), "page"),
        PublicPath("release list, page 1", "/releases/", "list"),
        PublicPath(
            "release list, last page",
            f"/releases/?page={last_page(count)}",
            "list",
            f"release list, last page ({last_page(count)})",
        ),
        PublicPath(
            "filter topic+language", f"/releases/?language={LANGUAGES[1]}&topic={topic}", "list"
        ),
        PublicPath("search, rare word", f"/releases/?q={RARE_WORD}", "search-rare"),
        PublicPath("search, common word", f"/releases/?q={COMMON_WORD}", "search-common"),
        PublicPath("myth register", "/myths/", "list"),
        PublicPath("claim page", claim.get_absolute_url(), "page"),
        PublicPath("Atom feed", "/feed/", "list"),
        PublicPath("RSS feed", "/feed/rss/", "list"),
        PublicPath(
            "sitemap.xml",
            "/sitemap.xml",
            "sitemap",
            "sitemap index" if sitemap_page else "sitemap.xml (one file, no index)",
        ),
    ]
    if sitemap_page:
        paths.append(PublicPath("sitemap page", sitemap_page, "sitemap"))
    paths.append(PublicPath("PDF download (stored)", f"/releases/{release.slug}/pdf/", "pdf"))
    return paths


def sitemap_page_of(body: bytes) -> str | None:
    """The path of one sitemap page named by a sitemap index (the last one listed, so a page
    of releases rather than of the few static pages), or None when sitemap.xml is one file."""
    text = body.decode(errors="replace")
    if "<sitemapindex" not in text:
        return None
    locations = re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", text)
    if not locations:
        return None
    location = urlsplit(locations[-1].replace("&amp;", "&"))
    return location.path + (f"?{location.query}" if location.query else "")


def release_pdf_store(path: PublicPath) -> None:
    """Render and store the public PDF the PDF row downloads, as the background job does."""
    from myths.models import Release
    from myths.pdf.tasks import release_pdfs_render

    slug = path.path.split("/")[2]
    release_pdfs_render.call(release_id=Release.objects.get(slug=slug).pk)


def cold_start() -> None:
    """What a publication does to the cache: a new public generation, here with the cache
    emptied as well, so no entry of any generation can answer."""
    from django.core.cache import cache
    from django.db import transaction

    from core.cache import public_cache_bump

    with transaction.atomic():
        public_cache_bump()
    cache.clear()


def query_counts(paths: list[PublicPath], errors: list[str]) -> dict[str, tuple[int, int]]:
    """(cold, warm) SQL queries of each path and of the baseline: cold right after a new public
    generation, warm on the request that follows. A path that does not answer 200 is added to
    `errors` and left out."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for path in [PublicPath("baseline", BASELINE, "baseline"), *paths]:
        measured = []
        cold_start()
        for _ in ("cold", "warm"):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path.path)
                if response.streaming:
                    b"".join(response.streaming_content)
            if response.status_code != 200:
                errors.append(f"{path.path} answered {response.status_code} in process")
                break
            measured.append(len(captured))
        else:
            counts[path.key] = tuple(measured)
    return counts


def cold_unstored(paths: list[PublicPath], counts: dict, errors: list[str]) -> None:
    """Check that the cold load is cold: a request with a `cold=` parameter of its own, made a
    second time, still costs more queries than a warm hit, so nothing stored it. (If pages ever
    stored unknown query strings, the cold column would silently measure the cache.)"""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.public_state import public_state_forget

    client = Client()
    for path in paths:
        cold, warm = counts.get(path.key, (0, 0))
        if cold <= warm:  # never cached (a search, say): nothing to tell apart
            continue
        url = f"{path.path}{'&' if '?' in path.path else '?'}cold=check"
        client.get(url)
        # With this process's generation reading forgotten, a page served from the page cache
        # costs that one read (warm + 1); a page built again costs at least one query more,
        # though it may cost fewer than `cold` (a release or claim page filled from the
        # skeleton the first request rendered, which is what readers after a publication get).
        public_state_forget()
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        if len(captured) <= warm + 1:
            errors.append(f"{path.path}: a cold= request was served from the cache")

"""sitemap.xml: the public pages, the published releases and the claims of the myth register.

Addresses are on settings.PRESSDESK_SITE_URL (core.site), never on the request's host: the
sitemap is cached for every visitor, so a forged Host header must not end up in it.
"""

from django.contrib.sitemaps import Sitemap

from core.site import canonical_path, site_domain, site_scheme

from ..models import Release, RevisionAnswer


class ConfiguredSite:
    """What Sitemap.get_urls() needs of a site (its `domain`), from the configured address."""

    @property
    def domain(self) -> str:
        return site_domain()

    @property
    def name(self) -> str:
        return site_domain()


class SiteSitemap(Sitemap):
    """Builds every URL on the configured site, whatever site the sitemap view passes in."""

    def get_urls(self, page=1, site=None, protocol=None):
        return super().get_urls(page=page, site=ConfiguredSite(), protocol=site_scheme())


class StaticSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return ["myths:home", "myths:release-list", "myths:claim-list", "contacts:contact-list"]

    def location(self, item):
        return canonical_path(item)


class ReleaseSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self):
        return (
            Release.objects.published()
            .with_public_text()
            .with_public_notice()
            .only("slug")
            .newest_first()
        )

    def lastmod(self, item):
        # A correction or clarification changes the page: its date, else the publication's.
        return item.public_modified or item.public_date


class ClaimSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return RevisionAnswer.objects.register().only("slug").order_by("slug")

    def lastmod(self, item):
        return item.answered_on


SITEMAPS = {"pages": StaticSitemap, "releases": ReleaseSitemap, "myths": ClaimSitemap}

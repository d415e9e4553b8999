"""sitemap.xml: the public pages, the published releases and the claims of the myth register."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .public import public_claims, published_releases


class StaticSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["myths:home", "myths:release-list", "myths:claim-list", "contacts:contact-list"]

    def location(self, item):
        return reverse(item)


class ReleaseSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return published_releases().only("slug").order_by("-public_date", "-pk")

    def lastmod(self, item):
        return item.public_date


class ClaimSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return public_claims().only("slug").order_by("slug")

    def lastmod(self, item):
        return item.answered_on


SITEMAPS = {"pages": StaticSitemap, "releases": ReleaseSitemap, "myths": ClaimSitemap}

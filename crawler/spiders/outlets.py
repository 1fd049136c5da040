"""The spider `framegap crawl` runs: every discovery source of the selected outlets."""

from __future__ import annotations

from crawler.spiders.base import RegistrySpider
from crawler.spiders.feed import FeedMixin
from crawler.spiders.gdelt import GdeltMixin
from crawler.spiders.listing import ListingMixin
from crawler.spiders.sitemap import SitemapMixin
from crawler.spiders.urls import UrlsMixin


class OutletsSpider(SitemapMixin, FeedMixin, ListingMixin, UrlsMixin, GdeltMixin, RegistrySpider):
    """Crawl the selected outlets through all their sources."""

    name = "outlets"

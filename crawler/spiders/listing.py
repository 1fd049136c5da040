"""Listing discovery: section or search pages, with pagination by a next link or a {page} number."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.outlets import Outlet, Source
from crawler.spiders.base import RegistrySpider


class ListingMixin:
    """Read `listing` sources."""

    def listing_requests(self: Any, outlet: Outlet, source: Source) -> Iterator[scrapy.Request]:
        """Request the first listing page of a source."""
        yield self._listing_page(outlet, source, source.url.replace("{page}", "1"), 1)

    def _listing_page(
        self: Any, outlet: Outlet, source: Source, url: str, page: int
    ) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self.on_error,
            dont_filter=True,
            meta={
                "outlet": outlet.slug,
                "stage": "listing",
                "listing_page": page,
                "source": source,
            },
        )

    def parse_listing(self: Any, response: Response) -> Iterator[Any]:
        """Request the article links of a listing page, then its next page."""
        outlet = self.outlets[response.meta["outlet"]]
        source: Source = response.meta["source"]
        page = response.meta["listing_page"]
        found = 0
        for href in response.css(source.link_css).xpath("@href").getall():
            url = response.urljoin(href.strip())
            if not outlet.article_url.search(url):
                continue
            found += 1
            request = self.article_request(url, outlet)
            if request is not None:
                yield request
        if page >= source.max_pages or not found:
            return
        if source.next_css:
            next_href = response.css(source.next_css).xpath("@href").get()
            if next_href:
                yield self._listing_page(outlet, source, response.urljoin(next_href), page + 1)
        elif "{page}" in source.url:
            yield self._listing_page(
                outlet, source, source.url.replace("{page}", str(page + 1)), page + 1
            )


class ListingSpider(ListingMixin, RegistrySpider):
    """Crawl outlets through their listing pages only."""

    name = "listing"
    kinds = ("listing",)

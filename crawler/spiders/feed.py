"""Feed discovery: RSS 2.0 and Atom. Item dates limit what is followed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import scrapy
from lxml import etree
from scrapy.http import Response

from crawler.items import ErrorItem
from crawler.outlets import Outlet, Source
from crawler.spiders.base import RegistrySpider, parse_iso


class FeedError(Exception):
    """A feed that cannot be read."""


class FeedMixin:
    """Read `feed` sources."""

    def feed_requests(self: Any, outlet: Outlet, source: Source) -> Iterator[scrapy.Request]:
        """Request the feed of a source."""
        yield scrapy.Request(
            source.url,
            callback=self.parse_feed,
            errback=self.on_error,
            meta={"outlet": outlet.slug, "stage": "feed"},
            dont_filter=True,
        )

    def parse_feed(self: Any, response: Response) -> Iterator[Any]:
        """Request the article URLs of an RSS or Atom feed."""
        outlet = self.outlets[response.meta["outlet"]]
        try:
            entries = feed_entries(response.body)
        except FeedError as exc:
            yield ErrorItem(url=response.url, outlet=outlet.slug, stage="feed", reason=str(exc))
            return
        for link, when in entries:
            url = response.urljoin(link)
            if outlet.article_url.search(url):
                request = self.article_request(url, outlet, when)
                if request is not None:
                    yield request


def feed_entries(body: bytes) -> list[tuple[str, datetime | None]]:
    """[(link, date)] of an RSS 2.0 or Atom document."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)
    try:
        root = etree.fromstring(body.strip(), parser=parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise FeedError(f"malformed feed XML ({exc})") from None
    kind = etree.QName(root).localname
    entries: list[tuple[str, datetime | None]] = []
    if kind == "rss" or kind == "RDF":
        for item in root.iter("{*}item", "item"):
            link = item.findtext("link") or item.findtext("{*}link") or item.findtext("guid")
            when = item.findtext("pubDate") or item.findtext("{*}date")
            if link:
                entries.append((link.strip(), _rfc822(when)))
    elif kind == "feed":
        for entry in root.iter("{*}entry"):
            links = entry.findall("{*}link")
            href = next(
                (
                    lk.get("href")
                    for lk in links
                    if lk.get("rel", "alternate") == "alternate" and lk.get("href")
                ),
                None,
            )
            when = entry.findtext("{*}published") or entry.findtext("{*}updated")
            if href:
                entries.append((href.strip(), parse_iso(when)))
    else:
        raise FeedError(f"not an RSS or Atom feed (root element <{kind}>)")
    return entries


def _rfc822(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError):
        return parse_iso(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class FeedSpider(FeedMixin, RegistrySpider):
    """Crawl outlets through their RSS/Atom feeds only."""

    name = "feed"
    kinds = ("feed",)

"""Sitemap discovery: robots.txt Sitemap lines, sitemap indexes (nested), urlsets, news sitemaps,
gzip. Dates from <lastmod> or <news:publication_date> limit what is followed."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from lxml import etree
from scrapy.http import Response

from crawler.items import ErrorItem
from crawler.outlets import Outlet, Source
from crawler.spiders.base import RegistrySpider, parse_iso

MAX_SITEMAP_BYTES = 50 * 1024 * 1024


class SitemapMixin:
    """Read `sitemap` sources."""

    def sitemap_requests(self: Any, outlet: Outlet, source: Source) -> Iterator[scrapy.Request]:
        """Request the sitemap (or robots.txt listing sitemaps) of a source."""
        callback = (
            self.parse_robots_sitemaps if source.url.endswith("/robots.txt") else self.parse_sitemap
        )
        yield scrapy.Request(
            source.url,
            callback=callback,
            errback=self.on_error,
            meta={"outlet": outlet.slug, "stage": "sitemap"},
            dont_filter=True,
        )

    def parse_robots_sitemaps(self: Any, response: Response) -> Iterator[Any]:
        """Follow the Sitemap: lines of a robots.txt."""
        for line in response.text.splitlines():
            if line.lower().startswith("sitemap:"):
                yield response.follow(
                    line.split(":", 1)[1].strip(),
                    callback=self.parse_sitemap,
                    errback=self.on_error,
                    meta={"outlet": response.meta["outlet"], "stage": "sitemap"},
                )

    def parse_sitemap(self: Any, response: Response) -> Iterator[Any]:
        """Follow a sitemap index's children, or request a urlset's article URLs."""
        outlet = self.outlets[response.meta["outlet"]]
        try:
            kind, entries = sitemap_entries(response.body)
        except SitemapError as exc:
            yield ErrorItem(url=response.url, outlet=outlet.slug, stage="sitemap", reason=str(exc))
            return
        for loc, when in entries:
            if kind == "sitemapindex":
                if outlet.owns(_host(loc)) and self.in_window_index(when):
                    yield scrapy.Request(
                        loc,
                        callback=self.parse_sitemap,
                        errback=self.on_error,
                        meta={"outlet": response.meta["outlet"], "stage": "sitemap"},
                        dont_filter=True,
                    )
            elif outlet.article_url.search(loc):
                request = self.article_request(loc, outlet, when)
                if request is not None:
                    yield request

    def in_window_index(self: Any, when: datetime | None) -> bool:
        """A child sitemap last modified before --since holds nothing new enough to follow."""
        return not (when and self.since and when < self.since)


class SitemapError(Exception):
    """A sitemap that cannot be read."""


def sitemap_entries(body: bytes) -> tuple[str, list[tuple[str, datetime | None]]]:
    """('urlset' | 'sitemapindex', [(loc, date)]) of a sitemap body, gzipped or not."""
    if body[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(body)) as handle:
                body = handle.read(MAX_SITEMAP_BYTES + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise SitemapError(f"sitemap is not valid gzip ({exc})") from None
        if len(body) > MAX_SITEMAP_BYTES:
            raise SitemapError("sitemap larger than 50 MB after gunzip; skipped")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, recover=False, huge_tree=False
    )
    try:
        root = etree.fromstring(body.strip(), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise SitemapError(f"malformed sitemap XML ({exc})") from None
    kind = etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        raise SitemapError(f"not a sitemap (root element <{kind}>)")
    child = "url" if kind == "urlset" else "sitemap"
    entries = []
    for element in root.iter(f"{{*}}{child}"):
        loc = element.findtext("{*}loc")
        if not loc:
            continue
        when = element.findtext(".//{*}publication_date") or element.findtext("{*}lastmod")
        entries.append((loc.strip(), parse_iso(when)))
    return kind, entries


def _host(url: str) -> str:
    return urlsplit(url).hostname or ""


class SitemapSpider(SitemapMixin, RegistrySpider):
    """Crawl outlets through their sitemaps only."""

    name = "sitemap"
    kinds = ("sitemap",)

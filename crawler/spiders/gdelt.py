"""Discovery through the GDELT DOC 2.0 API: the article list for a query, per outlet domain."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from crawler.items import ErrorItem
from crawler.outlets import Outlet, Source
from crawler.spiders.base import RegistrySpider

GDELT_DOC_API = "https://api.gdeltproject.org/api/v2/doc/doc"
MAX_RECORDS = 250


def gdelt_url(
    query: str,
    domain: str,
    since: datetime | None,
    until: datetime | None,
    endpoint: str = GDELT_DOC_API,
) -> str:
    """The DOC 2.0 article-list URL for a query on one domain and date range."""
    params = {
        "query": f"{query} domain:{domain}",
        "mode": "artlist",
        "format": "json",
        "maxrecords": str(MAX_RECORDS),
        "sort": "datedesc",
    }
    if since:
        params["startdatetime"] = since.strftime("%Y%m%d%H%M%S")
    if until:
        params["enddatetime"] = (until + timedelta(days=1)).strftime("%Y%m%d%H%M%S")
    return f"{endpoint}?{urlencode(params)}"


def gdelt_articles(body: bytes) -> list[tuple[str, datetime | None]]:
    """[(url, seen date)] of a DOC 2.0 artlist JSON answer; raises ValueError when it is not one."""
    data = json.loads(body.decode("utf-8", "replace") or "{}")
    if not isinstance(data, dict):
        raise ValueError("answer is not a JSON object")
    found = []
    for article in data.get("articles", []):
        url = article.get("url")
        if not url:
            continue
        seen = article.get("seendate", "")
        try:
            when = datetime.strptime(seen, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        except ValueError:
            when = None
        found.append((url, when))
    return found


class GdeltMixin:
    """Read `gdelt` sources."""

    def gdelt_requests(self: Any, outlet: Outlet, source: Source) -> Iterator[scrapy.Request]:
        """One API request per allowed domain of the outlet."""
        endpoint = self.settings.get("FRAMEGAP_GDELT_URL") or GDELT_DOC_API
        for domain in outlet.allowed_domains:
            yield scrapy.Request(
                gdelt_url(source.query, domain, self.since, self.until, endpoint),
                callback=self.parse_gdelt,
                errback=self.on_error,
                dont_filter=True,
                meta={"outlet": outlet.slug, "stage": "gdelt"},
            )

    def parse_gdelt(self: Any, response: Response) -> Iterator[Any]:
        """Request the articles GDELT lists."""
        outlet = self.outlets[response.meta["outlet"]]
        try:
            articles = gdelt_articles(response.body)
        except ValueError as exc:
            yield ErrorItem(
                url=response.url,
                outlet=outlet.slug,
                stage="gdelt",
                reason=f"not a GDELT article list ({exc})",
            )
            return
        for url, when in articles:
            request = self.article_request(url, outlet, when)
            if request is not None:
                yield request


class GdeltSpider(GdeltMixin, RegistrySpider):
    """Crawl outlets through GDELT's article lists only."""

    name = "gdelt"
    kinds = ("gdelt",)

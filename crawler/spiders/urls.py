"""A plain list of URLs: `-a urls=U1,U2`, `-a urls_file=PATH`, or a registry `urls` source."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from crawler.items import ErrorItem
from crawler.outlets import Outlet, Source
from crawler.spiders.base import RegistrySpider


class UrlsMixin:
    """Read `urls` sources: a text file of URLs, local (file:) or on the web."""

    def urls_requests(self: Any, outlet: Outlet, source: Source) -> Iterator[Any]:
        """Request each listed URL, or the list itself when it is on the web."""
        if source.url.startswith("file:"):
            path = Path(urlsplit(source.url).path)
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                self.logger.error("cannot read URL list %s: %s", path, exc.strerror)
                return
            yield from self._listed(outlet, lines)
        else:
            yield scrapy.Request(
                source.url,
                callback=self.parse_url_list,
                errback=self.on_error,
                meta={"outlet": outlet.slug, "stage": "urls"},
                dont_filter=True,
            )

    def parse_url_list(self: Any, response: Response) -> Iterator[Any]:
        """Request the URLs of a list fetched from the web."""
        yield from self._listed(self.outlets[response.meta["outlet"]], response.text.splitlines())

    def _listed(self: Any, outlet: Outlet, lines: list[str]) -> Iterator[Any]:
        for line in lines:
            url = line.strip()
            if not url or url.startswith("#"):
                continue
            if not url.startswith(("http://", "https://")):
                yield ErrorItem(
                    url=url, outlet=outlet.slug, stage="urls", reason="not an http(s) URL"
                )
                continue
            request = self.article_request(url, outlet)
            if request is not None:
                yield request


class UrlsSpider(UrlsMixin, RegistrySpider):
    """Fetch given article URLs (`-a urls=...` or `-a urls_file=...`) and registry URL lists."""

    name = "urls"
    kinds = ("urls",)

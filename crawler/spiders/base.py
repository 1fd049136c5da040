"""The generic registry spider: discovers article URLs from an outlet's sources and fetches them.

Each discovery kind (sitemap, feed, listing, urls, gdelt) is a mixin in `crawler.spiders.sources`;
the concrete spiders in this package differ only in which kinds they read.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, UsageError
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.errors import CrawlerError
from crawler.extract import Extracted, extract, normalize_url
from crawler.items import ErrorItem, PageItem
from crawler.outlets import (
    REAL_REGISTRY,
    SAMPLE_REGISTRY,
    SOURCE_KINDS,
    Outlet,
    Source,
    load_registry,
    select,
)
from db import open_db
from db.queries import known_urls


def parse_day(value: str, name: str) -> datetime | None:
    """A --since/--until value (YYYY-MM-DD) as an aware UTC datetime, or None when empty."""
    if not value:
        return None
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise UsageError(f"{name} must be a date like 2024-07-03, got {value!r}") from None


def parse_iso(value: str | None) -> datetime | None:
    """An ISO-8601 date a source states, as an aware datetime (UTC when it names no zone)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class RegistrySpider(scrapy.Spider):
    """Crawl the selected outlets of a registry through the discovery sources of `kinds`."""

    kinds: tuple[str, ...] = SOURCE_KINDS

    def __init__(
        self,
        outlet: str = "",
        registry: str = "",
        since: str = "",
        until: str = "",
        urls: str = "",
        urls_file: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.is_sample = registry == "sample"
        path = {"": REAL_REGISTRY, "real": REAL_REGISTRY, "sample": SAMPLE_REGISTRY}.get(
            registry, Path(registry)
        )
        try:
            registry_outlets = load_registry(path, is_sample=self.is_sample)
            chosen = select(registry_outlets, [s for s in outlet.split(",") if s])
        except CrawlerError as exc:
            raise UsageError(str(exc)) from None
        self.registry = registry_outlets
        self.outlets: dict[str, Outlet] = {o.slug: o for o in chosen}
        self.since = parse_day(since, "since")
        self.until = parse_day(until, "until")
        self.extra_urls = [u for u in urls.split(",") if u] + _read_url_file(urls_file)
        self.known: set[str] = set()
        self._pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        """Create the spider and give each outlet's domains their own polite delay."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        if crawler.settings.frozen:  # only when a test builds the crawler by hand
            spider.logger.warning("settings already frozen: per-domain delays not applied")
            return spider
        default = crawler.settings.getfloat("DOWNLOAD_DELAY")
        slots = dict(crawler.settings.getdict("DOWNLOAD_SLOTS"))
        for outlet in spider.outlets.values():
            delay = default if outlet.download_delay is None else outlet.download_delay
            for domain in outlet.allowed_domains:
                slots.setdefault(domain, {"delay": delay, "concurrency": 1})
        crawler.settings.set("DOWNLOAD_SLOTS", slots, priority="spider")
        return spider

    async def start(self) -> AsyncIterator[Any]:
        """Read what is already stored, then request every discovery source."""
        redis_url = self.settings.get("FRAMEGAP_REDIS_URL")
        if redis_url:  # a distributed worker: the writer publishes what is stored
            from crawler.distributed import wait_ready

            self.known = await asyncio.to_thread(
                wait_ready, redis_url, self.settings.get("FRAMEGAP_REDIS_NAME")
            )
        else:
            db = open_db(self.settings.get("FRAMEGAP_DB"))
            try:
                self.known = known_urls(db, list(self.outlets))
            finally:
                db.close()
        for request in self.discovery_requests():
            yield request

    def discovery_requests(self) -> Iterator[scrapy.Request]:
        """The first request of every selected source, plus any URLs given directly."""
        for outlet in self.outlets.values():
            for source in outlet.sources:
                if source.kind in self.kinds:
                    yield from self.source_requests(outlet, source)
        if "urls" in self.kinds:
            for url in self.extra_urls:
                request = self.article_request(url, self.outlet_for(url))
                if request is not None:
                    yield request

    def source_requests(self, outlet: Outlet, source: Source) -> Iterator[scrapy.Request]:
        """Requests for one source, from the mixin of its kind (`<kind>_requests`)."""
        reader = getattr(self, f"{source.kind}_requests", None)
        if reader is None:
            raise UsageError(f"spider {self.name} cannot read {source.kind} sources")
        yield from reader(outlet, source)

    # -- articles ----------------------------------------------------------------------------

    def outlet_for(self, url: str) -> Outlet | None:
        """The selected outlet that owns a URL's host, if any."""
        host = urlsplit(url).hostname or ""
        return next((o for o in self.outlets.values() if o.owns(host)), None)

    def in_window(self, when: datetime | None) -> bool:
        """Whether a date the source states lies inside --since/--until (unknown: yes)."""
        if when is None:
            return True
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        if self.since and when < self.since:
            return False
        return not (self.until and when >= self.until.replace(hour=23, minute=59, second=59))

    def article_request(
        self, url: str, outlet: Outlet | None, when: datetime | None = None
    ) -> scrapy.Request | None:
        """A request for an article candidate, or None when known, foreign or out of window.

        The URL is normalised first (tracking parameters, fragment), so one article linked
        with and without `?utm_source=...` is fetched once.
        """
        url = normalize_url(url)
        stats = self.crawler.stats
        if stats is None:
            raise CrawlerError("the spider runs without a crawler")
        if outlet is None or not outlet.owns(urlsplit(url).hostname or ""):
            stats.inc_value("framegap/skipped_foreign")
            return None
        if not self.in_window(when):
            stats.inc_value("framegap/skipped_out_of_window")
            return None
        stats.inc_value(f"framegap/discovered/{outlet.slug}")  # known or new: the monitor's signal
        if url in self.known:
            stats.inc_value("framegap/skipped_known")
            return None
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            meta={"outlet": outlet.slug, "stage": "fetch"},
        )

    async def parse_article(self, response: Response) -> AsyncIterator[PageItem]:
        """Extract an article candidate into a PageItem."""
        outlet = self.outlets[response.meta["outlet"]]
        extracted = await self._extract(
            response.body, response.url, _header_charset(response) or None, outlet.timezone
        )
        yield PageItem(
            url=response.url,
            outlet=outlet.slug,
            status=response.status,
            headers={
                k.decode("latin-1"): b", ".join(v).decode("latin-1")
                for k, v in response.headers.items()
            },
            body=response.body,
            extracted=extracted,
            is_sample=self.is_sample,
            ledger_done=response.meta.get("ledger_done"),
        )

    async def _extract(self, body: bytes, url: str, charset: str | None, tz: str) -> Extracted:
        """Run extraction in the worker processes (FRAMEGAP_EXTRACT_WORKERS), or here if 0.

        Extraction is the crawl's heaviest CPU work; in a worker it runs on another core
        while this process keeps fetching and storing.
        """
        workers = self.settings.getint("FRAMEGAP_EXTRACT_WORKERS")
        if workers > 0 and self._pool is None:
            self._pool = ProcessPoolExecutor(workers, get_context("forkserver"))
        if self._pool is not None:
            try:
                future = self._pool.submit(
                    extract, body, url, declared_encoding=charset, default_tz=tz
                )
                return await asyncio.wrap_future(future)
            except BrokenProcessPool:
                self.logger.warning("extraction worker died; extracting in this process")
                self._pool = None
        return extract(body, url, declared_encoding=charset, default_tz=tz)

    def closed(self, reason: str) -> None:
        """Stop the extraction workers."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def on_error(self, failure: Failure) -> Iterator[ErrorItem]:
        """Record a request that failed: HTTP error, robots.txt, network."""
        request = failure.request  # type: ignore[attr-defined]
        stage = request.meta.get("stage", "fetch")
        error = failure.value
        if isinstance(error, HttpError):
            status = error.response.status
            if request.meta.get("listing_page", 1) > 1 and status == 404:
                return  # numbered listing pages past the last one
            reason = f"HTTP {status}"
        elif isinstance(error, IgnoreRequest):
            stage, reason = "robots", str(error) or "forbidden by robots.txt"
        else:
            reason = f"{type(error).__name__}: {failure.getErrorMessage()}"
        yield ErrorItem(
            url=request.url,
            outlet=request.meta.get("outlet"),
            stage=stage,
            reason=reason,
            ledger_done=request.meta.get("ledger_done"),
        )


def _header_charset(response: Response) -> str:
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    match = re.search(r"charset=([\w-]+)", content_type, re.I)
    return match.group(1) if match else ""


def _read_url_file(path: str) -> list[str]:
    if not path:
        return []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"cannot read URL list {path}: {exc.strerror}") from None
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]

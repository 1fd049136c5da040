"""Downloader middlewares: sample-site routing and retries with backoff."""

from __future__ import annotations

import logging
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.task import deferLater

log = logging.getLogger(__name__)


class SampleRoutingMiddleware:
    """Send requests for *.test hosts through the sample server, as through an HTTP proxy.

    The bundled sample outlets live on reserved .test names that no resolver knows; the sample
    server answers for all of them on 127.0.0.1. Other hosts are untouched.
    """

    def __init__(self, proxy: str) -> None:
        self.proxy = proxy

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Read FRAMEGAP_SAMPLE_PROXY."""
        return cls(crawler.settings.get("FRAMEGAP_SAMPLE_PROXY", ""))

    def process_request(self, request: Request) -> None:
        """Set the proxy for .test hosts."""
        host = urlparse_cached(request).hostname or ""
        if self.proxy and host.endswith(".test"):
            request.meta["proxy"] = self.proxy


class BackoffRetryMiddleware(RetryMiddleware):
    """Retry 429/5xx and network errors after an exponential pause (or the Retry-After)."""

    base: float = 2.0
    cap: float = 120.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Read RETRY_BACKOFF_BASE and RETRY_BACKOFF_MAX as well as the stock settings."""
        middleware = super().from_crawler(crawler)
        middleware.base = crawler.settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        middleware.cap = crawler.settings.getfloat("RETRY_BACKOFF_MAX", 120.0)
        return middleware

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        """Retry like Scrapy does, but wait first."""
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self._pause(result, _retry_after(response))
        return result

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        """Retry network errors like Scrapy does, but wait first."""
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self._pause(result, None)
        return result

    async def _pause(self, retry: Request, retry_after: float | None) -> None:
        attempt = int(retry.meta.get("retry_times", 1))
        delay = min(
            self.cap, retry_after if retry_after is not None else self.base * 2 ** (attempt - 1)
        )
        log.debug("waiting %.1fs before retry %d of %s", delay, attempt, retry.url)
        from twisted.internet import reactor  # the one Scrapy installed; never at import time

        await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))


def _retry_after(response: Response) -> float | None:
    value = response.headers.get(b"Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value.decode("ascii", "replace")))
    except ValueError:
        return None

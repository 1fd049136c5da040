"""The sample sites' web server: every sample outlet on 127.0.0.1, chosen by Host header.

It answers both origin-form requests (``GET /path`` with ``Host: x.test``) and the absolute-form
requests an HTTP proxy receives (``GET http://x.test/path``), so the crawler reaches the .test
hosts by routing them through it (crawler/routing.py) and crawls exactly as it crawls the web:
robots.txt, sitemaps, feeds, listings, redirects and errors included.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from crawler.sample import render
from crawler.sample.site import SampleSites, load_sites

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Page:
    """A prepared response."""

    status: int
    content_type: str
    body: bytes


class SampleServer(ThreadingHTTPServer):
    """A threading HTTP server over prepared pages, logging every request it receives."""

    daemon_threads = True

    def __init__(self, port: int = 0, sites: SampleSites | None = None) -> None:
        self.sites = sites or load_sites()
        self.pages: dict[tuple[str, str], Page] = render.all_pages(self.sites)
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self.server_address[1])

    @property
    def proxy(self) -> str:
        """The URL the crawler routes .test hosts through."""
        return f"http://127.0.0.1:{self.port}"

    def log_request_of(self, host: str, path: str) -> None:
        """Remember a request (tests assert on what was and was not fetched)."""
        with self._lock:
            self.requests.append((host, path))

    def fetched(self, host: str | None = None) -> list[tuple[str, str]]:
        """The requests received so far, optionally for one host."""
        with self._lock:
            return [r for r in self.requests if host is None or r[0] == host]


class _Handler(BaseHTTPRequestHandler):
    server: SampleServer
    server_version = "framegap-sample/1"

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        host, path = self._target()
        self.server.log_request_of(host, path)
        if host not in self.server.sites.by_host:
            self._send(Page(502, "text/plain", f"unknown sample host {host}\n".encode()))
            return
        pages = self.server.pages
        page = pages.get((host, path)) or pages.get((host, path.split("?")[0])) or _fault(path)
        self._send(page or Page(404, "text/html; charset=utf-8", b"<h1>Not found</h1>"))

    def _target(self) -> tuple[str, str]:
        if self.path.startswith(("http://", "https://")):
            parts = urlsplit(self.path)
            host, path = parts.hostname or "", parts.path or "/"
            query = parts.query
        else:
            parts = urlsplit(self.path)
            host = (self.headers.get("Host") or "").split(":")[0]
            path, query = parts.path, parts.query
        return host.lower(), path + (f"?{query}" if query else "")

    def _send(self, page: Page) -> None:
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        self.wfile.write(page.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib's name)
        log.debug("sample server: " + format, *args)


def _fault(path: str) -> Page | None:
    """Pages every sample host serves for error tests."""
    if path == "/_faults/500":
        return Page(500, "text/html", b"<h1>Internal Server Error</h1>")
    if path == "/_faults/malformed-sitemap.xml":
        return Page(200, "application/xml", b'<?xml version="1.0"?><urlset><url><loc>http://')
    if path == "/_faults/bad-gzip-sitemap.xml.gz":
        return Page(200, "application/x-gzip", b"\x1f\x8b\x08\x00not really gzip")
    if path == "/_faults/empty-feed.xml":
        return Page(200, "application/rss+xml", b"")
    return None


@contextmanager
def serving(port: int = 0, sites: SampleSites | None = None) -> Iterator[SampleServer]:
    """Run the sample server in a background thread for the duration of the block."""
    server = SampleServer(port, sites)
    thread = threading.Thread(target=server.serve_forever, name="sample-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

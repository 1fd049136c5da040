"""The one writer of a distributed crawl: `framegap ingest --redis URL`.

It starts the run (clearing the previous distributed crawl's queue and seen-set, publishing the
URLs already stored), then takes the workers' pages, errors and drops from Redis and runs them
through the same dedupe and store pipelines as a one-process crawl, so the database has one
owner. It ends when workers have come and gone, the queue, the ledgers and the item list are
empty; it records the run with the workers' stats merged.
"""

from __future__ import annotations

import logging
import pickle
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.settings import Settings

from crawler.distributed import connect, prefix
from crawler.errors import CrawlerError
from crawler.items import PageItem
from crawler.outlets import REAL_REGISTRY, SAMPLE_REGISTRY, load_registry, select
from crawler.pipelines.dedupe import DedupePipeline
from crawler.pipelines.store import StorePipeline
from db import open_db
from db.queries import known_urls

log = logging.getLogger(__name__)


class _Stats:
    """The run's stats: the writer's counts plus every worker's, summed."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def get_stats(self) -> dict[str, Any]:
        return dict(self.values)

    def inc_value(self, key: str, count: int = 1, start: int = 0, spider: Any = None) -> None:
        self.values[key] = self.values.get(key, start) + count

    def merge(self, worker: dict[str, Any]) -> None:
        for key, value in worker.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                self.values[key] = self.values.get(key, 0) + value
        self.inc_value("framegap/workers")


@dataclass
class _Spider:
    """What the pipelines read from a spider."""

    outlets: dict[str, Any]
    is_sample: bool
    name: str
    crawl_run_id: int = 0


@dataclass
class _Crawler:
    """What the pipelines read from a crawler."""

    settings: Settings
    spider: _Spider
    stats: _Stats = field(default_factory=_Stats)


@dataclass
class IngestResult:
    """What the writer stored."""

    run_id: int
    counts: Counter[str]
    workers: int
    seconds: float


def ingest(
    url: str,
    db_path: Path,
    name: str = "crawl",
    sample: bool = False,
    registry: Path | None = None,
    outlets: list[str] | None = None,
    wait_for_workers: float = 300.0,
) -> IngestResult:
    """Start a distributed crawl run and store what its workers hand over until it is done."""
    started = time.monotonic()
    server = connect(url)
    try:
        server.ping()
    except Exception as exc:  # redis raises its own ConnectionError types
        raise CrawlerError(f"cannot reach Redis at {url} ({exc}); start redis-server") from None
    keys = prefix(name)
    if list(server.scan_iter(match=f"{keys}alive:*")):
        raise CrawlerError(
            f"workers of {name!r} are still running on {url}; let them finish or stop them"
        )
    for key in list(server.scan_iter(match=f"{keys}*")):
        server.delete(key)  # a new run: the previous one's queue, seen-set and items go
    path = SAMPLE_REGISTRY if sample else (registry or REAL_REGISTRY)
    chosen = select(load_registry(path, is_sample=sample), outlets or [])
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("FRAMEGAP_DB", str(db_path), priority="cmdline")
    crawler = _Crawler(settings, _Spider({o.slug: o for o in chosen}, sample, f"redis:{name}"))
    store, dedupe = StorePipeline(crawler), DedupePipeline(crawler)  # type: ignore[arg-type]
    store.open_spider()
    dedupe.open_spider()
    db = open_db(db_path, read_only=True)
    known = known_urls(db, list(crawler.spider.outlets))
    db.close()
    for chunk in range(0, len(known), 1000):
        server.sadd(f"{keys}known", *sorted(known)[chunk : chunk + 1000])
    server.set(f"{keys}ready", b"1")
    seen_workers: set[str] = set()
    quiet_since = time.monotonic()
    reason = "finished"
    try:
        while True:
            popped = server.blpop([f"{keys}items"], timeout=1)
            if popped:
                _handle(pickle.loads(popped[1]), store, dedupe, crawler, server, keys)
                quiet_since = time.monotonic()
                continue
            alive = {k.decode() for k in server.scan_iter(match=f"{keys}alive:*")}
            seen_workers |= alive
            busy = server.llen(f"{keys}requests") or any(
                server.hlen(k) for k in server.scan_iter(match=f"{keys}inflight:*")
            )
            if seen_workers and not alive and not busy:
                break
            if not seen_workers and time.monotonic() - quiet_since > wait_for_workers:
                reason = "no workers"
                break
            if seen_workers and not alive and busy:
                log.warning(
                    "requests are left in flight but no worker is alive; start a worker "
                    "(framegap crawl --redis %s) to finish them",
                    url,
                )
    except KeyboardInterrupt:
        reason = "shutdown"
    finally:
        server.delete(f"{keys}ready")
        store.spider_closed(crawler.spider, reason)
    return IngestResult(
        crawler.spider.crawl_run_id,
        store.counts,
        int(crawler.stats.values.get("framegap/workers", 0)),
        round(time.monotonic() - started, 1),
    )


def _handle(
    record: tuple[str, Any],
    store: StorePipeline,
    dedupe: DedupePipeline,
    crawler: _Crawler,
    server: Any,
    keys: str,
) -> None:
    kind, payload = record
    if kind == "stats":
        crawler.stats.merge(payload)
    elif kind == "dropped":
        item, reason = payload
        store.item_dropped(item, None, Exception(reason))
    else:
        item = dedupe.process_item(payload)
        store.process_item(item)
        if isinstance(item, PageItem):
            server.sadd(f"{keys}known", item.url)

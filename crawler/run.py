"""Run a crawl in this process: registry → spider → pipelines → SQLite. Used by `framegap crawl`."""

from __future__ import annotations

import logging
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

from crawler.errors import CrawlerError
from crawler.outlets import REAL_REGISTRY, SAMPLE_REGISTRY, load_registry, select
from crawler.spiders.base import parse_day
from db.lock import Locked, acquire, lock_path

log = logging.getLogger(__name__)


@dataclass
class CrawlOptions:
    """What `framegap crawl` asks for; each field is one of its flags."""

    db: Path
    sample: bool = False
    sample_server: str = ""
    registry: Path | None = None
    outlets: list[str] = field(default_factory=list)
    spider: str = "outlets"
    since: str = ""
    until: str = ""
    urls: list[str] = field(default_factory=list)
    jobdir: Path | None = None
    log_level: str = "WARNING"
    settings: dict[str, Any] = field(default_factory=dict)
    redis: str = ""  # redis://HOST:PORT/DB: run as a worker of a distributed crawl
    redis_name: str = "crawl"


def project_settings(options: CrawlOptions) -> Settings:
    """Scrapy settings: the project's constants, then this run's values."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("FRAMEGAP_DB", str(options.db), priority="cmdline")
    settings.set("LOG_LEVEL", options.log_level, priority="cmdline")
    if options.jobdir:
        settings.set("JOBDIR", str(options.jobdir), priority="cmdline")
    for name, value in options.settings.items():
        settings.set(name, value, priority="cmdline")
    return settings


class _OneLineNetworkErrors(logging.Filter):
    """Log network failures (refused, DNS, timeouts) as one line, without a traceback.

    They are expected on the web and recorded in crawl_errors; a traceback adds nothing.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            chain = [error, error.__cause__, error.__context__]
            if any(type(e).__module__.startswith(_NETWORK_MODULES) for e in chain if e):
                record.msg = f"{record.getMessage()} ({type(error).__name__})"
                record.args, record.exc_info, record.exc_text = (), None, None
        return True


_NETWORK_MODULES = (
    "twisted.internet.error",
    "twisted.web._newclient",
    "scrapy.exceptions",
    "scrapy.core.downloader",
)


def check(options: CrawlOptions) -> None:
    """Fail early, with one clear message, on a bad registry, outlet, spider name or date."""
    parse_day(options.since, "since")
    parse_day(options.until, "until")
    path = SAMPLE_REGISTRY if options.sample else (options.registry or REAL_REGISTRY)
    select(load_registry(path, is_sample=options.sample), options.outlets)
    loader = SpiderLoader.from_settings(project_settings(options))
    if options.spider not in loader.list():
        raise CrawlerError(
            f"no spider {options.spider!r}; choose one of {', '.join(sorted(loader.list()))}"
        )


def run_crawl(options: CrawlOptions) -> int:
    """Crawl and return the id of the crawl run it recorded (0 when none started); a worker
    of a distributed crawl (`options.redis`) returns how many items it handed over."""
    check(options)
    if options.redis:  # a worker: no database here; the writer (framegap ingest) owns it
        import warnings

        from crawler.distributed import redis_settings

        # scrapy-redis 0.9.1 still passes `spider` to the stats collector; harmless, but loud
        warnings.filterwarnings("ignore", message="Passing a 'spider' argument to StatsCollector")

        options.settings.update(redis_settings(options.redis, options.redis_name))
    else:
        try:  # fail here, in one line, rather than inside Scrapy's engine
            acquire(lock_path(options.db, "crawl"))
        except Locked as exc:
            raise CrawlerError(
                f"another crawl is writing {options.db} ({exc}); wait for it"
            ) from None
    with ExitStack() as stack:
        proxy = options.sample_server
        if options.sample and not proxy:
            from crawler.sample.server import serving

            proxy = stack.enter_context(serving()).proxy
        if proxy:
            options.settings.setdefault("FRAMEGAP_SAMPLE_PROXY", proxy)
            # A loopback server needs no long pauses between retries.
            options.settings.setdefault("RETRY_BACKOFF_BASE", 0.05)
        process = CrawlerProcess(project_settings(options))
        crawler = process.create_crawler(options.spider)
        process.crawl(
            crawler,
            registry="sample" if options.sample else str(options.registry or ""),
            outlet=",".join(options.outlets),
            since=options.since,
            until=options.until,
            urls=",".join(options.urls),
        )
        for handler in logging.getLogger().handlers:  # the handler Scrapy installed by now
            handler.addFilter(_OneLineNetworkErrors())
        process.start()
        if options.redis:
            return int(crawler.stats.get_value("item_scraped_count", 0)) if crawler.stats else 0
        return int(getattr(crawler.spider, "crawl_run_id", 0))

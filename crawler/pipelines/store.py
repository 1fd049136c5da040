"""Store: write pages, articles and errors to SQLite; open and close the crawl run.

It is the crawl's only writer. Dropped items are recorded too (Scrapy's item_dropped signal),
so nothing the crawl saw is lost silently.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from sqlite_utils import Database

from crawler.errors import CrawlerError
from crawler.items import ErrorItem, PageItem
from crawler.monitor import monitor
from db import open_db
from db import store as db_store
from db.lock import Locked, acquire, lock_path, release


class StorePipeline:
    """Write each item to the database as it arrives (one short transaction per item)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._db: Database | None = None
        self.run_id = 0
        self.counts: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Listen for dropped items as well."""
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    @property
    def db(self) -> Database:
        """The database, open between open_spider and spider_closed."""
        if self._db is None:
            raise CrawlerError("the store pipeline is used before open_spider or after close")
        return self._db

    def open_spider(self) -> None:
        """Take the crawl lock, open the database, close runs a crash left open, register the
        outlets and start a crawl run."""
        spider = self.crawler.spider
        path = self.crawler.settings.get("FRAMEGAP_DB")
        try:
            acquire(lock_path(path, "crawl"))
        except Locked as exc:
            raise CrawlerError(f"another crawl is writing {path} ({exc}); wait for it") from None
        self._db = open_db(path)
        db_store.close_stale_runs(self.db)
        outlets = list(getattr(spider, "outlets", {}).values())
        is_sample = bool(getattr(spider, "is_sample", False))
        db_store.upsert_outlets(self.db, [o.as_row() for o in outlets], is_sample=is_sample)
        self.run_id = db_store.start_run(
            self.db, getattr(spider, "name", "?"), [o.slug for o in outlets], is_sample=is_sample
        )
        if spider is not None:
            spider.crawl_run_id = self.run_id  # type: ignore[attr-defined]

    def process_item(self, item: Any) -> Any:
        """Write a page (and its article) or an error."""
        if isinstance(item, ErrorItem):
            db_store.record_error(
                self.db,
                url=item.url,
                outlet=item.outlet,
                crawl_run=self.run_id,
                stage=item.stage,
                reason=item.reason,
            )
            self.counts[f"errors/{item.stage}"] += 1
        elif isinstance(item, PageItem):
            self._store_page(item)
        return item

    def _store_page(self, item: PageItem) -> None:
        extracted = item.extracted
        if not extracted.is_article:
            kind, note = "non-article", extracted.reason
        elif item.duplicate_of:
            kind, note = "duplicate", f"duplicate of article {item.duplicate_of}"
        else:
            kind, note = "article", ""
        article = _article_row(item, self.run_id) if kind == "article" else None
        outcome = self._save_page(item, kind, note, article)
        self.counts[f"pages/{kind}"] += 1
        if outcome:
            self.counts[f"articles/{outcome}"] += 1

    def _save_page(
        self, item: PageItem, kind: Any, note: str, article: dict[str, Any] | None = None
    ) -> str | None:
        return db_store.save_page(
            self.db,
            url=item.url,
            outlet=item.outlet,
            status=item.status,
            headers=item.headers,
            html=item.body,
            encoding=item.extracted.encoding,
            kind=kind,
            note=note,
            crawl_run=self.run_id,
            is_sample=item.is_sample,
            article=article,
        )

    def item_dropped(
        self, item: Any, response: Response | None, exception: Exception, spider: Any = None
    ) -> None:
        """Record a dropped item: its page as 'dropped' and the reason in crawl_errors."""
        if self._db is None or not isinstance(item, PageItem):
            return
        reason = str(exception) or type(exception).__name__
        self._save_page(item, "dropped", reason)
        db_store.record_error(
            self.db,
            url=item.url,
            outlet=item.outlet,
            crawl_run=self.run_id,
            stage="validate",
            reason=reason,
        )
        self.counts["pages/dropped"] += 1

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Finish the crawl run with its reason, Scrapy's stats and the pipeline's counts.

        (Not `close_spider`: Scrapy knows why the spider closed only after pipelines close.)
        """
        if self._db is None:
            return
        stats = dict(self.crawler.stats.get_stats()) if self.crawler.stats else {}
        stats["finish_reason"] = reason
        started = stats.get("start_time")
        if isinstance(started, datetime):  # Scrapy adds the elapsed time only after this
            stats["elapsed_time_seconds"] = (datetime.now(started.tzinfo) - started).total_seconds()
        stats.update({f"framegap/{k}": v for k, v in sorted(self.counts.items())})
        outlets = [o.slug for o in getattr(spider, "outlets", {}).values()]
        stats["framegap/monitor"], stats["framegap/flags"] = monitor(
            self.db, self.run_id, outlets, stats
        )
        status = "finished" if reason == "finished" else f"stopped ({reason})"
        db_store.finish_run(
            self.db, self.run_id, status, json.loads(json.dumps(stats, default=str))
        )
        self._db.close()
        self._db = None
        release(lock_path(self.crawler.settings.get("FRAMEGAP_DB"), "crawl"))


def _article_row(item: PageItem, run_id: int) -> dict[str, Any]:
    extracted = item.extracted
    return {
        "id": item.article_id,
        "url": item.url,
        "canonical_url": extracted.canonical_url,
        "outlet": item.outlet,
        "title": extracted.title,
        "byline": extracted.byline,
        "published": extracted.published,
        "modified": extracted.modified,
        "language": extracted.language,
        "text": extracted.text,
        "paragraphs": list(extracted.paragraphs),
        "word_count": extracted.word_count,
        "content_hash": item.content_hash,
        "minhash": item.minhash,
        "dup_cluster": item.dup_cluster or item.article_id,
        "topic_score": item.topic_score,
        "topic_match": item.topic_match,
        "topic_cues": item.topic_cues,
        "crawl_run": run_id,
        "is_sample": item.is_sample,
    }

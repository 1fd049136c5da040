"""Distributed crawls: workers share one request queue and one seen-set in Redis (scrapy-redis);
one writer (`framegap ingest`) owns the SQLite file.

Keys, under `framegap:<name>:` (name "crawl" unless given):

- `requests`, `dupefilter`: scrapy-redis's shared queue and seen-set of request fingerprints;
- `items`: pages, errors and drops the workers hand to the writer (pickled, one list);
- `known`: URLs already stored, which the writer publishes so workers skip them;
- `ready`: set by the writer when it has started the run (workers wait for it);
- `alive:<worker>`: a heartbeat with a short expiry, renewed while a worker lives;
- `inflight:<worker>`: the requests a worker has taken and not finished (a ledger). When a
  worker dies (SIGKILL, a lost machine), its heartbeat expires, and a live worker puts its
  ledger back in the queue, so the crawl still completes;
- `stats`: each worker's Scrapy stats when it closes, merged into the writer's crawl run;
- `cache:<fingerprint>`: every response, stored as it arrives (an hour at most). A request
  recovered from a dead worker is answered from here when its page had already arrived, and
  each worker's robots.txt requests after the first worker's are too, so a page is fetched
  once; only a request the dead worker had on the wire when it died is sent again.

A worker stays open while another live worker still has requests in flight (they may yield more
requests); the crawl is over when the queue and every ledger are empty.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import socket
import time
from collections.abc import Callable
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.scheduler import Scheduler

# Mark a request seen and queue it, or do neither (KEYS: seen-set, queue; ARGV: fp, request).
ENQUEUE = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
    redis.call('LPUSH', KEYS[2], ARGV[2])
    return 1
end
return 0
"""
# Take the oldest request and note it in a worker's ledger (KEYS: queue, ledger).
POP = """
local request = redis.call('RPOP', KEYS[1])
if request then
    redis.call('HSET', KEYS[2], redis.sha1hex(request), request)
end
return request
"""
HEARTBEAT_SECONDS = 6
CACHE_SECONDS = 3600  # a worker silent this long is taken for dead
BEAT_EVERY = 1.5


def prefix(name: str) -> str:
    """The Redis key prefix of a distributed crawl."""
    return f"framegap:{name}:"


def worker_id() -> str:
    """This worker's name: host and process id."""
    return f"{socket.gethostname()}-{os.getpid()}"


def redis_settings(url: str, name: str) -> dict[str, Any]:
    """Scrapy settings that make a crawl a worker of the distributed crawl `name` at `url`."""
    keys = prefix(name)
    return {
        "REDIS_URL": url,
        "SCHEDULER": "crawler.distributed.LedgerScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_KEY": f"{keys}requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{keys}dupefilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.FifoQueue",
        "SCHEDULER_PERSIST": True,  # the queue outlives any one worker
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,  # never block the reactor on an empty queue
        "FRAMEGAP_REDIS_URL": url,
        "FRAMEGAP_REDIS_NAME": name,
        # Every response is kept in Redis for the run as it arrives: a request recovered from
        # a dead worker, or robots.txt wanted by another worker, is answered without a fetch.
        "HTTPCACHE_ENABLED": True,
        "HTTPCACHE_STORAGE": "crawler.distributed.RedisCacheStorage",
        "HTTPCACHE_POLICY": "scrapy.extensions.httpcache.DummyPolicy",
        "HTTPCACHE_IGNORE_HTTP_CODES": [408, 429, 500, 502, 503, 504, 522, 524],  # retried
        "ITEM_PIPELINES": {
            "crawler.pipelines.validate.ValidatePipeline": 100,
            "crawler.pipelines.prefilter.TopicPrefilterPipeline": 200,
            "crawler.distributed.HandOverPipeline": 900,
        },
    }


def connect(url: str) -> Any:
    """A Redis client for `url` (bytes in, bytes out)."""
    import redis

    return redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10)


class LedgerScheduler(Scheduler):
    """scrapy-redis's scheduler, plus a ledger of the requests this worker has taken, a
    heartbeat, and the recovery of dead workers' ledgers."""

    def open(self, spider: Any) -> None:
        """Open the queue, register this worker and start its heartbeat."""
        super().open(spider)
        self.keys = prefix(spider.settings.get("FRAMEGAP_REDIS_NAME"))
        self.worker = worker_id()
        self.ledger = f"{self.keys}inflight:{self.worker}"
        self._enqueue = self.server.register_script(ENQUEUE)
        self._pop = self.server.register_script(POP)
        self._beat()
        from twisted.internet import task

        self._heart = task.LoopingCall(self._beat)
        self._heart.start(BEAT_EVERY, now=False)
        spider.crawler.signals.connect(self._idle, signal=signals.spider_idle)

    def _beat(self) -> None:
        self.server.set(f"{self.keys}alive:{self.worker}", b"1", ex=HEARTBEAT_SECONDS)

    def close(self, reason: str) -> None:
        """Stop the heartbeat; leave the shared queue and seen-set in place."""
        if self._heart.running:
            self._heart.stop()
        self.server.delete(f"{self.keys}alive:{self.worker}")
        super().close(reason)

    def enqueue_request(self, request: Any) -> bool:
        """Queue a request once across all workers, atomically (marking it seen and queueing
        it are one Redis step, so a worker killed in between loses nothing). Discovery requests
        (dont_filter, so each run re-reads feeds) go through the shared seen-set too, which a
        new run clears; only retries skip it. The done-marker stays behind (it is not data)."""
        request.meta.pop("ledger_done", None)
        encoded = self.queue._encode_request(request)
        if request.dont_filter and request.meta.get("retry_times"):
            self.server.lpush(self.queue.key, encoded)
            return True
        fingerprint = self.df.request_fingerprint(request)
        queued = bool(
            self._enqueue(keys=[self.df.key, self.queue.key], args=[fingerprint, encoded])
        )
        if queued and self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return queued

    def next_request(self) -> Any:
        """Pop a request and note it in this worker's ledger in one Redis step; the request
        is marked done when its page or error has been handed over (or its callback ran)."""
        encoded = self._pop(keys=[self.queue.key, self.ledger])
        if encoded is None:
            return None
        request = self.queue._decode_request(encoded)
        field = hashlib.sha1(encoded).hexdigest()
        done = _once(lambda: self.server.hdel(self.ledger, field))
        request.meta["ledger_done"] = done  # the hand-over pipeline calls it for pages
        if request.callback is not None and request.callback.__name__ != "parse_article":
            request = request.replace(callback=_finishing(request.callback, done))
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def _idle(self, spider: Any) -> None:
        """Recover dead workers' requests; stay open while live workers may add more."""
        # Idle means nothing is in flight here: what is left in our ledger (a request that
        # yielded nothing, such as a listing page past the last) is finished.
        self.server.delete(self.ledger)
        recovered = self.recover()
        others_busy = any(
            self.server.hlen(key) for key in self.server.scan_iter(match=f"{self.keys}inflight:*")
        )
        if recovered or others_busy or len(self.queue):
            raise DontCloseSpider

    def recover(self) -> int:
        """Put the ledgers of workers whose heartbeat expired back in the queue."""
        moved = 0
        for key in list(self.server.scan_iter(match=f"{self.keys}inflight:*")):
            worker = key.decode().rsplit(":", 1)[1]
            if worker == self.worker or self.server.exists(f"{self.keys}alive:{worker}"):
                continue
            for encoded in self.server.hvals(key):
                self.server.lpush(self.queue.key, encoded)
                moved += 1
            self.server.delete(key)
        if moved:
            self.spider.logger.warning("recovered %d requests from dead workers", moved)
            if self.stats:
                self.stats.inc_value("framegap/recovered", moved, spider=self.spider)
        return moved


def _once(action: Callable[[], Any]) -> Callable[[], None]:
    fired = False

    def call() -> None:
        nonlocal fired
        if not fired:
            fired = True
            action()

    return call


def _finishing(callback: Callable[..., Any], done: Callable[[], None]) -> Callable[..., Any]:
    """A callback that marks its request done once its output has been handed on."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = callback(*args, **kwargs)
        if hasattr(result, "__aiter__"):

            async def drain_async() -> Any:
                async for output in result:
                    yield output
                done()

            return drain_async()

        def drain() -> Any:
            if result is not None:
                yield from (result if hasattr(result, "__iter__") else [result])
            done()

        return drain()

    return wrapper


class HandOverPipeline:
    """The worker's last pipeline: push each page or error to the writer through Redis, then
    mark its request done. Dropped items are handed over too."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.server = connect(settings.get("FRAMEGAP_REDIS_URL"))
        self.key = f"{prefix(settings.get('FRAMEGAP_REDIS_NAME'))}items"

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HandOverPipeline:
        """Also hand over dropped items and, at the end, this worker's stats."""
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def _push(self, kind: str, payload: Any) -> None:
        self.server.rpush(self.key, pickle.dumps((kind, payload)))

    def process_item(self, item: Any) -> Any:
        """Hand the item over and finish its request."""
        done = getattr(item, "ledger_done", None)
        item.ledger_done = None  # not picklable, and not the writer's business
        self._push("item", item)
        if done:
            done()
        return item

    def item_dropped(
        self, item: Any, response: Any, exception: Exception, spider: Any = None
    ) -> None:
        """Hand over a dropped page with the reason."""
        done = getattr(item, "ledger_done", None)
        if hasattr(item, "ledger_done"):
            item.ledger_done = None
        self._push("dropped", (item, str(exception) or type(exception).__name__))
        if done:
            done()

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Hand over this worker's stats."""
        stats = dict(self.crawler.stats.get_stats()) if self.crawler.stats else {}
        stats["finish_reason"] = reason
        self._push("stats", {k: v for k, v in stats.items() if isinstance(v, int | float | str)})


class RedisCacheStorage:
    """Scrapy's HTTP cache, kept in Redis for the run and shared by the workers."""

    def __init__(self, settings: Any) -> None:
        self.server = connect(settings.get("FRAMEGAP_REDIS_URL"))
        self.keys = prefix(settings.get("FRAMEGAP_REDIS_NAME"))
        self.fingerprinter: Any = None

    def open_spider(self, spider: Any) -> None:
        """Use the crawler's request fingerprints."""
        self.fingerprinter = spider.crawler.request_fingerprinter

    def close_spider(self, spider: Any) -> None:
        """Nothing to close (the writer clears the keys at the next run)."""

    def _key(self, request: Any) -> str:
        return f"{self.keys}cache:{self.fingerprinter.fingerprint(request).hex()}"

    def retrieve_response(self, spider: Any, request: Any) -> Any:
        """The stored response, or None."""
        from scrapy.utils.response import response_from_dict

        data = self.server.get(self._key(request))
        return None if data is None else response_from_dict(pickle.loads(data))

    def store_response(self, spider: Any, request: Any, response: Any) -> None:
        """Keep the response for an hour."""
        self.server.set(self._key(request), pickle.dumps(response.to_dict()), ex=CACHE_SECONDS)


def wait_ready(url: str, name: str, timeout: float = 60) -> set[str]:
    """Wait for the writer to start the run; the URLs already stored."""
    server = connect(url)
    keys = prefix(name)
    deadline = time.monotonic() + timeout
    while not server.exists(f"{keys}ready"):
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"no framegap ingest writer on {url} (name {name!r}); start it first"
            )
        time.sleep(0.2)
    return {u.decode() for u in server.smembers(f"{keys}known")}

"""Scrapy settings for framegap: constants only (STYLE.md). Per-run values come from the CLI.

Polite by default: robots.txt obeyed, an identifying user agent with a contact address,
AutoThrottle with a per-domain floor, retries with backoff on 429/5xx, size limits.
"""

BOT_NAME = "framegap"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "framegap/0.1 (+https://framegap.example/bot; research crawler; bot@framegap.example)"
ROBOTSTXT_OBEY = True

# One request at a time per site, at least 2 s apart unless the registry asks for more
# (outlets' own `download_delay`, applied per domain by crawler.throttle).
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 2.0
DOWNLOAD_TIMEOUT = 30
AUTOTHROTTLE_ENABLED = True  # as crawler.throttle.PerDomainThrottle: never below a site's delay
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_BACKOFF_BASE = 2.0  # crawler.middlewares.BackoffRetryMiddleware: base * 2**n seconds
RETRY_BACKOFF_MAX = 120.0

DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 3 * 1024 * 1024
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# asyncio, so that extraction workers can be awaited from the spider.
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
HTTPERROR_ALLOW_ALL = False

DOWNLOADER_MIDDLEWARES = {
    # Routes .test hosts to the sample server when FRAMEGAP_SAMPLE_PROXY is set (before the
    # proxy middleware at 750, which then sends the request through it).
    "crawler.middlewares.SampleRoutingMiddleware": 740,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
}
EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.throttle.PerDomainThrottle": 0,
}

# Order: check the fields, score the topic, find duplicates, then write. Each stage only adds
# marks to the item; only validation drops, and every drop is recorded by the store.
ITEM_PIPELINES = {
    "crawler.pipelines.validate.ValidatePipeline": 100,
    "crawler.pipelines.prefilter.TopicPrefilterPipeline": 200,
    "crawler.pipelines.dedupe.DedupePipeline": 300,
    "crawler.pipelines.store.StorePipeline": 900,
}

# framegap's own settings; the `framegap crawl` flags set them, `-s NAME=VALUE` does with scrapy.
FRAMEGAP_DB = "data/framegap.db"  # the SQLite database the store pipeline writes
FRAMEGAP_SAMPLE_PROXY = ""  # http://127.0.0.1:PORT of the sample server; routes *.test there
FRAMEGAP_NEAR_DUP_THRESHOLD = 0.5  # estimated Jaccard of word 5-grams at which pages cluster
FRAMEGAP_TOPIC_THRESHOLD = 0.35  # topic-cue score at which a page is marked relevant-looking
FRAMEGAP_EXTRACT_WORKERS = 1  # processes that run extraction beside the crawl (0: in-process)
FRAMEGAP_GDELT_URL = ""  # the GDELT DOC 2.0 endpoint (tests point it at a local server)

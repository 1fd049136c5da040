"""The baseline for bench/crawl.py: a bare Scrapy spider that only runs trafilatura on each page.

Same sitemaps, same politeness settings, same proxy as the full crawl; no registry, no
metadata extraction, no pipelines, no database. Prints Scrapy's stats as JSON on stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any

import scrapy
import trafilatura
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response


class BareSpider(scrapy.Spider):
    """Sitemap → pages → trafilatura.extract, nothing else."""

    name = "bare"

    def __init__(self, sitemaps: str = "", proxy: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sitemaps = sitemaps.split(",")
        self.proxy = proxy

    async def start(self) -> Any:
        for url in self.sitemaps:
            yield scrapy.Request(url, callback=self.parse_sitemap, meta={"proxy": self.proxy})

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        for loc in response.xpath("//*[local-name()='loc']/text()").getall():
            yield scrapy.Request(loc, callback=self.parse_page, meta={"proxy": self.proxy})

    def parse_page(self, response: Response) -> Iterator[dict[str, int]]:
        text = trafilatura.extract(response.text) or ""
        yield {"chars": len(text)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sitemaps", required=True)
    parser.add_argument("--proxy", required=True)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    process = CrawlerProcess(
        {
            "USER_AGENT": "framegap-bench/0.1 (+bot@framegap.example)",
            "ROBOTSTXT_OBEY": True,
            "CONCURRENT_REQUESTS": args.concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
            "DOWNLOAD_DELAY": 0,
            "LOG_LEVEL": "ERROR",
            "TELNETCONSOLE_ENABLED": False,
        }
    )
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, sitemaps=args.sitemaps, proxy=args.proxy)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    json.dump(stats, sys.stdout, default=str)


if __name__ == "__main__":
    main()

"""Validate: an article must have a body that decoded cleanly and an outlet it belongs to."""

from __future__ import annotations

from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import PageItem

MAX_REPLACEMENT_SHARE = 0.01  # U+FFFD per character above which the text did not decode


class ValidatePipeline:
    """Drop article pages whose text is unusable; everything else passes unchanged."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Keep the crawler for its spider."""
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        """Check an article page; raise DropItem with the reason when it fails."""
        if not isinstance(item, PageItem) or not item.extracted.is_article:
            return item
        spider = self.crawler.spider
        if spider is not None and item.outlet not in getattr(spider, "outlets", {item.outlet: 1}):
            raise DropItem(f"outlet {item.outlet!r} is not in the registry")
        text: str = item.extracted.text
        if not text.strip():
            raise DropItem("empty body")
        if text.count("\ufffd") > MAX_REPLACEMENT_SHARE * len(text):
            raise DropItem(f"text did not decode cleanly (encoding {item.extracted.encoding})")
        return item

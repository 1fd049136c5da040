"""Topic prefilter: score each article by the codebook's bilingual cues. It marks, never drops.

Relevance is the classifier's decision; this score only says which pages look relevant, so the
crawl summary can show it and a researcher can sort by it.
"""

from __future__ import annotations

from typing import Any, Self

from scrapy.crawler import Crawler

from crawler.items import PageItem
from db.codebook import topic_score


class TopicPrefilterPipeline:
    """Set `topic_score`, `topic_cues` and `topic_match` on article pages."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Read FRAMEGAP_TOPIC_THRESHOLD."""
        return cls(crawler.settings.getfloat("FRAMEGAP_TOPIC_THRESHOLD"))

    def process_item(self, item: Any) -> Any:
        """Score an article page."""
        if isinstance(item, PageItem) and item.extracted.is_article:
            item.topic_score, item.topic_cues = topic_score(
                item.extracted.title or "", item.extracted.text
            )
            item.topic_match = item.topic_score >= self.threshold
        return item

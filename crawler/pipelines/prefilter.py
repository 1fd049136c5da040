"""Topic prefilter: score each article by the codebook's bilingual cues. It marks, never drops.

Relevance is the classifier's decision; this score only says which pages look relevant, so the
crawl summary can show it and a researcher can sort by it.
"""

from __future__ import annotations

import math
import re
from typing import Any, Self

from scrapy.crawler import Crawler

from crawler.items import PageItem
from db.codebook import CHINA_FINANCE_CUES, PAY_CUES


def _pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    # Latin cues match at word starts (so "pay cap" does not match "repay capital");
    # Chinese cues match anywhere, as Chinese has no spaces. Longest first, so the longest wins.
    parts = sorted({c.lower() for c in cues}, key=len, reverse=True)
    latin = "|".join(re.escape(c) for c in parts if c[0].isascii())
    chinese = "|".join(re.escape(c) for c in parts if not c[0].isascii())
    return re.compile(f"(?<![a-z])(?:{latin})|{chinese}")


_PAY = _pattern(PAY_CUES)
_CONTEXT = _pattern(CHINA_FINANCE_CUES)


def topic_score(title: str, text: str) -> tuple[float, list[str]]:
    """(score in [0, 1], distinct cues found) for a page's title and body.

    Pay cues and China-finance context both have to be there: each side saturates with its
    number of hits (a pay cue in the title counts three times), and the score is their product.
    """
    title_l, text_l = title.lower(), text.lower()
    pay_hits = _PAY.findall(text_l) + 3 * _PAY.findall(title_l)
    context_hits = _CONTEXT.findall(text_l) + _CONTEXT.findall(title_l)
    pay = 1 - math.exp(-len(pay_hits) / 3)
    context = 1 - math.exp(-len(context_hits) / 2)
    return round(pay * context, 4), sorted(set(pay_hits) | set(context_hits))


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

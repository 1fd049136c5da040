"""What the spiders yield: a fetched article candidate, or a record of a URL that failed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class PageItem:
    """A fetched article-candidate page with what extraction found in it.

    The pipelines fill the dedupe and topic fields; the store writes the page and, when
    `extracted.is_article`, the article.
    """

    url: str
    outlet: str
    status: int
    headers: dict[str, str]
    body: bytes
    extracted: Any  # crawler.extract.Extracted
    is_sample: bool = False
    # filled by the pipelines
    article_id: str = ""
    content_hash: str = ""
    minhash: bytes | None = None
    dup_cluster: str = ""
    duplicate_of: str = ""
    topic_score: float = 0.0
    topic_match: bool = False
    topic_cues: list[str] = field(default_factory=list)
    # distributed crawls: marks the request done once the item is handed over (never stored)
    ledger_done: Any = field(default=None, repr=False, compare=False)


@dataclass
class ErrorItem:
    """A URL the spider could not fetch or parse, and why."""

    url: str
    outlet: str | None
    stage: str
    reason: str
    ledger_done: Any = field(default=None, repr=False, compare=False)

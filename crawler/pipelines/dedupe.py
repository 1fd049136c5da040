"""Dedupe: the same article at another URL is a duplicate; a near-copy joins a cluster.

Exact duplicates (same canonical URL or the same normalised text as a stored article) are not
stored again; the store records their page as a duplicate. Near-copies, such as a wire story
republished with a new headline and a trimmed ending, are stored and share `dup_cluster` with
the first article of their cluster, so a report can count a syndicated story once.
"""

from __future__ import annotations

import re
import zlib
from typing import Any, Self

import numpy as np
from scrapy.crawler import Crawler

from crawler.items import PageItem
from db import open_db
from db.queries import article_signatures
from db.text import article_id, content_hash, normalise_text

PERMUTATIONS = 128
BANDS = 32  # 32 bands of 4 rows: pairs above ~0.45 Jaccard almost always share a band
SHINGLE = 5
# One seed per permutation, fixed: signatures must stay comparable across runs.
_SEEDS = np.random.default_rng(20240703).integers(0, 2**63, PERMUTATIONS, dtype=np.uint64)
_M1 = np.array([0xBF58476D1CE4E5B9], dtype=np.uint64)
_M2 = np.array([0x94D049BB133111EB], dtype=np.uint64)
_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+")


def minhash(text: str) -> bytes:
    """A MinHash signature of the text's 5-token shingles (a CJK character is a token)."""
    tokens = _TOKEN.findall(normalise_text(text))
    if len(tokens) < SHINGLE:
        tokens = tokens + [""] * (SHINGLE - len(tokens))
    shingles = {" ".join(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}
    hashes = np.fromiter(
        (zlib.crc32(s.encode("utf-8")) for s in shingles), dtype=np.uint64, count=len(shingles)
    )
    return _mix(hashes[:, None] ^ _SEEDS).min(axis=0).astype(np.uint32).tobytes()


def _mix(values: np.ndarray) -> np.ndarray:
    """A 64-bit finaliser (splitmix64's): every input bit affects every output bit.

    A linear hash (a*x + b mod p) keeps the order of small inputs, so every permutation would
    pick the same minimum; mixing makes the permutations independent.
    """
    values = (values ^ (values >> np.uint64(30))) * _M1
    values = (values ^ (values >> np.uint64(27))) * _M2
    return values ^ (values >> np.uint64(31))


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(np.frombuffer(a, np.uint32) == np.frombuffer(b, np.uint32)))


class NearDuplicateIndex:
    """LSH over MinHash signatures: candidates share a band, then the estimate decides."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.buckets: dict[tuple[int, bytes], list[str]] = {}
        self.signatures: dict[str, tuple[bytes, str]] = {}  # id -> (signature, cluster)

    def _bands(self, signature: bytes) -> list[tuple[int, bytes]]:
        rows = len(signature) // BANDS
        return [(i, signature[i * rows : (i + 1) * rows]) for i in range(BANDS)]

    def add(self, id_: str, signature: bytes, cluster: str) -> None:
        """Index a stored article."""
        self.signatures[id_] = (signature, cluster)
        for band in self._bands(signature):
            self.buckets.setdefault(band, []).append(id_)

    def cluster_of(self, signature: bytes) -> str | None:
        """The cluster of the most similar indexed article above the threshold, if any."""
        candidates = {i for band in self._bands(signature) for i in self.buckets.get(band, [])}
        best, best_score = None, self.threshold
        for candidate in sorted(candidates):
            stored, cluster = self.signatures[candidate]
            score = similarity(signature, stored)
            if score >= best_score:
                best, best_score = cluster, score
        return best


class DedupePipeline:
    """Mark exact duplicates and assign near-duplicate clusters."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.index = NearDuplicateIndex(crawler.settings.getfloat("FRAMEGAP_NEAR_DUP_THRESHOLD"))
        self.by_canonical: dict[str, tuple[str, str]] = {}  # canonical -> (id, url)
        self.by_hash: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Read FRAMEGAP_NEAR_DUP_THRESHOLD."""
        return cls(crawler)

    def open_spider(self) -> None:
        """Load the signatures of every stored article."""
        db = open_db(self.crawler.settings.get("FRAMEGAP_DB"))
        try:
            for stored in article_signatures(db):
                self._remember(
                    stored.id,
                    stored.url,
                    stored.canonical_url,
                    stored.content_hash,
                    stored.minhash,
                    stored.dup_cluster,
                )
        finally:
            db.close()

    def _remember(
        self, id_: str, url: str, canonical: str, digest: str, signature: bytes | None, cluster: str
    ) -> None:
        self.by_canonical[canonical] = (id_, url)
        self.by_hash.setdefault(digest, id_)
        if signature:
            self.index.add(id_, signature, cluster)

    def process_item(self, item: Any) -> Any:
        """Fill the article id, hash, signature and cluster, or `duplicate_of`, of a page."""
        if not isinstance(item, PageItem) or not item.extracted.is_article:
            return item
        extracted = item.extracted
        item.article_id = article_id(extracted.canonical_url)
        item.content_hash = content_hash(extracted.text)
        item.minhash = minhash(extracted.text)
        known = self.by_canonical.get(extracted.canonical_url)
        if known is not None:
            known_id, known_url = known
            if known_url != item.url:
                item.duplicate_of = known_id  # another URL of a stored article
            else:  # the stored article fetched again: keep its cluster
                item.dup_cluster = self.index.signatures.get(known_id, (b"", known_id))[1]
            return item
        twin = self.by_hash.get(item.content_hash)
        if twin is not None:
            item.duplicate_of = twin  # the same text under another canonical URL
            return item
        item.dup_cluster = self.index.cluster_of(item.minhash) or item.article_id
        self._remember(
            item.article_id,
            item.url,
            extracted.canonical_url,
            item.content_hash,
            item.minhash,
            item.dup_cluster,
        )
        return item

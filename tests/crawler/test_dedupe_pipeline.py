"""The dedupe stage on items: same canonical URL, same text, near-copy, article seen again."""

from __future__ import annotations

from pathlib import Path

from scrapy.utils.test import get_crawler

from crawler.extract import Extracted
from crawler.items import PageItem
from crawler.pipelines.dedupe import DedupePipeline

TEXT = (
    "Regulators told state-backed brokerages to cap pay near 2.9 million yuan and to claw "
    "back bonuses paid for years in which risks later surfaced, people familiar said. " * 3
)


def _item(url: str, text: str = TEXT, canonical: str = "") -> PageItem:
    extracted = Extracted(
        url=url,
        canonical_url=canonical or url,
        is_article=True,
        reason="",
        title="t",
        byline=None,
        published=None,
        modified=None,
        language="en",
        text=text,
        paragraphs=(text,),
        word_count=len(text.split()),
        encoding="utf-8",
    )
    return PageItem(url=url, outlet="demo", status=200, headers={}, body=b"", extracted=extracted)


def test_exact_and_near_duplicates(tmp_path: Path) -> None:
    crawler = get_crawler(
        settings_dict={"FRAMEGAP_DB": str(tmp_path / "x.db"), "FRAMEGAP_NEAR_DUP_THRESHOLD": 0.5}
    )
    pipeline = DedupePipeline(crawler)
    pipeline.open_spider()
    first = pipeline.process_item(_item("http://a.test/1"))
    assert first.dup_cluster == first.article_id
    assert not first.duplicate_of

    same_canonical = pipeline.process_item(
        _item("http://a.test/1?print=1", canonical="http://a.test/1")
    )
    assert same_canonical.duplicate_of == first.article_id

    same_text = pipeline.process_item(_item("http://b.test/copy"))
    assert same_text.duplicate_of == first.article_id

    near = pipeline.process_item(_item("http://c.test/x", "Beijing (Wire) - " + TEXT + " Ends."))
    assert not near.duplicate_of
    assert near.dup_cluster == first.article_id

    again = pipeline.process_item(_item("http://a.test/1"))
    assert not again.duplicate_of
    assert again.dup_cluster == first.article_id

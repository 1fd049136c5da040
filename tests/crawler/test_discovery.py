"""Discovery parsers: sitemaps (index, news, gzip, malformed), feeds, GDELT, listings."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.spiders.feed import FeedError, feed_entries
from crawler.spiders.gdelt import gdelt_articles, gdelt_url
from crawler.spiders.listing import ListingSpider
from crawler.spiders.sitemap import SitemapError, sitemap_entries

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>http://a.test/news/1</loc><lastmod>2024-07-03</lastmod></url>
<url><loc>http://a.test/news/2</loc><news:news><news:publication_date>2025-01-20T08:00:00+08:00
</news:publication_date></news:news></url>
</urlset>"""


def test_urlset_with_lastmod_and_news_dates() -> None:
    kind, entries = sitemap_entries(URLSET)
    assert kind == "urlset"
    assert entries == [
        ("http://a.test/news/1", datetime(2024, 7, 3, tzinfo=UTC)),
        ("http://a.test/news/2", datetime.fromisoformat("2025-01-20T08:00:00+08:00")),
    ]


def test_gzipped_sitemap_index() -> None:
    index = (
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>http://a.test/s1.xml.gz</loc></sitemap></sitemapindex>"
    )
    kind, entries = sitemap_entries(gzip.compress(index))
    assert (kind, entries) == ("sitemapindex", [("http://a.test/s1.xml.gz", None)])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'<?xml version="1.0"?><urlset><url><loc>http://', "malformed sitemap XML"),
        (b"\x1f\x8b\x08\x00garbage", "not valid gzip"),
        (b"<html><body>Not found</body></html>", "not a sitemap"),
        (b"", "malformed sitemap XML"),
    ],
)
def test_unreadable_sitemaps_raise_a_clear_error(body: bytes, message: str) -> None:
    with pytest.raises(SitemapError, match=message):
        sitemap_entries(body)


def test_rss_and_atom_entries() -> None:
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</title>'
        b"<link>http://a.test/n/1</link><pubDate>Wed, 03 Jul 2024 06:30:00 GMT</pubDate>"
        b"</item></channel></rss>"
    )
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" '
        b'href="http://a.test/n/2"/><updated>2024-07-03T06:30:00Z</updated></entry></feed>'
    )
    moment = datetime(2024, 7, 3, 6, 30, tzinfo=UTC)
    assert feed_entries(rss) == [("http://a.test/n/1", moment)]
    assert feed_entries(atom) == [("http://a.test/n/2", moment)]
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        feed_entries(b"<html/>")
    with pytest.raises(FeedError, match="malformed"):
        feed_entries(b"<rss><channel>")


def test_gdelt_query_and_answer() -> None:
    url = gdelt_url(
        '"pay cap"',
        "news.example",
        datetime(2024, 1, 1, tzinfo=UTC),
        datetime(2024, 1, 31, tzinfo=UTC),
    )
    assert "mode=artlist" in url
    assert "format=json" in url
    assert "domain%3Anews.example" in url
    assert "startdatetime=20240101000000" in url
    assert "enddatetime=20240201000000" in url
    answer = {
        "articles": [
            {"url": "http://news.example/a", "seendate": "20240105T101500Z"},
            {"title": "no url"},
        ]
    }
    assert gdelt_articles(json.dumps(answer).encode()) == [
        ("http://news.example/a", datetime(2024, 1, 5, 10, 15, tzinfo=UTC))
    ]
    assert gdelt_articles(b"{}") == []
    with pytest.raises(ValueError, match="Expecting value"):
        gdelt_articles(b"<html>rate limited</html>")


def test_listing_follows_article_links_and_next_page() -> None:
    crawler = get_crawler(ListingSpider)
    spider = ListingSpider.from_crawler(crawler, registry="sample", outlet="harbour-ledger")
    outlet = spider.outlets["harbour-ledger"]
    source = outlet.sources[1]
    html = (
        b'<html><body><a href="/content/one">1</a><a href="/about">about</a>'
        b'<a href="http://elsewhere.test/content/two">2</a>'
        b'<a class="next" href="/world/china?page=2">next</a></body></html>'
    )
    request = Request(source.url, meta={"outlet": outlet.slug, "listing_page": 1, "source": source})
    response = HtmlResponse(source.url, body=html, request=request)
    urls = [r.url for r in spider.parse_listing(response)]
    assert urls == [
        "http://harbourledger.test/content/one",
        "http://harbourledger.test/world/china?page=2",
    ]

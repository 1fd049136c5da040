"""The bundled sample sites are what the issue asks for, and they stay fictional."""

from __future__ import annotations

import re
from collections import Counter

from crawler.sample.render import all_pages
from crawler.sample.site import SampleSites
from db.codebook import FRAMES, TONES

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_counts_spread_and_languages(sample_sites: SampleSites) -> None:
    articles = [a for _, a in sample_sites.all_articles()]
    on = [a for a in articles if a.topic == "on"]
    off = [a for a in articles if a.topic == "off"]
    chinese = [a for a in articles if len(CHINESE.findall(a.text)) > 200]
    assert len(articles) >= 160
    assert len(on) >= 110
    assert len(off) >= 25
    assert len([a for a in on if a in chinese]) >= 30
    assert len([a for a in articles if a.copy_of]) >= 6
    assert {a.published.year for a in articles} == {2021, 2022, 2023, 2024, 2025}
    groups = {slug: site.outlet.group for slug, site in sample_sites.sites.items()}
    for group in ("western", "chinese", "hongkong"):
        tones = Counter(a.tone for a in on if groups[a.outlet] == group)
        assert len(tones) >= 2, f"{group} has a single tone: {tones}"


def test_labels_use_codebook_names(sample_sites: SampleSites) -> None:
    for _, article in sample_sites.all_articles():
        if article.topic == "on":
            assert article.tone in TONES
            assert set(article.frames) <= set(FRAMES)
        else:
            assert article.topic == "off"
            assert not article.tone
            assert not article.frames


def test_ids_and_urls_are_unique(sample_sites: SampleSites) -> None:
    urls = [site.url(a) for site, a in sample_sites.all_articles()]
    assert len(urls) == len(set(urls))
    for site in sample_sites.sites.values():
        for article in site.articles:
            assert site.outlet.article_url.search(site.url(article)), site.url(article)


def test_one_outlet_is_served_in_gbk(sample_sites: SampleSites) -> None:
    pages = all_pages(sample_sites)
    gbk = [
        slug for slug, site in sample_sites.sites.items() if site.config.get("encoding") == "gbk"
    ]
    assert gbk
    site = sample_sites.sites[gbk[0]]
    body = pages[(site.host, site.path(site.articles[0]))].body
    assert site.articles[0].title in body.decode("gbk")
    assert b"charset=gb2312" in body


def test_only_reserved_domains_appear_in_pages(sample_sites: SampleSites) -> None:
    hosts = set()
    for (_, _), page in all_pages(sample_sites).items():
        text = page.body.decode("utf-8", "replace") if page.body[:2] != b"\x1f\x8b" else ""
        hosts |= set(re.findall(r"https?://([a-z0-9.-]+)", text))
    allowed = ("schema.org", "www.sitemaps.org", "www.google.com", "www.w3.org")
    assert all(h.endswith((".test", ".example")) or h in allowed for h in hosts), hosts


def test_robots_txt_disallows_a_page_that_listings_link(sample_sites: SampleSites) -> None:
    pages = all_pages(sample_sites)
    for site in sample_sites.sites.values():
        robots = pages[(site.host, "/robots.txt")].body.decode()
        assert "Disallow: /drafts/" in robots
        embargoed = [e for e in site.extras if e.kind == "embargoed"][0]
        assert site.path(embargoed).startswith("/drafts/")

"""End to end: crawl the sample sites through the real server, twice, and check exact outcomes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from crawler.sample.server import serving
from crawler.sample.site import SampleArticle, SampleSites, Site
from db import open_db

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.network


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the framegap command as a user would."""
    return subprocess.run(
        [sys.executable, str(ROOT / "framegap.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@dataclass
class Crawled:
    db: Database
    first: list[tuple[str, str]]
    second: list[tuple[str, str]]
    outputs: list[str]


@pytest.fixture(scope="module")
def crawled(
    sample_sites: SampleSites, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Crawled]:
    path = tmp_path_factory.mktemp("crawl") / "framegap.db"
    outputs = []
    with serving(0, sample_sites) as server:
        for _ in range(2):
            result = run_cli(
                "crawl", "--sample", "--sample-server", server.proxy, "--db", str(path)
            )
            assert result.returncode == 0, result.stderr[-3000:]
            outputs.append(result.stdout)
            if len(outputs) == 1:
                first = server.fetched()
        second = server.fetched()[len(first) :]
    db = open_db(path)
    yield Crawled(db, first, second, outputs)
    db.close()


def _rows(db: Database, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    return list(db.query(sql, params))


def _expected_date(site: Site, article: SampleArticle) -> str:
    if site.config["dates"] == "datetime":
        return article.published.strftime("%Y-%m-%dT%H:%M:%SZ")
    return site.local(article).strftime("%Y-%m-%d")


def test_every_sample_article_is_stored_once(crawled: Crawled, sample_sites: SampleSites) -> None:
    stored = {r["url"]: r for r in _rows(crawled.db, "SELECT * FROM articles")}
    expected = {site.url(a) for site, a in sample_sites.all_articles()}
    assert set(stored) == expected
    assert all(r["canonical_url"] == url for url, r in stored.items())
    assert all(r["is_sample"] == 1 for r in stored.values())
    fetched_articles = [path for host, path in crawled.first if f"http://{host}{path}" in expected]
    assert len(fetched_articles) == len(expected)  # each article page fetched exactly once


def test_titles_dates_and_text_come_out_right(crawled: Crawled, sample_sites: SampleSites) -> None:
    stored = {r["url"]: r for r in _rows(crawled.db, "SELECT * FROM articles")}
    for site, article in sample_sites.all_articles():
        row = stored[site.url(article)]
        assert row["title"] == article.title, site.url(article)
        assert row["published"] == _expected_date(site, article), site.url(article)
        for paragraph in article.paragraphs:
            assert paragraph in row["text"], (site.url(article), paragraph[:40])


def test_chinese_text_is_intact_including_gbk(crawled: Crawled, sample_sites: SampleSites) -> None:
    for slug in ("dongan-zhengquan", "huaxia-caijing", "xiangjiang-ribao"):
        site = sample_sites.sites[slug]
        rows = _rows(crawled.db, "SELECT * FROM articles WHERE outlet = ?", [slug])
        assert len(rows) == len(site.articles)
        assert all("\ufffd" not in r["text"] for r in rows)
        languages = {r["language"] for r in rows}
        assert languages == ({"zh-Hant"} if slug == "xiangjiang-ribao" else {"zh"})
    gbk_pages = _rows(
        crawled.db,
        "SELECT encoding FROM pages WHERE outlet = 'dongan-zhengquan' AND kind = 'article'",
    )
    assert {p["encoding"] for p in gbk_pages} <= {"gb18030", "gbk"}


def test_robots_disallowed_pages_are_never_fetched(crawled: Crawled) -> None:
    assert not [p for _, p in crawled.first + crawled.second if p.startswith("/drafts/")]
    blocked = _rows(crawled.db, "SELECT url FROM crawl_errors WHERE stage = 'robots'")
    assert blocked
    assert all("/drafts/" in r["url"] for r in blocked)


def test_near_copies_share_a_cluster(crawled: Crawled, sample_sites: SampleSites) -> None:
    stored = {r["url"]: r for r in _rows(crawled.db, "SELECT url, dup_cluster FROM articles")}
    copies = [(site, a) for site, a in sample_sites.all_articles() if a.copy_of]
    assert len(copies) >= 6
    for site, copy in copies:
        slug, original_id = copy.copy_of.split("/")
        original_site = sample_sites.sites[slug]
        original = next(a for a in original_site.articles if a.id == original_id)
        assert (
            stored[site.url(copy)]["dup_cluster"]
            == stored[original_site.url(original)]["dup_cluster"]
        )
    clusters = _rows(
        crawled.db,
        "SELECT dup_cluster, count(*) AS n FROM articles GROUP BY dup_cluster HAVING n > 1",
    )
    assert sum(c["n"] - 1 for c in clusters) == len(copies)


def test_off_topic_pages_are_stored_with_low_topic_scores(
    crawled: Crawled, sample_sites: SampleSites
) -> None:
    stored = {r["url"]: r for r in _rows(crawled.db, "SELECT * FROM articles")}
    on = [stored[s.url(a)] for s, a in sample_sites.all_articles() if a.topic == "on"]
    off = [stored[s.url(a)] for s, a in sample_sites.all_articles() if a.topic == "off"]
    assert len(off) >= 25
    assert max(r["topic_score"] for r in off) < sorted(r["topic_score"] for r in on)[len(on) // 2]
    assert sum(r["topic_match"] for r in off) <= len(off) // 5
    assert sum(r["topic_match"] for r in on) >= 0.95 * len(on)


def test_non_articles_and_errors_are_recorded(crawled: Crawled) -> None:
    kinds = _rows(crawled.db, "SELECT url, kind, note FROM pages WHERE kind != 'article'")
    assert any("video" in r["url"] and r["kind"] == "non-article" for r in kinds)
    assert any("premium" in r["url"] and r["kind"] == "non-article" for r in kinds)
    errors = _rows(
        crawled.db,
        "SELECT * FROM crawl_errors WHERE stage = 'fetch' AND crawl_run ="
        " (SELECT min(id) FROM crawl_runs)",
    )
    assert [(e["url"].rsplit("/", 1)[1], e["reason"]) for e in errors] == [
        ("broken-page-999999", "HTTP 500")
    ]


def test_second_run_stores_nothing_and_refetches_no_article(
    crawled: Crawled, sample_sites: SampleSites
) -> None:
    expected = {site.path(a) for site, a in sample_sites.all_articles()}
    assert crawled.second, "the second run read no feeds or sitemaps"
    assert not [p for _, p in crawled.second if p in expected]
    runs = _rows(crawled.db, "SELECT id, status FROM crawl_runs ORDER BY id")
    assert [r["status"] for r in runs] == ["finished", "finished"]
    stored_second = _rows(
        crawled.db, "SELECT count(*) AS n FROM articles WHERE crawl_run = ?", [runs[1]["id"]]
    )
    assert stored_second[0]["n"] == 0
    assert "TOTAL" in crawled.outputs[1]

"""Crawl throughput: the whole framegap crawl vs a bare Scrapy + trafilatura spider, one run.

Serves a few thousand generated pages (sample paragraphs shuffled into new articles) on
several .test hosts from the sample server, then crawls them twice from their sitemaps:
  1. `framegap crawl` (spider → extract.py → validate → prefilter → dedupe → SQLite store),
     as configured by default (extraction in one worker process), and again in-process,
  2. bench/bare_spider.py (fetch → trafilatura.extract in-process; nothing stored),
with the same politeness (robots.txt, one request at a time per host, no delay on loopback).
Pages per second come from each crawl's own Scrapy stats (responses / elapsed seconds).
Goal (issue 2): ratio full / bare >= 0.8.

    .venv/bin/python bench/crawl.py [--pages 3000] [--hosts 8] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.outlets import load_registry  # noqa: E402
from crawler.sample.server import serving  # noqa: E402
from crawler.sample.site import SampleArticle, SampleSites, Site, load_sites  # noqa: E402
from db import open_db  # noqa: E402

REGISTRY_ENTRY = """
[outlet.bulk{i}]
name = "Bulk {i} (generated benchmark outlet)"
group = "western"
country = "GB"
language = "en"
ownership = "commercial"
homepage = "http://bulk{i}.test/"
timezone = "Europe/London"
allowed_domains = ["bulk{i}.test"]
article_url = '/content/[a-z0-9-]+$'
download_delay = 0.0
[[outlet.bulk{i}.source]]
kind = "sitemap"
url = "http://bulk{i}.test/sitemap.xml"
"""


def generated_sites(pages: int, hosts: int, registry: Path) -> SampleSites:
    """`pages` articles spread over `hosts` generated outlets, from shuffled sample paragraphs."""
    registry.write_text("".join(REGISTRY_ENTRY.format(i=i) for i in range(hosts)))
    outlets = load_registry(registry, is_sample=True)
    paragraphs = [
        p
        for _, a in load_sites().all_articles()
        for p in a.paragraphs
        if a.outlet in ("meridian-wire", "harbour-ledger", "atlantic-courier")
    ]
    rng = random.Random(7)
    sites = {}
    for i, (slug, outlet) in enumerate(outlets.items()):
        site = Site(
            outlet=outlet,
            config={
                "host": f"bulk{i}.test",
                "url": "/content/{id}",
                "template": "harbour-ledger.html",
                "dates": "datetime",
                "robots_disallow": "/drafts/",
                "sitemap": "/sitemap.xml",
            },
        )
        for n in range(i, pages, hosts):
            site.articles.append(
                SampleArticle(
                    outlet=slug,
                    id=f"story-{n}",
                    author="Bench Writer",
                    section="markets",
                    published=datetime(2023, 1, 1, tzinfo=UTC) + timedelta(hours=n),
                    title=f"Generated story {n}",
                    summary="Generated for the crawl benchmark.",
                    paragraphs=tuple(rng.sample(paragraphs, 6)),
                    topic="on",
                    tone="",
                    frames=(),
                )
            )
        sites[slug] = site
    return SampleSites(sites)


def full_crawl(proxy: str, registry: Path, db: Path, workers: int) -> dict[str, float]:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "framegap.py"),
            "crawl",
            "--registry",
            str(registry),
            "--sample-server",
            proxy,
            "--db",
            str(db),
            "--spider",
            "sitemap",
            "-s",
            f"FRAMEGAP_EXTRACT_WORKERS={workers}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"framegap crawl failed: {result.stderr[-2000:]}")
    stats = json.loads(
        next(iter(open_db(db).query("SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1")))[
            "stats"
        ]
    )
    stored = next(iter(open_db(db).query("SELECT count(*) AS n FROM articles")))["n"]
    return _rate(stats) | {"stored": stored}


def bare_crawl(proxy: str, hosts: int) -> dict[str, float]:
    sitemaps = ",".join(f"http://bulk{i}.test/sitemap.xml" for i in range(hosts))
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "bare_spider.py"),
            "--sitemaps",
            sitemaps,
            "--proxy",
            proxy,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"bare spider failed: {result.stderr[-2000:]}")
    return _rate(json.loads(result.stdout))


def _rate(stats: dict[str, float]) -> dict[str, float]:
    responses = float(stats.get("downloader/response_count", 0))
    seconds = float(stats.get("elapsed_time_seconds", 0)) or float("nan")
    return {
        "responses": responses,
        "seconds": round(seconds, 2),
        "pages_per_s": round(responses / seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        registry = Path(tmp) / "bulk.toml"
        sites = generated_sites(args.pages, args.hosts, registry)
        with serving(0, sites) as server:
            full = full_crawl(server.proxy, registry, Path(tmp) / "bench.db", workers=1)
            inproc = full_crawl(server.proxy, registry, Path(tmp) / "bench0.db", workers=0)
            bare = bare_crawl(server.proxy, args.hosts)
    ratio = round(full["pages_per_s"] / bare["pages_per_s"], 3)
    ratio0 = round(inproc["pages_per_s"] / bare["pages_per_s"], 3)
    print(f"pages: {args.pages} on {args.hosts} hosts (one request at a time per host)")
    print(f"{'crawl':<34}{'responses':>10}{'seconds':>10}{'pages/s':>10}")
    rows = (
        ("framegap, 1 extraction worker", full),
        ("framegap, extraction in-process", inproc),
        ("bare scrapy + trafilatura", bare),
    )
    for label, figures in rows:
        print(
            f"{label:<34}{figures['responses']:>10.0f}{figures['seconds']:>10}"
            f"{figures['pages_per_s']:>10}"
        )
    print(f"articles stored: {full['stored']} and {inproc['stored']}")
    print(f"ratio framegap/bare: {ratio} (default, 1 worker; goal >= 0.8); in-process: {ratio0}")
    if args.json:
        figures = {
            "full": full,
            "in_process": inproc,
            "bare": bare,
            "ratio": ratio,
            "ratio_in_process": ratio0,
        }
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()

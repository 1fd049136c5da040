"""An interrupted crawl with --jobdir resumes and finishes without storing anything twice."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.sample.server import SampleServer
from crawler.sample.site import SampleSites
from db import open_db
from tests.crawler.test_crawl_e2e import ROOT, run_cli

pytestmark = pytest.mark.network


def _stored(db_path: Path) -> int:
    if not db_path.exists():
        return 0
    db = open_db(db_path, read_only=True)  # the crawl may still be creating the tables
    try:
        return int(next(db.query("SELECT count(*) AS n FROM articles"))["n"])
    except sqlite3.OperationalError:
        return 0
    finally:
        db.close()


def test_interrupted_crawl_resumes(
    sample_server: SampleServer, sample_sites: SampleSites, tmp_path: Path
) -> None:
    db_path, jobdir = tmp_path / "r.db", tmp_path / "job"
    args = [
        "crawl",
        "--sample",
        "--sample-server",
        sample_server.proxy,
        "--db",
        str(db_path),
        "--jobdir",
        str(jobdir),
        "-s",
        "CONCURRENT_REQUESTS=2",
    ]
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "framegap.py"), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while _stored(db_path) < 20 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)  # Scrapy stops gracefully and keeps its queue in jobdir
    process.communicate(timeout=120)
    interrupted = _stored(db_path)
    total = len(sample_sites.all_articles())
    assert 20 <= interrupted < total, "the crawl was not interrupted part way"
    assert (jobdir / "requests.seen").exists()

    result = run_cli(*args)
    assert result.returncode == 0, result.stderr[-2000:]
    db = open_db(db_path)
    assert _stored(db_path) == total
    urls = [r["url"] for r in db.query("SELECT url FROM pages WHERE kind = 'article'")]
    assert len(urls) == len(set(urls)) == total
    statuses = [r["status"] for r in db.query("SELECT status FROM crawl_runs ORDER BY id")]
    assert statuses == ["stopped (shutdown)", "finished"]

"""Bad input gives a clear message or a crawl_errors row, and the crawl still finishes."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from crawler.sample.server import SampleServer
from db import open_db
from tests.crawler.test_crawl_e2e import run_cli

pytestmark = pytest.mark.network

FAULTY = """
[outlet.faulty]
name = "Faulty (test)"
group = "western"
country = "GB"
language = "en"
ownership = "commercial"
homepage = "http://meridianwire.test/"
timezone = "UTC"
allowed_domains = ["meridianwire.test"]
article_url = '/news/'
download_delay = 0.0
[[outlet.faulty.source]]
kind = "sitemap"
url = "http://meridianwire.test/_faults/malformed-sitemap.xml"
[[outlet.faulty.source]]
kind = "sitemap"
url = "http://meridianwire.test/_faults/bad-gzip-sitemap.xml.gz"
[[outlet.faulty.source]]
kind = "feed"
url = "http://meridianwire.test/_faults/empty-feed.xml"
[[outlet.faulty.source]]
kind = "urls"
url = "file:{urls}"

[outlet.unreachable]
name = "Unreachable (test)"
group = "chinese"
country = "CN"
language = "zh"
ownership = "state"
homepage = "http://127.0.0.1:{port}/"
timezone = "Asia/Shanghai"
allowed_domains = ["127.0.0.1"]
article_url = '/a/'
download_delay = 0.0
[[outlet.unreachable.source]]
kind = "feed"
url = "http://127.0.0.1:{port}/rss.xml"
"""


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_faults_are_recorded_and_the_crawl_finishes(
    sample_server: SampleServer, tmp_path: Path
) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(
        "http://meridianwire.test/_faults/500\nnot a url\n"
        "http://meridianwire.test/news/2023/08/pay-cap-29m-2023\n"
    )
    registry = tmp_path / "outlets.toml"
    registry.write_text(FAULTY.format(urls=urls, port=_closed_port()))
    db_path = tmp_path / "f.db"
    result = run_cli(
        "crawl",
        "--registry",
        str(registry),
        "--sample-server",
        sample_server.proxy,
        "--db",
        str(db_path),
        "-s",
        "RETRY_BACKOFF_BASE=0.01",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    db = open_db(db_path)
    errors = {
        (r["stage"], r["url"].rsplit("/", 1)[-1]): r["reason"]
        for r in db.query("SELECT * FROM crawl_errors")
    }
    assert errors[("sitemap", "malformed-sitemap.xml")].startswith("malformed sitemap XML")
    assert errors[("sitemap", "bad-gzip-sitemap.xml.gz")].startswith("sitemap is not valid gzip")
    assert errors[("feed", "empty-feed.xml")].startswith("malformed feed XML")
    assert errors[("fetch", "500")] == "HTTP 500"
    assert errors[("urls", "not a url")] == "not an http(s) URL"
    assert "Connection" in errors[("feed", "rss.xml")] or "refused" in errors[("feed", "rss.xml")]
    assert [r["url"] for r in db.query("SELECT url FROM articles")] == [
        "http://meridianwire.test/news/2023/08/pay-cap-29m-2023"
    ]
    assert next(db.query("SELECT status FROM crawl_runs"))["status"] == "finished"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--outlet", "no-such-outlet", "--sample"], "unknown outlet(s) no-such-outlet"),
        (["--spider", "nope", "--sample"], "no spider 'nope'"),
        (["--registry", "/nonexistent/outlets.toml"], "not found; pass --registry PATH"),
        (["--since", "yesterday", "--sample"], "since must be a date like 2024-07-03"),
    ],
)
def test_bad_arguments_give_one_clear_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_cli("crawl", "--db", str(tmp_path / "x.db"), *args)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_registry_entry_is_named(tmp_path: Path) -> None:
    registry = tmp_path / "outlets.toml"
    registry.write_text(FAULTY.replace('group = "western"', 'group = "westren"'))
    result = run_cli("crawl", "--registry", str(registry), "--db", str(tmp_path / "x.db"))
    assert result.returncode != 0
    assert (
        "outlet 'faulty': group is 'westren'; use one of western, chinese, hongkong"
        in result.stderr
    )
    assert "Traceback" not in result.stderr

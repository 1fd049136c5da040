"""crawler.extract on small hand-written pages (tests/fixtures/extract/, expected.json beside)."""

from __future__ import annotations

import json
import random
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

import crawler.extract as extract_module
from crawler.extract import (
    Extracted,
    codec_name,
    count_words,
    decode_html,
    extract,
    find_date,
    normalize_language,
    normalize_url,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
CASES: list[dict[str, Any]] = json.loads((FIXTURES / "expected.json").read_text("utf-8"))["cases"]


BAD_JSON_LD = (
    '<html><head><script type="application/ld+json">{"@type": [[[</script>'
    "<title>t</title></head><body><p>short text</p></body></html>"
)


def run_case(case: dict[str, Any]) -> Extracted:
    """Extract the case's page with the case's arguments."""
    return extract(
        (FIXTURES / case["file"]).read_bytes(),
        case["url"],
        declared_encoding=case.get("declared_encoding"),
        default_tz=case.get("default_tz"),
    )


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_fixture_page(case: dict[str, Any]) -> None:
    result = asdict(run_case(case))
    result["paragraphs"] = list(result["paragraphs"])
    for field, expected in case["fields"].items():
        assert result[field] == expected, field
    if "paragraph_count" in case:
        assert len(result["paragraphs"]) == case["paragraph_count"]
    for snippet in case.get("text_has", []):
        assert snippet in result["text"]
    for snippet in case.get("text_lacks", []):
        assert snippet not in result["text"]


def test_every_fixture_page_has_a_case() -> None:
    assert {path.name for path in FIXTURES.glob("*.html")} == {case["file"] for case in CASES}


def test_text_is_paragraphs_joined() -> None:
    result = run_case(CASES[0])
    assert result.text == "\n\n".join(result.paragraphs)
    assert result.word_count == len(result.text.split())


@pytest.mark.parametrize(
    ("page", "reason_start"),
    [
        (b"", "empty document"),
        ("", "empty document"),
        (b"\x00" * 2000, "not an HTML page"),
        (random.Random(7).randbytes(20_000), "not an HTML page"),
        (b'<?xml version="1.0"?><rss><channel><title>Feed</title></channel></rss>', "not an HTML"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not an HTML page"),
        ("<html><body>" + "<div>" * 50_000 + "deep" + "</div>" * 50_000, "empty body"),
        (BAD_JSON_LD, "body too short"),
        (None, "not a page"),
        (12345, "not a page"),
    ],
    ids=[
        "empty bytes",
        "empty str",
        "NULs",
        "random",
        "RSS",
        "PDF",
        "deep",
        "bad JSON",
        "None",
        "int",
    ],
)
def test_never_raises(page: Any, reason_start: str) -> None:
    result = extract(page, "https://odd.sample.test/page")
    assert not result.is_article
    assert result.reason.startswith(reason_start)
    assert result.canonical_url == "https://odd.sample.test/page"


def test_unparseable_url_does_not_raise() -> None:
    result = extract((FIXTURES / "no_dates.html").read_bytes(), "http://[::1")
    assert result.is_article
    assert result.canonical_url == "http://[::1"


def test_big_pages_are_cut_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract_module, "MAX_BYTES", 20_000)
    page = b"<html><body><article><p>" + b"Bonus rules change. " * 5_000 + b"</p></article></body>"
    result = extract(page, "https://big.sample.test/")
    assert 0 < len(result.text) < 20_000


@pytest.mark.parametrize(
    ("text", "zh", "default_tz", "expected"),
    [
        ("March 3, 2024", False, None, "2024-03-03"),
        ("3 March 2024", False, None, "2024-03-03"),
        ("Sunday 3rd March 2024", False, None, "2024-03-03"),
        ("Mar. 3, 2024 10:15 a.m. ET", False, None, "2024-03-03T15:15:00Z"),
        ("July 3, 2024 10:15 a.m. ET", False, None, "2024-07-03T14:15:00Z"),
        ("Nov 18, 2019 12:01 AM EST", False, None, "2019-11-18T05:01:00Z"),
        ("Published 14:30 BST, 3 July 2024", False, None, "2024-07-03T13:30:00Z"),
        ("3 July 2024 14:30 HKT", False, None, "2024-07-03T06:30:00Z"),
        ("3 July 2024 09:00 GMT", False, None, "2024-07-03T09:00:00Z"),
        ("2024-07-03 14:30 CST", True, None, "2024-07-03T06:30:00Z"),
        ("2024-07-03 14:30 CST", False, None, "2024-07-03T20:30:00Z"),
        ("2024-07-03 14:30", False, None, "2024-07-03"),
        ("2024-07-03 14:30", False, "Asia/Shanghai", "2024-07-03T06:30:00Z"),
        ("2024/07/03", False, None, "2024-07-03"),
        ("2024-07-03T14:30:00+08:00", False, None, "2024-07-03T06:30:00Z"),
        ("2024-07-03T06:30:00.000Z", False, None, "2024-07-03T06:30:00Z"),
        ("2024年7月3日", True, None, "2024-07-03"),
        ("2024年07月03日 14:30", True, "Asia/Shanghai", "2024-07-03T06:30:00Z"),
        ("2024年7月3日 星期三 14:30", True, "Asia/Shanghai", "2024-07-03T06:30:00Z"),
        ("北京时间2024年7月3日14:30", True, None, "2024-07-03T06:30:00Z"),
        ("2024年7月3日 星期三", True, "Asia/Hong_Kong", "2024-07-03"),
        ("Updated March 5, 2024, first published March 3, 2024", False, None, "2024-03-03"),
        ("© 2024 Sample Ledger", False, None, None),
        ("2024-02-30", False, None, None),
        ("no date here", False, None, None),
    ],
)
def test_find_date(text: str, zh: bool, default_tz: str | None, expected: str | None) -> None:
    zone = extract_module.ZoneInfo(default_tz) if default_tz else None
    assert find_date(text, zh=zh, default_tz=zone) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTPS://News.Sample.TEST/a/b?utm_source=x&id=7&fbclid=1#frag",
            "https://news.sample.test/a/b?id=7",
        ),
        ("http://sample.test:80/?spm=a.b.c&gclid=9&UTM_Medium=y", "http://sample.test/"),
        (
            "https://sample.test:8443/x?q=%E4%B8%AD&utm_content=z",
            "https://sample.test:8443/x?q=%E4%B8%AD",
        ),
        ("https://sample.test", "https://sample.test/"),
    ],
)
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en-US", "en"),
        ("zh-CN", "zh"),
        ("zh_CN", "zh"),
        ("zh-Hans", "zh"),
        ("zh-TW", "zh-Hant"),
        ("zh-hk", "zh-Hant"),
        ("zh-Hant-TW", "zh-Hant"),
        ("FR", "fr"),
        ("", None),
        (None, None),
    ],
)
def test_normalize_language(tag: str | None, expected: str | None) -> None:
    assert normalize_language(tag) == expected


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("GBK", "gb18030"),
        ("gb2312", "gb18030"),
        ("x-gbk", "gb18030"),
        ("GB18030", "gb18030"),
        ("ISO-8859-1", "cp1252"),
        ("big5", "big5hkscs"),
        ("UTF8", "utf-8"),
        ("no-such", None),
    ],
)
def test_codec_name(label: str, codec: str | None) -> None:
    assert codec_name(label) == codec


def test_decode_prefers_bom_to_meta() -> None:
    page = '<html><head><meta charset="gbk"></head><body>薪酬</body></html>'
    text, encoding = decode_html(page.encode("utf-16"))
    assert (encoding, "薪酬" in text) == ("utf-16-le", True)


def test_decode_tolerates_a_stray_byte() -> None:
    page = "<html><body><p>薪酬改革</p></body></html>".encode() + b"\xff"
    text, encoding = decode_html(page, "utf-8")
    assert encoding == "utf-8"
    assert "薪酬改革" in text


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [("Pay caps cut bonuses, again.", "en", 5), ("薪酬改革 2024 年 CEO", "zh", 7), ("", "en", 0)],
)
def test_count_words(text: str, language: str, expected: int) -> None:
    assert count_words(text, language) == expected

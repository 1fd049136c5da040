"""Turn one fetched HTML page into article fields: a pure function, no I/O, never raises.

Stages: decode bytes → parse → body → language → metadata (canonical URL, title, byline, dates)
→ article or not. Every failure becomes a non-article result whose ``reason`` says why.

The body is trafilatura's (favor_precision, no comments) on a copy of the page without the
small <article> cards nested in the article, then: paragraphs of twin containers it dropped are
restored; repeated headlines, teaser links to other stories, short boilerplate lines
(BOILERPLATE_RULES) and trailing headings are removed; JSON-LD articleBody replaces it when
much longer and about the same story. bench/extraction.py measures each step.

The stages live in crawler/extraction/, one module per concern; this module is their front.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from trafilatura.utils import load_html

from crawler.errors import CrawlerError
from crawler.extraction.body import (
    MIN_WORDS,
    TEASER_WORDS,
    Block,
    anchor_texts,
    ld_body,
    restore_chunks,
    trafilatura_blocks,
)
from crawler.extraction.boilerplate import BOILERPLATE_RULES, BOILERPLATE_WORDS, clean_blocks
from crawler.extraction.dates import find_date, page_date, parse_date_value
from crawler.extraction.decode import codec_name, decode_html
from crawler.extraction.language import (
    COUNTED_IN_CHARACTERS,
    count_words,
    normalize_language,
    page_language,
)
from crawler.extraction.meta import (
    ARTICLE_TYPES,
    Page,
    json_ld,
    ld_types,
    meta_tags,
    normalize_url,
    page_byline,
    page_canonical,
    page_title,
)
from crawler.extraction.signals import (
    INDEX_LINKS,
    INDEX_RUNNING_WORDS,
    has_player,
    looks_like_index,
    paywalled,
)

__all__ = [  # the public interface, including what the stages in crawler.extraction provide
    "BOILERPLATE_RULES",
    "BOILERPLATE_WORDS",
    "INDEX_LINKS",
    "INDEX_RUNNING_WORDS",
    "MAX_BYTES",
    "MIN_WORDS",
    "PAYWALL_STUB",
    "TEASER_WORDS",
    "VIDEO_CAPTION",
    "ExtractError",
    "Extracted",
    "codec_name",
    "count_words",
    "decode_html",
    "extract",
    "find_date",
    "normalize_language",
    "normalize_url",
    "parse_date_value",
]

LOGGER = logging.getLogger(__name__)

MAX_BYTES = 5_000_000  # larger pages are cut before parsing
VIDEO_CAPTION = 120  # a video page's text is at most a caption of this many words
PAYWALL_STUB = 150  # a paywalled page shows at most a teaser of this many words


class ExtractError(CrawlerError):
    """A page that cannot be turned into an article; the message becomes ``reason``."""


@dataclass(frozen=True)
class Extracted:
    """Article fields extracted from one page (see module docstring)."""

    url: str
    canonical_url: str
    is_article: bool
    reason: str
    title: str | None
    byline: str | None
    published: str | None
    modified: str | None
    language: str | None
    text: str
    paragraphs: tuple[str, ...]
    word_count: int
    encoding: str


def extract(
    html: bytes | str,
    url: str,
    *,
    declared_encoding: str | None = None,
    default_tz: str | None = None,
) -> Extracted:
    """Extract article fields from a page; never raises (failures give a non-article)."""
    encoding = "unicode" if isinstance(html, str) else ""
    try:
        text, encoding = _to_text(html, declared_encoding)
        return _extract_text(text, url, encoding, default_tz)
    except ExtractError as exc:
        return _non_article(url, str(exc), encoding)
    except Exception as exc:  # any bug or parser failure on odd input: report, don't crash
        LOGGER.warning("extraction failed for %s: %r", url, exc)
        return _non_article(url, f"extraction failed ({type(exc).__name__})", encoding)


def _non_article(url: str, reason: str, encoding: str) -> Extracted:
    try:
        canonical = normalize_url(url)
    except ValueError:
        canonical = url
    return Extracted(
        url, canonical, False, reason, None, None, None, None, None, "", (), 0, encoding
    )


# --- decoding, parsing, time zone, article or not --------------------------------------------


def _to_text(page: bytes | str, declared: str | None) -> tuple[str, str]:
    if isinstance(page, str):
        return page[:MAX_BYTES], "unicode"
    if not isinstance(page, bytes | bytearray):
        raise ExtractError(f"not a page ({type(page).__name__})")
    return decode_html(bytes(page[:MAX_BYTES]), declared)


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


def _parse(text: str, url: str) -> Page:
    start = text.lstrip()[:1000].lower()
    if start.startswith("<?xml") and "<html" not in start:
        raise ExtractError("not an HTML page (XML document)")
    if not text.strip():
        raise ExtractError("empty document")
    tree = load_html(_XML_DECLARATION.sub("", text, count=1))  # XHTML: the text is decoded
    if tree is None or tree.find(".//body") is None and len(tree) < 2:
        raise ExtractError("not an HTML page")
    return Page(tree, url, meta_tags(tree), json_ld(tree))


def _zone_info(name: str | None) -> Any:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        LOGGER.warning("unknown default time zone %r ignored", name)
        return None


def _verdict(
    page: Page, blocks: list[Block], words: int, language: str | None, anchors: set[str]
) -> str:
    """Why the page is not an article, or "" if it is one."""
    kinds = set().union(*(ld_types(obj) for obj in page.ld))
    scale = 2 if language in COUNTED_IN_CHARACTERS else 1  # word sizes for Chinese/Japanese
    if page.meta.get("og:type", "").lower().startswith("video"):
        return "video page"
    if words < VIDEO_CAPTION * scale and (
        has_player(page) or "videoobject" in kinds and not kinds & ARTICLE_TYPES
    ):
        return "video page"
    if words == 0:
        return "empty body"
    text = " ".join(block.text for block in blocks)
    if words < PAYWALL_STUB * scale and paywalled(page, text):
        return "paywall stub"
    if looks_like_index(page, blocks, scale, kinds, anchors):
        return "index page (many links, little text)"
    if words < MIN_WORDS * scale:
        return f"body too short ({words} words)"
    return ""


# --- putting it together ---------------------------------------------------------------------


def _extract_text(text: str, url: str, encoding: str, default_tz: str | None) -> Extracted:
    page = _parse(text, url)
    title = page_title(page)
    anchors = anchor_texts(page.tree)
    blocks = restore_chunks(page, trafilatura_blocks(page, anchors), anchors)
    blocks = ld_body(page, clean_blocks(blocks, page, title))
    paragraphs = [block.text for block in blocks]
    body = "\n\n".join(paragraphs)
    language = page_language(page, body or title or "")
    words = count_words(body, language)
    zone = _zone_info(default_tz)
    zh = language in ("zh", "zh-Hant")
    reason = _verdict(page, blocks, words, language, anchors)
    if reason:
        LOGGER.debug("not an article: %s (%s)", url, reason)
    return Extracted(
        url=url,
        canonical_url=page_canonical(page),
        is_article=not reason,
        reason=reason,
        title=title,
        byline=page_byline(page),
        published=page_date(page, "published", zh, zone),
        modified=page_date(page, "modified", zh, zone),
        language=language,
        text=body,
        paragraphs=tuple(paragraphs),
        word_count=words,
        encoding=encoding,
    )

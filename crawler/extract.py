"""Turn one fetched HTML page into article fields: a pure function, no I/O, never raises.

Stages: decode bytes → parse → body → language → metadata (canonical URL, title, byline, dates)
→ article or not. Every failure becomes a non-article result whose ``reason`` says why.

The body is trafilatura's (favor_precision, no comments) on a copy of the page without the
small <article> cards nested in the article, then: paragraphs of twin containers it dropped are
restored; repeated headlines, teaser links to other stories, short boilerplate lines
(BOILERPLATE_RULES) and trailing headings are removed; JSON-LD articleBody replaces it when
much longer and about the same story. bench/extraction.py measures each step.
"""

from __future__ import annotations

import codecs
import copy
import html
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from itertools import islice
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import charset_normalizer
import trafilatura
from lxml.html import HtmlElement
from trafilatura.metadata import extract_author as trafilatura_author
from trafilatura.utils import load_html

from crawler.errors import CrawlerError

LOGGER = logging.getLogger(__name__)

MAX_BYTES = 5_000_000  # larger pages are cut before parsing
MIN_WORDS = 50  # below this an extracted body is "too short" to be an article (x2 in CJK)
TEASER_WORDS = 30  # a link text this short, repeated as a body line, is a teaser
BOILERPLATE_WORDS = 40  # lines up to this long are checked against the boilerplate rules


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


# --- decoding -------------------------------------------------------------------------------

# decode with the superset: pages declaring GBK/GB2312 use GB18030 characters, ISO-8859-1 pages
# are in practice windows-1252, Big5 pages in Hong Kong use HKSCS
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "big5": "big5hkscs",
}
_LABEL_ALIASES = {
    "x-gbk": "gbk",
    "gb_2312-80": "gb2312",
    "csgb2312": "gb2312",
    "x-gb2312": "gb2312",
    "x-euc-cn": "gb2312",
    "unicode": "utf-8",
    "utf8mb4": "utf-8",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([a-z0-9_.:-]+)""", re.I)
_ASCII = bytes(range(128))


def codec_name(label: str | None) -> str | None:
    """Python codec for an encoding label, widened to the superset we decode with."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(_LABEL_ALIASES.get(label, label)).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes: HTTP declaration > BOM > <meta> > sniffed > UTF-8 with replacement."""
    utf8 = _strict_utf8(data)
    bom = next((name for mark, name in _BOMS if data.startswith(mark)), None)
    for candidate in (codec_name(declared), bom, codec_name(_declared_in_page(data))):
        text = _checked_decode(data, candidate, utf8)
        if text is not None:
            return text.lstrip("\ufeff"), str(candidate)
    if utf8 is not None:
        return utf8.lstrip("\ufeff"), "utf-8"
    sniffed = _sniff(data)
    text = _checked_decode(data, sniffed, utf8)
    if text is not None:
        return text, str(sniffed)
    return data.decode("utf-8", errors="replace"), "utf-8"


def _to_text(page: bytes | str, declared: str | None) -> tuple[str, str]:
    if isinstance(page, str):
        return page[:MAX_BYTES], "unicode"
    if not isinstance(page, bytes | bytearray):
        raise ExtractError(f"not a page ({type(page).__name__})")
    return decode_html(bytes(page[:MAX_BYTES]), declared)


def _strict_utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _declared_in_page(data: bytes) -> str | None:
    head = data[:16384]
    found = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return found.group(1).decode("ascii") if found else None


def _checked_decode(data: bytes, codec: str | None, utf8: str | None) -> str | None:
    """Decode with ``codec`` if the bytes agree with it, else None (try the next source)."""
    if codec is None:
        return None
    if codec == "utf-8" and utf8 is not None:
        return utf8
    if not codec.startswith("utf") and utf8 is not None and not data.isascii():
        return None  # valid multi-byte UTF-8 is never an accident: the declaration is wrong
    try:
        text = data.decode(codec, errors="replace")
    except LookupError:
        return None
    non_ascii = len(data.translate(None, _ASCII))
    # a few stray bytes (a cut page, one bad character) are tolerated, a wrong codec is not
    if text.count("\ufffd") > 2 + non_ascii // 500:
        LOGGER.debug("declared encoding %s does not fit the bytes", codec)
        return None
    return text


def _sniff(data: bytes) -> str | None:
    best = charset_normalizer.from_bytes(data[:300_000]).best()
    return codec_name(best.encoding) if best is not None else None


# --- parsing and page metadata ---------------------------------------------------------------

_ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenews",
    "blogposting",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "liveblogposting",
    "techarticle",
    "scholarlyarticle",
    "report",
    "webcontent",
}
_INDEX_TYPES = {"collectionpage", "itemlist", "searchresultspage"}
# JSON-LD keys whose objects describe the page itself; anything else (itemListElement,
# relatedLink, isPartOf ...) may describe other pages and is not read
_OWN_KEYS = {"@graph", "mainEntity", "mainEntityOfPage"}


@dataclass(frozen=True)
class _Page:
    """The parsed page and its machine-readable metadata."""

    tree: HtmlElement
    url: str
    meta: dict[str, str]  # first content per lower-cased name/property/itemprop/http-equiv
    ld: tuple[dict[str, Any], ...]  # JSON-LD objects describing this page, articles first


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


def _parse(text: str, url: str) -> _Page:
    start = text.lstrip()[:1000].lower()
    if start.startswith("<?xml") and "<html" not in start:
        raise ExtractError("not an HTML page (XML document)")
    if not text.strip():
        raise ExtractError("empty document")
    tree = load_html(_XML_DECLARATION.sub("", text, count=1))  # XHTML: the text is decoded
    if tree is None or tree.find(".//body") is None and len(tree) < 2:
        raise ExtractError("not an HTML page")
    return _Page(tree, url, _meta_tags(tree), _json_ld(tree))


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    meta: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        content = (el.get("content") or "").strip()
        if key and content:
            meta.setdefault(key.strip().lower(), content)
    return meta


def _json_ld(tree: HtmlElement) -> tuple[dict[str, Any], ...]:
    found: list[dict[str, Any]] = []
    for script in tree.iterfind(".//script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        raw = re.sub(r"^\s*(<!--|//\s*<!\[CDATA\[)|(-->|//\s*\]\]>)\s*$", "", script.text)
        try:
            found.extend(_own_objects(json.loads(raw, strict=False)))
        except (ValueError, RecursionError):
            LOGGER.debug("unreadable JSON-LD block skipped")
    return tuple(sorted(found, key=lambda obj: not _types(obj) & _ARTICLE_TYPES))


def _own_objects(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 6:
        return
    if isinstance(node, list):
        for item in node:
            yield from _own_objects(item, depth + 1)
    elif isinstance(node, dict):
        if "@type" in node:
            yield node
        for key in _OWN_KEYS & node.keys():
            yield from _own_objects(node[key], depth + 1)


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _ld_value(page: _Page, key: str) -> Any:
    """The first value of ``key`` among the page's own JSON-LD objects, articles first."""
    return next((obj[key] for obj in page.ld if obj.get(key)), None)


def _clean(value: Any) -> str:
    return " ".join(html.unescape(value).split()) if isinstance(value, str) else ""


# --- canonical URL ---------------------------------------------------------------------------

_TRACKING = re.compile(r"^(utm_\w*|fbclid|gclid|spm)$", re.I)


def normalize_url(url: str) -> str:
    """Lower-case scheme and host, drop the fragment, default port and tracking parameters."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal
    if parts.port and (parts.scheme, parts.port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{parts.port}"
    pairs = parts.query.split("&")  # kept as written: only tracking parameters go
    query = "&".join(p for p in pairs if p and not _TRACKING.match(unquote(p.split("=")[0])))
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", query, ""))


def _canonical(page: _Page) -> str:
    try:
        page_url = normalize_url(page.url)
    except ValueError:  # an unparseable URL (bad IPv6 literal) is kept as given
        return page.url
    ld_url = _ld_value(page, "url")
    links = [
        el.get("href")
        for el in page.tree.iter("link")
        if "canonical" in (el.get("rel") or "").lower().split()
    ]
    for href in [*links, page.meta.get("og:url"), ld_url if isinstance(ld_url, str) else None]:
        if not href:
            continue
        try:
            candidate = normalize_url(urljoin(page.url, href.strip()))
        except ValueError:
            continue
        parts = urlsplit(candidate)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            continue
        if parts.path == "/" and not parts.query and urlsplit(page_url).path != "/":
            continue  # a site that points every page at its home page says nothing
        return candidate
    return page_url


# --- title and byline ------------------------------------------------------------------------

_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·•:]\s+|\s*(?:[|｜_–—]|--)\s*")


def _title(page: _Page) -> str | None:
    site = _clean(page.meta.get("og:site_name")).lower()
    headline = _clean(_ld_value(page, "headline"))
    for candidate in (headline, _clean(page.meta.get("og:title"))):
        if candidate:
            return _strip_site(candidate, site, heuristic=False)
    title_el = page.tree.find(".//title")
    if title_el is not None and _clean(title_el.text_content()):
        return _strip_site(_clean(title_el.text_content()), site, heuristic=True)
    return _clean(_h1_text(page)) or None


def _strip_site(title: str, site: str, *, heuristic: bool) -> str:
    """Drop site names before or after the headline (" | Outlet", "_新浪财经_新浪网")."""
    for _ in range(3):
        parts = _TITLE_SEPARATOR.split(title)
        first, last = parts[0], parts[-1]
        if len(parts) > 1 and site and first.lower() == site:
            title = title[len(first) :].lstrip(" |-–—·•:｜_")
        elif len(parts) > 1 and (last.lower() == site or heuristic and _site_like(last, title)):
            title = title[: title.rfind(last)].rstrip(" |-–—·•:｜_")
    return title


def _site_like(segment: str, title: str) -> bool:
    """A short trailing segment, under half the title: an outlet's or section's name."""
    cjk = len(_CJK.findall(segment))
    short = cjk <= 10 if cjk else len(segment.split()) <= 4
    return short and len(segment) * 2 < len(title)


def _byline(page: _Page) -> str | None:
    names = _ld_authors(_ld_value(page, "author"))
    if not names:
        for key in ("author", "article:author", "byl", "dc.creator", "sailthru.author"):
            value = _clean(page.meta.get(key))
            if value and not _URLISH.search(value):
                names = [value]
                break
    if not names:
        try:
            names = (trafilatura_author(page.tree) or "").split("; ")
        except Exception:  # a third-party heuristic: its failure only costs the byline
            LOGGER.debug("trafilatura author lookup failed", exc_info=True)
    names = [
        _BYLINE_TAIL.split(_BY.sub("", name), maxsplit=1)[0].strip(_NAME_EDGES) for name in names
    ]
    return ", ".join(dict.fromkeys(name for name in names if name)) or None


_NAME_EDGES = " ,;-|()（）【】[]"
_URLISH = re.compile(r"^(https?:|www\.)|\.(com|org|net|cn)(/|$)", re.I)
_BY = re.compile(r"^[\s(（【\[]*(by|von|par|por|文|作者|记者|記者)[\s:：]+", re.I)
# what trails a name in a byline line: a date, "updated", a weekday
_BYLINE_TAIL = re.compile(
    r"[;|]|(^|\s+)(on\s+)?((mon|tues|wednes|thurs|fri|satur|sun)day|updated|published|january"
    r"|february|march|april|june|july|august|september|october|november|december)\b|\s+\d",
    re.I,
)


def _ld_authors(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = [_clean(item.get("name") if isinstance(item, dict) else item) for item in items]
    return [name for name in names if name and not _URLISH.search(name)]


# --- dates -----------------------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_MON = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_DATES = (
    re.compile(
        rf"(?<!\d){_YEAR}\s*(?:[-/.]|年)\s*(?P<m>\d{{1,2}})\s*(?:[-/.]|月)\s*"
        rf"(?P<d>\d{{1,2}})(?!\d)(?:\s*日)?"
    ),
    re.compile(rf"\b{_MON}\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}(?!\d)", re.I),
    re.compile(
        rf"(?<![\d.])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}\.?,?\s+{_YEAR}"
        r"(?!\d)",
        re.I,
    ),
    re.compile(rf"(?<![\d.])(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.{_YEAR}(?![\d.])"),
)
_ZONE = (
    r"(?P<tz>[+-]\d\d:?\d\d|(?:UTC|GMT)\s?[+-]\s?\d{1,2}(?::?\d\d)?|Z|UTC|GMT|[ECMP][SD]?T"
    r"|BST|HKT|SGT|JST|KST|CES?T|AE[SD]T)(?![A-Za-z])"
)
_CLOCK = (
    r"(?P<h>\d{1,2})\s*(?:[:：]|时|時|点|點)\s*(?P<min>[0-5]\d)(?:[:：](?P<s>[0-5]\d)"
    r"(?:[.,]\d+)?)?分?\s*(?P<ampm>[ap]\.?\s?m\b\.?)?(?:\s*\(?" + _ZONE + ")?"
)
_TIME_AFTER = re.compile(
    r"(?:[\s,|·•@/-]|T|at\b)*(?:(?:星期|周|週|礼拜)[一二三四五六日天]\s*)?"
    r"(?:\(\w{2,9}\)\s*)?" + _CLOCK,
    re.I,
)
_TIME_BEFORE = re.compile(_CLOCK + r"\)?[\s,|·•-]*(?:on\s+)?(?:[a-z]{3,9}day,?\s*)?$", re.I)
_BEIJING = re.compile(r"北京[时時]间")
_FIXED_ZONES = {
    "Z": 0,
    "UTC": 0,
    "GMT": 0,
    "BST": 60,
    "CET": 60,
    "CEST": 120,
    "HKT": 480,
    "SGT": 480,
    "JST": 540,
    "KST": 540,
    "AEST": 600,
    "AEDT": 660,
    "EST": -300,
    "EDT": -240,
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
}
_REGION_ZONES = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}
_OFFSET = re.compile(r"([+-])\s?(\d{1,2}):?(\d\d)?$")


def find_date(text: str, *, zh: bool = False, default_tz: Any = None) -> str | None:
    """The first valid date (with its time and zone, if printed) in ``text``, as ISO-8601."""
    return next((value for _, value in _dates_in(text, zh, default_tz)), None)


_UPDATED = re.compile(r"(updated|modified|edited|更新|修改|修订)\W{0,3}(on|at)?\W{0,3}$", re.I)


def _dates_in(text: str, zh: bool, default_tz: Any) -> Iterator[tuple[str, str]]:
    """(local day, ISO value) of each valid date in ``text``, skipping "updated ..." dates."""
    found = sorted(
        (m for pattern in _DATES for m in pattern.finditer(text[:2000])), key=lambda m: m.start()
    )
    for match in found:
        before = text[max(0, match.start() - 40) : match.start()]
        if _UPDATED.search(before):
            continue
        month = int(match["m"]) if "m" in match.re.groupindex else _MONTHS[match["mon"][:3].lower()]
        clock = _TIME_AFTER.match(text, match.end()) or _TIME_BEFORE.search(before)
        zone_name = clock["tz"] if clock else None
        near = text[max(0, match.start() - 12) : match.end() + 12]
        if zone_name is None and _BEIJING.search(near):
            zone_name = "+08:00"  # "北京时间" printed before or after the date
        zone = _zone(zone_name, zh) if zone_name else default_tz
        value = _iso(int(match["y"]), month, int(match["d"]), clock, zone)
        if value:
            yield f"{match['y']}-{month:02d}-{int(match['d']):02d}", value


def _zone(name: str, zh: bool) -> Any:
    upper = name.upper().replace(" ", "")
    if upper == "CST":
        return timezone(timedelta(hours=8 if zh else -6))  # China Standard Time on zh pages
    if upper in _FIXED_ZONES:
        return timezone(timedelta(minutes=_FIXED_ZONES[upper]))
    if upper in _REGION_ZONES:
        return ZoneInfo(_REGION_ZONES[upper])
    offset = _OFFSET.search(upper)
    if offset is None:
        return None
    minutes = int(offset[2]) * 60 + int(offset[3] or 0)
    if minutes > 14 * 60:
        return None
    return timezone(timedelta(minutes=minutes if offset[1] == "+" else -minutes))


def _iso(year: int, month: int, day: int, clock: re.Match[str] | None, zone: Any) -> str | None:
    try:
        local = datetime(year, month, day)
    except ValueError:
        return None
    if clock is None or zone is None:
        return local.date().isoformat()
    hour, ampm = int(clock["h"]), (clock["ampm"] or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return local.date().isoformat()
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    if hour > 23:
        return local.date().isoformat()
    local = local.replace(hour=hour, minute=int(clock["min"]), second=int(clock["s"] or 0))
    return local.replace(tzinfo=zone).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_date_value(value: Any, *, zh: bool = False, default_tz: Any = None) -> str | None:
    """A machine-readable date (ISO-8601, RFC 2822, 20240703, epoch seconds) as ISO-8601."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    text = str(value).strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    elif re.fullmatch(r"1\d{9}(\d{3})?", text):
        stamp = datetime.fromtimestamp(int(text[:10]), tz=UTC)
        return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return find_date(text, zh=zh, default_tz=default_tz)


_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "og:published_time",
    "published_time",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "publication_date",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "date",
    "sailthru.date",
    "parsely-pub-date",
    "weibo:article:create_at",
    "bytedance:published_time",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "article:modified",
    "modified_time",
    "datemodified",
    "dc.date.modified",
    "dcterms.modified",
    "lastmod",
    "last-modified",
    "weibo:article:update_at",
    "bytedance:updated_time",
)
_DATE_HINT = re.compile(r"date|time|publish|posted|byline|meta|info|source|dateline|stamp", re.I)
# page furniture: what sits inside these is about other pages or the site, never this article
_FURNITURE = re.compile(
    r"related|recommend|footer|sidebar|comment|copyright|more-?stories|popular"
    r"|trending|widget|promo|teaser|\brail|\bnav|menu|share|newsletter|list"
    r"|feed",
    re.I,
)
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|版权|版權|all rights reserved", re.I)


def _page_date(page: _Page, which: str, zh: bool, zone: Any) -> str | None:
    """Published or modified date: JSON-LD > meta > itemprop > (published only) visible > URL."""
    ld_keys = ("datePublished", "uploadDate") if which == "published" else ("dateModified",)
    meta_keys = _PUBLISHED_META if which == "published" else _MODIFIED_META
    values = [_ld_value(page, key) for key in ld_keys] + [page.meta.get(key) for key in meta_keys]
    prop = "datePublished" if which == "published" else "dateModified"
    values += [
        el.get("content") or el.get("datetime") or el.text_content()
        for el in page.tree.xpath("//*[@itemprop=$prop]", prop=prop)
        if not _in_furniture(el)
    ]
    for value in values:
        found = parse_date_value(value, zh=zh, default_tz=zone) if value else None
        if found:
            return found
    if which == "modified":
        return None
    return _visible_date(page, zh, zone) or _url_date(page.url)


def _in_furniture(el: HtmlElement) -> bool:
    for node in (el, *el.iterancestors()):
        if node.tag in ("html", "body"):
            return False
        if node.tag in ("footer", "nav", "aside"):
            return True
        marks = f"{node.get('class') or ''} {node.get('id') or ''}"
        if marks.strip() and _FURNITURE.search(marks):
            return True
    return False


def _visible_date(page: _Page, zh: bool, zone: Any) -> str | None:
    """A date printed near the headline (<time>, date-ish elements, the text below it).

    The headline's own block and what follows it are read first, its wider header block only
    if they show no date. When the dates found disagree (a quoted statement's date, the site's
    "today"), only one the URL confirms is taken, else none: a wrong date is worse than none.
    """
    h1 = _headline(page)
    if h1 is None:
        return None
    parent = h1.getparent()
    grandparent = None if parent is None else parent.getparent()
    following = h1.xpath("following::*[position() <= 150]")
    for block, extra in ((parent, following), (grandparent, [])):
        scope = [el for el in [*_small_subtree(block), *extra] if isinstance(el.tag, str)]
        texts = [_text_below(h1)] if extra else []
        texts += [el.get("datetime") or el.text_content() for el in scope if _dated(el)]
        found = [
            date
            for text in texts
            if text and len(text) < 300 and not _COPYRIGHT.search(text)
            for date in islice(_dates_in(text, zh, zone), 1)
        ]
        days = {day for day, _ in found}
        if len(days) > 1:
            days &= {_url_date(page.url)}
        if found:
            return max((value for day, value in found if day in days), key=len, default=None)
    return None


def _headline(page: _Page) -> HtmlElement | None:
    """The headline element: the first <h1> outside page furniture, else an <h2>/<h3> whose
    text is the page's title (pages that keep <h1> for the site's name or use none)."""
    h1 = next((el for el in page.tree.iter("h1") if not _in_furniture(el)), None)
    title = _norm(_title(page) or "")
    if h1 is not None or not title:
        return h1
    return next(
        (el for el in page.tree.iter("h2", "h3") if _norm(el.text_content()) == title), None
    )


def _small_subtree(block: HtmlElement | None) -> list[HtmlElement]:
    """The elements of a header-sized block (at most 80), else none."""
    if block is None:
        return []
    elements = list(islice(block.iter(), 81))
    return elements if len(elements) <= 80 else []


def _dated(el: HtmlElement) -> bool:
    """A <time> element or one whose class/id says it holds a date, outside page furniture."""
    marks = f"{el.get('class') or ''} {el.get('id') or ''}"
    return (el.tag == "time" or bool(_DATE_HINT.search(marks))) and not _in_furniture(el)


def _text_below(h1: HtmlElement) -> str:
    """The first 300 characters printed after the headline, before the body starts."""
    parts: list[str] = [h1.tail or ""]
    for el in h1.xpath("following::*[position() <= 60]"):
        if el.tag in ("script", "style"):
            continue
        own = el.text or ""
        if el.tag == "p" and len(el.text_content()) > 80 or sum(map(len, parts)) > 300:
            break
        parts += [own, el.tail or ""]
    return " ".join(" ".join(parts).split())


_URL_DATES = (
    re.compile(r"/((?:19|20)\d\d)[/_-](\d{1,2}|[a-z]{3,9})[/_-](\d{1,2})(?=[/_.-]|$)", re.I),
    re.compile(r"[/_-]t?((?:19|20)\d\d)(\d\d)(\d\d)(?=[/_.-]|$)"),
    re.compile(r"/((?:19|20)\d\d)/(\d\d)(\d\d)/"),
)


def _url_date(url: str) -> str | None:
    """A date in the URL path: /2024/07/03/, /2024/jul/03/, /20240703/, /t20240703_, /2024/0703/."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    for pattern in _URL_DATES:
        match = pattern.search(path)
        if match is None:
            continue
        month = match[2] if match[2].isdigit() else str(_MONTHS.get(match[2][:3].lower(), 0))
        return _iso(int(match[1]), int(month), int(match[3]), None, None)
    return None


def _zone_info(name: str | None) -> Any:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        LOGGER.warning("unknown default time zone %r ignored", name)
        return None


# --- body ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Block:
    """One paragraph-level piece of trafilatura's output."""

    kind: str  # p, head, item, row, quote ...
    text: str
    teaser: bool  # the line is the text of a link on the page, as in "related stories"


_BLOCK_TAGS = {"p", "head", "list", "table", "quote", "div", "code"}


def _trafilatura_blocks(page: _Page, anchors: set[str]) -> list[_Block]:
    try:  # links are left out: include_links=True changes which text trafilatura picks
        doc = trafilatura.bare_extraction(
            _without_cards(page.tree),
            url=page.url or None,
            favor_precision=True,
            include_comments=False,
        )
    except Exception:  # trafilatura on a hostile tree: fall back to no body
        LOGGER.warning("trafilatura failed on %s", page.url, exc_info=True)
        return []
    body = getattr(doc, "body", None)
    if body is None:
        return []
    return [_block(kind, text, anchors) for kind, text in _children(body)]


def _block(kind: str, text: str, anchors: set[str]) -> _Block:
    """A block, marked as a teaser when it repeats one of the page's headline links."""
    return _Block(kind, text, _size(text) <= TEASER_WORDS and _is_teaser(text, anchors))


_NESTED_ARTICLES = "//article[ancestor::article]"


def _without_cards(tree: HtmlElement) -> HtmlElement:
    """A copy without the small <article> cards (other stories) nested in the article."""
    if not tree.xpath(_NESTED_ARTICLES):
        return tree
    tree = copy.deepcopy(tree)
    sizes: dict[HtmlElement, int] = {}
    for card in tree.xpath(_NESTED_ARTICLES):
        outer = next(card.iterancestors("article"))
        if outer not in sizes:
            sizes[outer] = len(outer.text_content())
        if card.find(".//h1") is None and len(card.text_content()) < sizes[outer] / 2:
            card.drop_tree()
    return tree


def _restore_chunks(page: _Page, blocks: list[_Block], anchors: set[str]) -> list[_Block]:
    """Add paragraphs trafilatura dropped from twins of the body's container.

    Some pages split an article into several sibling containers of the same class (chunks
    between ads); trafilatura tends to keep the first. A twin is restored when it is near the
    body's container, outside page furniture, holds no headline of its own and carries at least
    two real paragraphs. Restored paragraphs take their place in document order.
    """
    main = _body_container(page, blocks)
    if main is None:
        return blocks
    have = {_norm(block.text) for block in blocks}
    near = set(islice(main.iterancestors(), 4))
    extra: list[HtmlElement] = []
    for twin in page.tree.xpath("//*[@class=$cls]", cls=main.get("class")):
        if twin is main or near.isdisjoint(twin.iterancestors()) or twin.find(".//h1") is not None:
            continue
        new = [p for p in twin.iterchildren("p") if _norm(p.text_content()) not in have]
        if sum(_size(p.text_content()) >= 15 for p in new) >= 2 and not _in_furniture(twin):
            extra += new
    if not extra:
        return blocks
    LOGGER.debug("restored %d paragraphs from twin containers", len(extra))
    order = {p: i for i, p in enumerate(page.tree.iter("p"))}
    traced = {_norm(p.text_content()): i for p, i in order.items()}
    placed, last = [], -1
    for block in blocks:  # a block not traced to a <p> stays after the one before it
        last = traced.get(_norm(block.text), last)
        placed.append((last, block))
    for p in extra:
        if text := " ".join(p.text_content().split()):
            placed.append((order[p], _block("p", text, anchors)))
    return [block for _, block in sorted(placed, key=lambda item: item[0])]


def _body_container(page: _Page, blocks: list[_Block]) -> HtmlElement | None:
    """The element (with a class) holding the body's two longest paragraphs, if one does."""
    longest = sorted((b.text for b in blocks if b.kind == "p"), key=len, reverse=True)[:2]
    parents = []
    for text in longest:
        found = page.tree.xpath("//p[contains(normalize-space(.), $start)]", start=text[:60])
        parents.append(found[0].getparent() if found else None)
    if len(parents) < 2:
        return None
    main, other = parents
    return main if main is other and main is not None and main.get("class") else None


def _element_blocks(el: Any) -> Iterator[tuple[str, str]]:
    """(kind, text) for each paragraph-level piece of trafilatura's XML, lines split at <lb>."""
    if el.tag == "list":
        for item in el.iterchildren("item"):
            yield from _lines(item, "item")
    elif el.tag == "table":
        for row in el.iter("row"):
            cells = (" ".join("".join(cell.itertext()).split()) for cell in row.iter("cell"))
            text = " | ".join(cell for cell in cells if cell)
            if text:
                yield "row", text
    elif any(child.tag in _BLOCK_TAGS for child in el):
        if el.text and el.text.strip():
            yield el.tag, " ".join(el.text.split())
        yield from _children(el)
    else:
        yield from _lines(el, el.tag)


def _children(el: Any) -> Iterator[tuple[str, str]]:
    for child in el:
        yield from _element_blocks(child)
        if child.tail and child.tail.strip():  # loose text between blocks is a paragraph too
            yield "p", " ".join(child.tail.split())


def _lines(el: Any, kind: str) -> Iterator[tuple[str, str]]:
    for line in "".join(_pieces(el)).split("\0"):
        text = " ".join(line.split())
        if text:
            yield kind, text


def _pieces(el: Any) -> Iterator[str]:
    """The element's text in document order, with NUL where a line break <lb/> stands."""
    yield el.text or ""
    for child in el:
        yield "\0" if child.tag == "lb" else ""
        yield from _pieces(child)
        yield child.tail or ""


def _anchor_texts(tree: HtmlElement) -> set[str]:
    """Normalised texts of the page's links that read like headlines (four words or more)."""
    links = tree.xpath("//a[string-length(normalize-space()) > 15][not(starts-with(@href, '#'))]")
    texts = (a.text_content() for a in links)  # in-page links (#...) form tables of contents
    norms = (_norm(text) for text in texts if not _URL_TEXT.search(text))
    return {norm for norm in norms if norm.count(" ") >= 3}


_URL_TEXT = re.compile(r"://|^\s*www\.|\S@\S")
_LABELS = (re.compile(r"^[^:：|]{1,30}[:：|]\s*"), re.compile(r"\s*\[[^\]]{1,20}\]\W*$"))


def _is_teaser(text: str, anchors: set[str]) -> bool:
    """Whether a line is a link to another page: its text is a link's, bar a short label."""
    variants = (text, *(label.sub("", text) for label in _LABELS))
    return any(_norm(variant) in anchors for variant in variants)


# Lines trafilatura keeps that are not the article: each rule applies to short lines only
# (at most 40 words), and is named so that its effect on the benchmark can be measured.
BOILERPLATE_RULES: dict[str, re.Pattern[str]] = {
    "section label": re.compile(
        r"^(related|read more|read also|also read|more|see more|see also|watch|listen|recommended"
        r"|don'?t miss|trending|most (read|popular)|top stories|you (may|might) also like|tags?"
        r"|further reading|more from [^:]{1,40})\b\s*(articles?|stories|coverage|content|news"
        r"|links?|reading|videos?)?\s*([:：»>|]|\W*$)",
        re.I,
    ),
    "advertisement": re.compile(
        r"^(advertisement|advertising|sponsored( content)?|ad|广告|廣告)$", re.I
    ),
    "newsletter": re.compile(
        r"(sign up|subscribe|inbox|delivered|get)\b.{0,80}\bnewsletter"
        r"|newsletter.{0,80}\b(sign up|subscribe|inbox)|^(subscribe|订阅|訂閱)\b",
        re.I,
    ),
    "promotion": re.compile(
        r"^(?=.*(£|\$|€|\brs\.?|₹|¥)\s?\d)(?=.*(subscri|issues for|use the code"
        r"|promo code|free trial|click here|sign up))",
        re.I,
    ),
    "social": re.compile(
        r"follow (us|him|her|them|@\w+) (on|at) (twitter|facebook|instagram)"
        r"|^(follow|reach|visit|read|see|watch|listen|download|find)\b.{0,150}"
        r"(https?://|www\.)",
        re.I,
    ),
    "share and comments": re.compile(
        r"^(share|share this( article| story)?|share on \w+|tweet|e-?mail|print|comments?"
        r"|\d+ comments?|leave a (comment|reply)|tell us what you think.*"
        r"|join the (conversation|discussion).*)$",
        re.I,
    ),
    "copyright": re.compile(
        r"©|\(c\) \d{4}|copyright \d{4}|all rights reserved|版权所有|版權所有"
        r"|未经授权|未經授權",
        re.I,
    ),
    "cookies": re.compile(
        r"\b(we|site|website|this site) uses? cookies|cookie (policy|settings|preferences|consent)"
        r"|accept (all )?cookies|使用cookie",
        re.I,
    ),
    "credits": re.compile(
        r"^\(?(additional )?(reporting|writing|editing|compiled|edited) by\b"
        r"|contributed (to )?this report\.?\)?$",
        re.I,
    ),
    "timestamp": re.compile(
        # a date-and-time line that is not a sentence (no sentence break, no final full stop)
        r"^(?=.{0,120}$)(?=.*(?<!\d)(19|20)\d\d(?!\d))(?=.*(?<!\d)\d{1,2}[:h]\d\d(?!\d))"
        r"(?!.*(?-i:[a-z]{3}[.!?]\s+[A-Z]))(?!.*\w{3}[.!?][\"”’]?$)"
        r"|^(updated|last updated|published|posted)\b"
        r"[\w ,.:]{0,40}\d{1,2}[:.]\d\d\s*([ap]\.?m\.?)?\s*\w{0,4}\.?$",
        re.I,
    ),
    "chinese furniture": re.compile(
        r"^(相关(阅读|新闻|文章|报道|链接)|相關(閱讀|新聞|文章|報導)|延伸阅读|延伸閱讀|推荐阅读"
        r"|推薦閱讀|热门推荐|更多精彩|猜你喜欢|责任编辑|責任編輯|编辑\s*[:：]|來源\s*[:：]"
        r"|来源\s*[:：]|原标题\s*[:：]|本文来源|扫描二维码|关注我们|分享到|免责声明|免責聲明"
        r"|标签\s*[:：]|標籤\s*[:：]|关键词\s*[:：]|關鍵詞\s*[:：])"
    ),
}


def _is_boilerplate(block: _Block) -> bool:
    if block.teaser:
        return True  # the text of a link to another page: a related-story teaser
    return _size(block.text) <= BOILERPLATE_WORDS and any(
        rule.search(block.text) for rule in BOILERPLATE_RULES.values()
    )


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())


def _clean_blocks(blocks: list[_Block], page: _Page, title: str | None) -> list[_Block]:
    """Drop repeated headlines, boilerplate lines and trailing headings."""
    headlines = {_norm(t) for t in (title, page.meta.get("og:title"), _h1_text(page)) if t}
    standfirst = _norm(page.meta.get("og:description") or page.meta.get("description") or "")
    kept: list[_Block] = []
    for block in blocks:
        norm = _norm(block.text)
        leading = len(kept) < 3 and all(_size(b.text) < 15 for b in kept)
        if norm in headlines or leading and block.kind == "head" and norm == standfirst:
            continue
        if not _is_boilerplate(block):
            kept.append(block)
    while kept and kept[-1].kind == "head":
        kept.pop()  # a heading with nothing under it introduces something that was dropped
    return kept


def _h1_text(page: _Page) -> str | None:
    h1 = page.tree.find(".//h1")
    return h1.text_content() if h1 is not None else None


def _ld_body(page: _Page, blocks: list[_Block]) -> list[_Block]:
    """JSON-LD articleBody instead of the extraction when it is much longer and fits the page."""
    body = _ld_value(page, "articleBody")
    if not isinstance(body, str):
        return blocks
    body = re.sub(r"(?i)<\s*(br|/p|/div|/h\d|/li|/blockquote)\b[^>]*>", "\n", body)
    lines = [_clean(line) for line in re.split(r"\n+", re.sub(r"<[^>]+>", " ", body))]
    ld_paragraphs = [line for line in lines if line]
    ld_text, our_text = " ".join(ld_paragraphs), " ".join(block.text for block in blocks)
    if _size(ld_text) < MIN_WORDS or _size(our_text) * 2 > _size(ld_text):
        return blocks
    ours = set(_norm(our_text).split())
    shared = len(ours & set(_norm(ld_text).split())) / max(1, len(ours))
    headline = _norm(_clean(_ld_value(page, "headline")))
    title_el = page.tree.find(".//title")
    shown = " ".join(
        _norm(t)
        for t in (title_el.text_content() if title_el is not None else "", _h1_text(page))
        if t
    )
    # the same story as the page shows: its headline is the page's, or it contains our text
    fits = bool(headline) and headline in shown or _size(our_text) >= MIN_WORDS and shared >= 0.5
    return [_Block("p", text, False) for text in ld_paragraphs] if fits else blocks


def _size(text: str) -> int:
    """Rough length in words, counting CJK characters as words."""
    return len(text.split()) + len(_CJK.findall(text))


# --- language and size -----------------------------------------------------------------------

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# frequent characters written differently in traditional and simplified Chinese (same order)
_TRADITIONAL = set(
    "這們個說國來時為會學經對發與關開體現還點過動機長東業產實區將資當場間員問題進應變導"
    "總報電爭鐵銀貿價錢濟稅險證權務歲華灣龍門見議紀書號邊車馬億萬樣認讓頭聽寫買賣從無"
    "氣處際條計標習聯術據辦腦擊亞歐羅蘭線統織網絡傳達運環級組獎勞創設陽陰島廣"
)
_SIMPLIFIED = set(
    "这们个说国来时为会学经对发与关开体现还点过动机长东业产实区将资当场间员问题进应变导"
    "总报电争铁银贸价钱济税险证权务岁华湾龙门见议纪书号边车马亿万样认让头听写买卖从无"
    "气处际条计标习联术据办脑击亚欧罗兰线统织网络传达运环级组奖劳创设阳阴岛广"
)
_CJK_LANGS = {"zh", "zh-Hant", "ja", "ko"}
_ENGLISH = set(
    "the and of to in is that for on with as was by it said at from he she be are has "
    "have an this not but they his her".split()
)


def normalize_language(code: Any) -> str | None:
    """An ISO 639-1 code from a language tag; "zh" for simplified, "zh-Hant" for traditional."""
    if not isinstance(code, str):
        return None
    primary, _, rest = code.strip().replace("_", "-").lower().partition("-")
    if primary in ("zh", "yue", "cmn"):
        return "zh-Hant" if primary == "yue" or re.search(r"hant|tw|hk|mo", rest) else "zh"
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def _language(page: _Page, text: str) -> str | None:
    """The declared language, checked against the script of the text."""
    tags = (
        page.tree.get("lang"),
        page.tree.get("xml:lang"),
        page.meta.get("og:locale"),
        _ld_value(page, "inLanguage"),
        page.meta.get("content-language"),
        page.meta.get("language"),
    )
    declared = next((code for tag in tags if (code := normalize_language(tag))), None)
    han, kana = len(_CJK.findall(text)), len(_KANA.findall(text))
    hangul, latin = len(_HANGUL.findall(text)), len(_LATIN.findall(text))
    letters = han + kana + hangul + latin
    if letters < 20:
        return declared
    if kana > 0.05 * (han + kana) and han + kana > 0.3 * letters:
        return "ja"
    if hangul > 0.3 * letters:
        return "ko"
    if han > (0.1 if declared in _CJK_LANGS else 0.3) * letters:
        return _chinese_variant(text, declared)
    if declared in _CJK_LANGS or declared is None:
        return "en" if _looks_english(text) else None
    return declared


def _chinese_variant(text: str, declared: str | None) -> str:
    traditional = sum(map(_TRADITIONAL.__contains__, text))
    simplified = sum(map(_SIMPLIFIED.__contains__, text))
    if traditional == simplified:
        return "zh-Hant" if declared == "zh-Hant" else "zh"
    return "zh-Hant" if traditional > simplified else "zh"


def _looks_english(text: str) -> bool:
    words = re.findall(r"[a-z]+", text[:5000].lower())
    return len(words) >= 10 and sum(w in _ENGLISH for w in words) >= 0.12 * len(words)


_TOKEN = re.compile(r"\S*[^\W_]\S*")


_COUNTED_IN_CHARACTERS = {"zh", "zh-Hant", "ja"}  # one "word" per CJK character, sizes x2


def count_words(text: str, language: str | None) -> int:
    """Words; for Chinese and Japanese, CJK characters plus latin words."""
    if language in _COUNTED_IN_CHARACTERS:
        ideographs = _CJK.findall(text) + _KANA.findall(text)
        rest = _KANA.sub(" ", _CJK.sub(" ", text))
        return len(ideographs) + len(re.findall(r"[^\W_]+", rest))
    return len(_TOKEN.findall(text))


# --- article or not --------------------------------------------------------------------------

_PAYWALL = re.compile(
    r"subscribe (now |today )?to (continue|read|keep)|to continue reading|already a (subscriber"
    r"|member)|subscribers? only|for (paying )?subscribers|(sign|log) ?in to (continue|read|keep)"
    r"|create a free account|this (article|story|content) is (only )?(available|reserved) (to|for)"
    r"|premium (article|content|story)|unlock (this|the full)|start your (free )?trial|订阅后"
    r"|付费(阅读|内容|文章|用户)|登录后(阅读|查看|继续)|会员专享|開通會員|訂閱後|付費(閱讀|內容|文章)",
    re.I,
)
_PAYWALL_MARK = re.compile(r"wall|barrier|gate|subscri|premium|piano|locked|meter", re.I)
_PLAYER = re.compile(
    r"youtube\.com|youtu\.be|vimeo\.com|dailymotion|brightcove|jwplayer|jwplatform"
    r"|player|/video",
    re.I,
)
VIDEO_CAPTION = 120  # a video page's text is at most a caption of this many words
INDEX_LINKS = 15  # a page with this many headline links and little running text is an index
INDEX_RUNNING_WORDS = 100  # "little": fewer words in paragraphs of 20+ words and table rows
PAYWALL_STUB = 150  # a paywalled page shows at most a teaser of this many words


def _verdict(
    page: _Page, blocks: list[_Block], words: int, language: str | None, anchors: set[str]
) -> str:
    """Why the page is not an article, or "" if it is one."""
    kinds = set().union(*(_types(obj) for obj in page.ld))
    scale = 2 if language in _COUNTED_IN_CHARACTERS else 1  # word sizes for Chinese/Japanese
    if page.meta.get("og:type", "").lower().startswith("video"):
        return "video page"
    if words < VIDEO_CAPTION * scale and (
        _has_player(page) or "videoobject" in kinds and not kinds & _ARTICLE_TYPES
    ):
        return "video page"
    if words == 0:
        return "empty body"
    text = " ".join(block.text for block in blocks)
    if words < PAYWALL_STUB * scale and (_PAYWALL.search(text) or _paywall_prompt(page)):
        return "paywall stub"
    if _looks_like_index(page, blocks, scale, kinds, anchors):
        return "index page (many links, little text)"
    if words < MIN_WORDS * scale:
        return f"body too short ({words} words)"
    return ""


def _has_player(page: _Page) -> bool:
    if page.tree.find(".//video") is not None:
        return True
    return any(
        _PLAYER.search(el.get("src") or el.get("data-src") or "")
        for tag in ("iframe", "embed", "object")
        for el in page.tree.iter(tag)
    )


def _paywall_prompt(page: _Page) -> bool:
    if any(str(obj.get("isAccessibleForFree")).lower() == "false" for obj in page.ld):
        return True
    for el in page.tree.iter("div", "section", "aside", "p"):
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        if _PAYWALL_MARK.search(marks) and _PAYWALL.search(el.text_content()[:2000]):
            return True
    return False


def _looks_like_index(
    page: _Page, blocks: list[_Block], scale: int, kinds: set[str], anchors: set[str]
) -> bool:
    """Many links to other stories and little running text: a section or search page."""
    if kinds & _INDEX_TYPES and not kinds & _ARTICLE_TYPES:
        return True
    if page.meta.get("og:type", "").lower() == "article" or kinds & _ARTICLE_TYPES:
        return False  # a page that says it is an article is taken at its word (a short list)
    cards = _card_texts(page)
    in_cards = sum(
        any(norm in card for card in cards) for norm in map(_norm, (b.text for b in blocks))
    )
    if in_cards >= 3 and 2 * in_cards >= len(blocks):
        return True  # the body is story summaries, each in a card with its headline link
    sizes = ((_size(b.text), b.kind == "row") for b in blocks)  # table rows are content too
    running = sum(n for n, row in sizes if row or n >= 20 * scale)
    return len(anchors) >= INDEX_LINKS and running < INDEX_RUNNING_WORDS * scale


# a story card: a small block (at most two paragraphs) led by a linked headline
_CARDS = (
    "//*[self::li or self::div or self::article][count(.//p) <= 2]"
    "[*[self::h2 or self::h3 or self::h4][.//a[@href]] or a[@href][.//h2 or .//h3 or .//h4]]"
)


def _card_texts(page: _Page) -> list[str]:
    """Normalised texts of the page's story cards."""
    return [_norm(card.text_content()) for card in page.tree.xpath(_CARDS)]


# --- putting it together ---------------------------------------------------------------------


def _extract_text(text: str, url: str, encoding: str, default_tz: str | None) -> Extracted:
    page = _parse(text, url)
    title = _title(page)
    anchors = _anchor_texts(page.tree)
    blocks = _restore_chunks(page, _trafilatura_blocks(page, anchors), anchors)
    blocks = _ld_body(page, _clean_blocks(blocks, page, title))
    paragraphs = [block.text for block in blocks]
    body = "\n\n".join(paragraphs)
    language = _language(page, body or title or "")
    words = count_words(body, language)
    zone = _zone_info(default_tz)
    zh = language in ("zh", "zh-Hant")
    reason = _verdict(page, blocks, words, language, anchors)
    if reason:
        LOGGER.debug("not an article: %s (%s)", url, reason)
    return Extracted(
        url=url,
        canonical_url=_canonical(page),
        is_article=not reason,
        reason=reason,
        title=title,
        byline=_byline(page),
        published=_page_date(page, "published", zh, zone),
        modified=_page_date(page, "modified", zh, zone),
        language=language,
        text=body,
        paragraphs=tuple(paragraphs),
        word_count=words,
        encoding=encoding,
    )

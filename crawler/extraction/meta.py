"""The parsed page and what it says of itself: meta tags, JSON-LD, canonical URL, title, byline."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from lxml.html import HtmlElement
from trafilatura.metadata import extract_author as trafilatura_author

from crawler.extraction.text import CJK, clean_text

LOGGER = logging.getLogger(__name__)

ARTICLE_TYPES = {
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
INDEX_TYPES = {"collectionpage", "itemlist", "searchresultspage"}
# JSON-LD keys whose objects describe the page itself; anything else (itemListElement,
# relatedLink, isPartOf ...) may describe other pages and is not read
_OWN_KEYS = {"@graph", "mainEntity", "mainEntityOfPage"}


@dataclass(frozen=True)
class Page:
    """The parsed page and its machine-readable metadata."""

    tree: HtmlElement
    url: str
    meta: dict[str, str]  # first content per lower-cased name/property/itemprop/http-equiv
    ld: tuple[dict[str, Any], ...]  # JSON-LD objects describing this page, articles first


def meta_tags(tree: HtmlElement) -> dict[str, str]:
    """The first content of each <meta> name/property/itemprop/http-equiv, lower-cased."""
    meta: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        content = (el.get("content") or "").strip()
        if key and content:
            meta.setdefault(key.strip().lower(), content)
    return meta


def json_ld(tree: HtmlElement) -> tuple[dict[str, Any], ...]:
    """The JSON-LD objects describing the page itself, articles first."""
    found: list[dict[str, Any]] = []
    for script in tree.iterfind(".//script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        raw = re.sub(r"^\s*(<!--|//\s*<!\[CDATA\[)|(-->|//\s*\]\]>)\s*$", "", script.text)
        try:
            found.extend(_own_objects(json.loads(raw, strict=False)))
        except (ValueError, RecursionError):
            LOGGER.debug("unreadable JSON-LD block skipped")
    return tuple(sorted(found, key=lambda obj: not ld_types(obj) & ARTICLE_TYPES))


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


def ld_types(obj: dict[str, Any]) -> set[str]:
    """The lower-cased @type names of a JSON-LD object."""
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def ld_value(page: Page, key: str) -> Any:
    """The first value of ``key`` among the page's own JSON-LD objects, articles first."""
    return next((obj[key] for obj in page.ld if obj.get(key)), None)


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


def page_canonical(page: Page) -> str:
    """The canonical URL: <link rel=canonical> > og:url > JSON-LD url > the page's own URL."""
    try:
        page_url = normalize_url(page.url)
    except ValueError:  # an unparseable URL (bad IPv6 literal) is kept as given
        return page.url
    ld_url = ld_value(page, "url")
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


def page_title(page: Page) -> str | None:
    """The headline: JSON-LD > og:title > <title> > <h1>, without the site's name."""
    site = clean_text(page.meta.get("og:site_name")).lower()
    headline = clean_text(ld_value(page, "headline"))
    for candidate in (headline, clean_text(page.meta.get("og:title"))):
        if candidate:
            return _strip_site(candidate, site, heuristic=False)
    title_el = page.tree.find(".//title")
    if title_el is not None and clean_text(title_el.text_content()):
        return _strip_site(clean_text(title_el.text_content()), site, heuristic=True)
    return clean_text(h1_text(page)) or None


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
    cjk = len(CJK.findall(segment))
    short = cjk <= 10 if cjk else len(segment.split()) <= 4
    return short and len(segment) * 2 < len(title)


def page_byline(page: Page) -> str | None:
    """Author names, comma-separated: JSON-LD > meta tags > trafilatura's heuristic."""
    names = _ld_authors(ld_value(page, "author"))
    if not names:
        for key in ("author", "article:author", "byl", "dc.creator", "sailthru.author"):
            value = clean_text(page.meta.get(key))
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
    names = [clean_text(item.get("name") if isinstance(item, dict) else item) for item in items]
    return [name for name in names if name and not _URLISH.search(name)]


# --- page structure --------------------------------------------------------------------------


def h1_text(page: Page) -> str | None:
    """The text of the page's first <h1>, if it has one."""
    h1 = page.tree.find(".//h1")
    return h1.text_content() if h1 is not None else None


# page furniture: what sits inside these is about other pages or the site, never this article
_FURNITURE = re.compile(
    r"related|recommend|footer|sidebar|comment|copyright|more-?stories|popular"
    r"|trending|widget|promo|teaser|\brail|\bnav|menu|share|newsletter|list"
    r"|feed",
    re.I,
)


def in_furniture(el: HtmlElement) -> bool:
    """Whether the element sits in page furniture (footer, nav, related stories ...)."""
    for node in (el, *el.iterancestors()):
        if node.tag in ("html", "body"):
            return False
        if node.tag in ("footer", "nav", "aside"):
            return True
        marks = f"{node.get('class') or ''} {node.get('id') or ''}"
        if marks.strip() and _FURNITURE.search(marks):
            return True
    return False

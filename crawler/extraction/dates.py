"""Dates: printed and machine-readable date patterns, time zones, a page's published date."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from itertools import islice
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from lxml.html import HtmlElement

from crawler.extraction.meta import Page, in_furniture, ld_value, page_title
from crawler.extraction.text import norm_text

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
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|版权|版權|all rights reserved", re.I)


def page_date(page: Page, which: str, zh: bool, zone: Any) -> str | None:
    """Published or modified date: JSON-LD > meta > itemprop > (published only) visible > URL."""
    ld_keys = ("datePublished", "uploadDate") if which == "published" else ("dateModified",)
    meta_keys = _PUBLISHED_META if which == "published" else _MODIFIED_META
    values = [ld_value(page, key) for key in ld_keys] + [page.meta.get(key) for key in meta_keys]
    prop = "datePublished" if which == "published" else "dateModified"
    values += [
        el.get("content") or el.get("datetime") or el.text_content()
        for el in page.tree.xpath("//*[@itemprop=$prop]", prop=prop)
        if not in_furniture(el)
    ]
    for value in values:
        found = parse_date_value(value, zh=zh, default_tz=zone) if value else None
        if found:
            return found
    if which == "modified":
        return None
    return _visible_date(page, zh, zone) or _url_date(page.url)


def _visible_date(page: Page, zh: bool, zone: Any) -> str | None:
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


def _headline(page: Page) -> HtmlElement | None:
    """The headline element: the first <h1> outside page furniture, else an <h2>/<h3> whose
    text is the page's title (pages that keep <h1> for the site's name or use none)."""
    h1 = next((el for el in page.tree.iter("h1") if not in_furniture(el)), None)
    title = norm_text(page_title(page) or "")
    if h1 is not None or not title:
        return h1
    return next(
        (el for el in page.tree.iter("h2", "h3") if norm_text(el.text_content()) == title), None
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
    return (el.tag == "time" or bool(_DATE_HINT.search(marks))) and not in_furniture(el)


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

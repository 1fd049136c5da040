"""The bundled sample sites as data: outlets, their articles (copies resolved) and their URLs.

Read by the sample server to render pages, and by tests as the truth a crawl must reproduce.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from crawler.errors import CrawlerError
from crawler.outlets import SAMPLE_REGISTRY, Outlet, load_registry

HERE = Path(__file__).parent
ARTICLES = HERE / "articles"
SITES = HERE / "sites.toml"


@dataclass(frozen=True)
class SampleArticle:
    """One sample page's content, as its outlet publishes it."""

    outlet: str
    id: str
    published: datetime  # aware, UTC
    author: str
    section: str
    title: str
    summary: str
    paragraphs: tuple[str, ...]
    topic: str
    tone: str
    frames: tuple[str, ...]
    copy_of: str = ""
    kind: str = "article"  # article | video | paywall | embargoed
    n: int = 0

    @property
    def text(self) -> str:
        """The body as the extractor should find it."""
        return "\n\n".join(self.paragraphs)


@dataclass
class Site:
    """A sample outlet: its registry entry, its presentation and its pages."""

    outlet: Outlet
    config: dict[str, Any]
    articles: list[SampleArticle] = field(default_factory=list)
    extras: list[SampleArticle] = field(default_factory=list)

    @property
    def host(self) -> str:
        """The site's .test host name."""
        return str(self.config["host"])

    @property
    def tz(self) -> ZoneInfo:
        """The zone the site prints its dates in."""
        return ZoneInfo(self.outlet.timezone)

    def local(self, article: SampleArticle) -> datetime:
        """An article's publication time in the site's zone."""
        return article.published.astimezone(self.tz)

    def path(self, article: SampleArticle) -> str:
        """The URL path of an article (or extra page) on this site."""
        local = self.local(article)
        path = str(self.config["url"]).format(
            id=article.id,
            yyyy=f"{local.year:04d}",
            mm=f"{local.month:02d}",
            dd=f"{local.day:02d}",
            section=article.section,
            n=article.n,
            hex=hashlib.sha1(f"{self.outlet.slug}/{article.id}".encode()).hexdigest()[:12],
        )
        return path if article.kind != "embargoed" else "/drafts" + path

    def url(self, article: SampleArticle) -> str:
        """The absolute URL of an article on this site."""
        return f"http://{self.host}{self.path(article)}"

    def newest_first(self) -> list[SampleArticle]:
        """Articles (not extras) newest first, as feeds and listings show them."""
        return sorted(self.articles, key=lambda a: (a.published, a.id), reverse=True)


@dataclass
class SampleSites:
    """All sample sites, by outlet slug."""

    sites: dict[str, Site]

    @cached_property
    def by_host(self) -> dict[str, Site]:
        """Sites by host name."""
        return {site.host: site for site in self.sites.values()}

    def all_articles(self) -> list[tuple[Site, SampleArticle]]:
        """Every real article of every site (not videos, stubs or embargoed pages)."""
        return [(site, a) for site in self.sites.values() for a in site.articles]


def load_sites(articles_dir: Path = ARTICLES) -> SampleSites:
    """Load the sample registry, the sites' presentation and their articles."""
    outlets = load_registry(SAMPLE_REGISTRY, is_sample=True)
    configs = tomllib.loads(SITES.read_text(encoding="utf-8"))["site"]
    raw = {slug: _read_articles(articles_dir / f"{slug}.toml") for slug in outlets}
    sites = {}
    for slug, outlet in outlets.items():
        site = Site(outlet=outlet, config=configs[slug])
        for i, entry in enumerate(raw[slug]):
            site.articles.append(_article(slug, entry, raw, 100000 + i * 37))
        site.extras = _extras(slug, site, len(raw[slug]))
        sites[slug] = site
    return SampleSites(sites)


def _read_articles(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    try:
        return list(tomllib.loads(path.read_text(encoding="utf-8")).get("article", []))
    except tomllib.TOMLDecodeError as exc:
        raise CrawlerError(f"{path}: not valid TOML ({exc})") from None


def _article(
    slug: str, entry: dict[str, Any], raw: dict[str, list[dict[str, Any]]], n: int
) -> SampleArticle:
    content = entry
    paragraphs = list(entry.get("paragraphs", []))
    if entry.get("copy_of"):
        source_slug, source_id = entry["copy_of"].split("/", 1)
        matches = [e for e in raw.get(source_slug, []) if e["id"] == source_id]
        if not matches:
            raise CrawlerError(f"{slug}/{entry['id']}: copy_of {entry['copy_of']} not found")
        content = matches[0]
        drop = set(entry.get("drop_paragraphs", []))
        paragraphs = [
            *entry.get("prepend", []),
            *(p for i, p in enumerate(content["paragraphs"]) if i not in drop),
            *entry.get("append", []),
        ]
    return SampleArticle(
        outlet=slug,
        id=entry["id"],
        published=_utc(entry["published"]),
        author=entry.get("author", ""),
        section=content.get("section", "news"),
        title=entry.get("title") or content["title"],
        summary=content.get("summary", ""),
        paragraphs=tuple(paragraphs),
        topic=content["topic"],
        tone=content.get("tone", ""),
        frames=tuple(content.get("frames", [])),
        copy_of=entry.get("copy_of", ""),
        n=n,
    )


def _extras(slug: str, site: Site, count: int) -> list[SampleArticle]:
    """Video pages, paywall stubs and the embargoed page robots.txt forbids."""
    extras = []
    for i, video in enumerate(site.config.get("videos", [])):
        extras.append(
            SampleArticle(
                outlet=slug,
                id=video["id"],
                published=_utc(video["published"]),
                author="",
                section="video",
                title=video["title"],
                summary=video["caption"],
                paragraphs=(video["caption"],),
                topic="",
                tone="",
                frames=(),
                kind="video",
                n=100000 + (count + i) * 37,
            )
        )
    for i, stub in enumerate(site.config.get("paywall", [])):
        extras.append(
            SampleArticle(
                outlet=slug,
                id=stub["id"],
                published=_utc(stub["published"]),
                author="",
                section="premium",
                title=stub["title"],
                summary=stub["teaser"],
                paragraphs=(stub["teaser"],),
                topic="",
                tone="",
                frames=(),
                kind="paywall",
                n=100000 + (count + 10 + i) * 37,
            )
        )
    extras.append(
        SampleArticle(
            outlet=slug,
            id="embargoed-do-not-fetch",
            published=_utc("2025-06-30T00:00:00Z"),
            author="",
            section="news",
            title="EMBARGOED: not for publication",
            summary="This page sits behind robots.txt and must never be fetched.",
            paragraphs=("This page sits behind robots.txt and must never be fetched.",),
            topic="",
            tone="",
            frames=(),
            kind="embargoed",
            n=999001,
        )
    )
    return extras


def _utc(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise CrawlerError(f"sample date {value!r} has no zone; write it in UTC with a 'Z'")
    return moment.astimezone(ZoneInfo("UTC"))

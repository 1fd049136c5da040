"""Render the sample sites into prepared pages: articles, robots.txt, sitemaps, feeds, listings."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from crawler.sample.site import SampleArticle, SampleSites, Site

if TYPE_CHECKING:
    from crawler.sample.server import Page

TEMPLATES = Path(__file__).parent / "templates"
PER_PAGE = 5
_WEEKDAYS_ZH = "一二三四五六日"


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["zh_date"] = lambda d: f"{d.year}年{d.month}月{d.day}日"
    env.filters["zh_weekday"] = lambda d: "星期" + _WEEKDAYS_ZH[d.weekday()]
    return env


def all_pages(sites: SampleSites) -> dict[tuple[str, str], Page]:
    """Every page of every sample site, keyed by (host, path with query)."""
    env = _env()
    pages: dict[tuple[str, str], Page] = {}
    for site in sites.sites.values():
        for path, page in site_pages(env, site).items():
            pages[(site.host, path)] = page
    return pages


def site_pages(env: Environment, site: Site) -> dict[str, Page]:
    """One site's pages by path."""
    from crawler.sample.server import Page

    encoding = site.config.get("encoding", "utf-8")
    charset = "" if encoding != "utf-8" else "; charset=utf-8"

    def html(text: str) -> Page:
        return Page(200, "text/html" + charset, text.encode(encoding))

    def xml(text: str, kind: str = "application/xml") -> Page:
        return Page(200, kind, text.encode(encoding))

    pages: dict[str, Page] = {"/robots.txt": Page(200, "text/plain", _robots(site).encode())}
    template = env.get_template(site.config["template"])
    for article in [*site.articles, *site.extras]:
        pages[site.path(article)] = html(template.render(**_context(site, article)))
    pages["/"] = html(env.get_template("_listing.html").render(**_listing(site, 1, "/")))
    pages.update({path: html(body) for path, body in _listings(env, site)})
    for path in site.config.get("broken", []):
        pages[path] = Page(500, "text/html", b"<h1>Internal Server Error</h1>")
    pages.update({path: xml(body, kind) for path, body, kind in _feeds(site, encoding)})
    pages.update(_sitemaps(site))
    return pages


def _robots(site: Site) -> str:
    lines = ["User-agent: *", f"Disallow: {site.config['robots_disallow']}", ""]
    for key in ("sitemap_index", "sitemap", "news_sitemap"):
        if key in site.config:
            lines.append(f"Sitemap: http://{site.host}{site.config[key]}")
    return "\n".join(lines) + "\n"


def _context(site: Site, article: SampleArticle) -> dict[str, Any]:
    local = site.local(article)
    related = [a for a in site.newest_first() if a.id != article.id][:3]
    return {
        "site": site,
        "outlet": site.outlet,
        "a": article,
        "local": local,
        "iso": local.isoformat(),
        "url": site.url(article),
        "related": [(site.url(r), r.title, site.local(r)) for r in related],
        "jsonld": _jsonld(site, article, local),
        "lang": site.outlet.language,
        "charset": site.config.get("encoding", "utf-8"),
    }


def _jsonld(site: Site, article: SampleArticle, local: datetime) -> str:
    kind = {"video": "VideoObject", "paywall": "NewsArticle"}.get(article.kind, "NewsArticle")
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": kind,
        "headline": article.title,
        "datePublished": local.isoformat(),
        "url": site.url(article),
        "inLanguage": site.outlet.language,
        "publisher": {"@type": "Organization", "name": site.outlet.name},
    }
    if article.author:
        data["author"] = [
            {"@type": "Person", "name": name.strip()} for name in article.author.split(" and ")
        ]
    if article.kind == "paywall":
        data["isAccessibleForFree"] = False
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _listing_path(site: Site, page: int) -> str:
    listing = str(site.config["listing"])
    if "{page}" in listing:
        return listing.format(page=page)
    return listing if page == 1 else f"{listing}?page={page}"


def _listing(site: Site, page: int, path: str) -> dict[str, Any]:
    articles = site.newest_first()
    chunk = articles[(page - 1) * PER_PAGE : page * PER_PAGE]
    has_next = page * PER_PAGE < len(articles) and "listing" in site.config
    return {
        "site": site,
        "outlet": site.outlet,
        "lang": site.outlet.language,
        "charset": site.config.get("encoding", "utf-8"),
        "page": page,
        "items": [(site.url(a), a.title, a.summary, site.local(a)) for a in chunk],
        "extras": [(site.url(e), e.title) for e in site.extras] if page == 1 else [],
        "next": _listing_path(site, page + 1) if has_next else "",
    }


def _listings(env: Environment, site: Site) -> list[tuple[str, str]]:
    if "listing" not in site.config:
        return []
    template = env.get_template("_listing.html")
    count = max(1, -(-len(site.articles) // PER_PAGE))
    return [
        (_listing_path(site, page), template.render(**_listing(site, page, "")))
        for page in range(1, count + 1)
    ]


def _feeds(site: Site, encoding: str) -> list[tuple[str, str, str]]:
    feeds = []
    newest = site.newest_first()[:20]
    declared = "GBK" if encoding == "gbk" else "UTF-8"
    if "rss" in site.config:
        items = "".join(
            f"<item><title>{escape(a.title)}</title><link>{site.url(a)}</link>"
            f'<guid isPermaLink="true">{site.url(a)}</guid>'
            f"<pubDate>{format_datetime(a.published)}</pubDate>"
            f"<description>{escape(a.summary)}</description></item>"
            for a in newest
        )
        feeds.append(
            (
                site.config["rss"],
                f'<?xml version="1.0" encoding="{declared}"?><rss version="2.0"><channel>'
                f"<title>{escape(site.outlet.name)}</title><link>http://{site.host}/</link>"
                f"<description>Sample feed</description>{items}</channel></rss>",
                "application/rss+xml",
            )
        )
    if "atom" in site.config:
        entries = "".join(
            f'<entry><title>{escape(a.title)}</title><link rel="alternate" '
            f'href="{site.url(a)}"/><id>{site.url(a)}</id>'
            f"<updated>{a.published.strftime('%Y-%m-%dT%H:%M:%SZ')}</updated>"
            f"<summary>{escape(a.summary)}</summary></entry>"
            for a in newest
        )
        updated = newest[0].published.strftime("%Y-%m-%dT%H:%M:%SZ") if newest else ""
        feeds.append(
            (
                site.config["atom"],
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<feed xmlns="http://www.w3.org/2005/Atom">'
                f"<title>{escape(site.outlet.name)}</title><id>http://{site.host}/</id>"
                f"<updated>{updated}</updated>{entries}</feed>",
                "application/atom+xml",
            )
        )
    return feeds


_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
_NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def _urlset(entries: list[tuple[str, datetime]]) -> str:
    urls = "".join(
        f"<url><loc>{escape(loc)}</loc><lastmod>{when.strftime('%Y-%m-%dT%H:%M:%SZ')}"
        f"</lastmod></url>"
        for loc, when in entries
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {_NS}>{urls}</urlset>'


def _news_urlset(site: Site, articles: list[SampleArticle]) -> str:
    urls = "".join(
        f"<url><loc>{escape(site.url(a))}</loc><news:news><news:publication>"
        f"<news:name>{escape(site.outlet.name)}</news:name>"
        f"<news:language>{site.outlet.language[:2]}</news:language></news:publication>"
        f"<news:publication_date>{a.published.strftime('%Y-%m-%dT%H:%M:%SZ')}"
        f"</news:publication_date><news:title>{escape(a.title)}</news:title></news:news></url>"
        for a in articles
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {_NS} {_NEWS_NS}>{urls}</urlset>'


def _index(locs: list[str]) -> str:
    items = "".join(f"<sitemap><loc>{escape(loc)}</loc></sitemap>" for loc in locs)
    return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex {_NS}>{items}</sitemapindex>'


def _sitemaps(site: Site) -> dict[str, Page]:
    from crawler.sample.server import Page

    def page(body: str, gz: bool = False) -> Page:
        if gz:
            return Page(200, "application/x-gzip", gzip.compress(body.encode(), mtime=0))
        return Page(200, "application/xml", body.encode())

    config, base = site.config, f"http://{site.host}"
    listed = [*site.articles, *[e for e in site.extras if e.kind != "paywall"]]
    entries = sorted(((site.url(a), a.published) for a in listed), key=lambda e: e[1])
    entries += [(base + path, datetime(2024, 1, 1)) for path in config.get("broken", [])]
    pages: dict[str, Page] = {}
    if "sitemap" in config:
        path = config["sitemap"]
        pages[path] = page(_urlset(entries), gz=path.endswith(".gz"))
    if "news_sitemap" in config:
        news = site.newest_first() if "sitemap_index" not in config else site.newest_first()[:5]
        news += [e for e in site.extras if e.kind != "paywall" and "sitemap_index" not in config]
        pages[config["news_sitemap"]] = page(_news_urlset(site, news))
    if "sitemap_index" in config:
        pages.update(_yearly(site, entries, page))
    return pages


def _yearly(site: Site, entries: list[tuple[str, datetime]], page: Any) -> dict[str, Page]:
    config, base = site.config, f"http://{site.host}"
    folder = config["sitemap_index"].rsplit("/", 1)[0]
    years = sorted({when.year for _, when in entries})
    gz_before = int(config.get("gzip_years_before", 0))
    pages, locs = {}, []
    for year in years:
        name = f"{folder}/sitemap-{year}.xml" + (".gz" if year < gz_before else "")
        pages[name] = page(
            _urlset([e for e in entries if e[1].year == year]), gz=name.endswith(".gz")
        )
        locs.append(base + name)
    if config.get("nested_index"):
        inner = f"{folder}/articles-index.xml"
        pages[inner] = page(_index(locs))
        locs = [base + inner]
    pages[config["sitemap_index"]] = page(_index(locs))
    return pages

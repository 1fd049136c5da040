"""Load and validate outlet registries (`crawler/outlets.toml`, `crawler/sample/outlets.toml`).

Outlets are data: this module only reads and checks them, with one clear message per mistake.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler.errors import RegistryError
from db.codebook import GROUPS, OWNERSHIPS

# Package resources, so the registries are found inside a zipped egg too (Scrapyd runs those).
REAL_REGISTRY: Traversable = files("crawler") / "outlets.toml"
SAMPLE_REGISTRY: Traversable = files("crawler") / "sample" / "outlets.toml"

SOURCE_KINDS = ("sitemap", "feed", "listing", "urls", "gdelt")
LANGUAGES = ("en", "zh", "zh-Hant")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_OUTLET_KEYS = {
    "name",
    "group",
    "country",
    "language",
    "ownership",
    "homepage",
    "timezone",
    "allowed_domains",
    "article_url",
    "encoding",
    "download_delay",
    "source",
}
_SOURCE_KEYS = {"kind", "url", "query", "link_css", "next_css", "max_pages", "note", "verified"}
_REQUIRED = (
    "name",
    "group",
    "country",
    "language",
    "ownership",
    "homepage",
    "timezone",
    "allowed_domains",
    "article_url",
)


@dataclass(frozen=True)
class Source:
    """One discovery source of an outlet: where the spider looks for article URLs."""

    kind: str
    url: str = ""
    query: str = ""
    link_css: str = "a[href]"
    next_css: str = ""
    max_pages: int = 3
    note: str = ""
    verified: bool = False


@dataclass(frozen=True)
class Outlet:
    """An outlet as the registry declares it."""

    slug: str
    name: str
    group: str
    country: str
    language: str
    ownership: str
    homepage: str
    timezone: str
    allowed_domains: tuple[str, ...]
    article_url: re.Pattern[str]
    sources: tuple[Source, ...]
    encoding: str = ""
    download_delay: float | None = None
    is_sample: bool = False

    def as_row(self) -> dict[str, Any]:
        """The outlet as a row of the `outlets` table."""
        return {
            "slug": self.slug,
            "name": self.name,
            "group": self.group,
            "country": self.country,
            "language": self.language,
            "ownership": self.ownership,
            "homepage": self.homepage,
            "timezone": self.timezone,
        }

    def owns(self, host: str) -> bool:
        """Whether a host name belongs to this outlet's domains."""
        host = host.lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)


def load_registry(path: str | Path | Traversable, *, is_sample: bool = False) -> dict[str, Outlet]:
    """Read and validate a registry file; raises RegistryError naming the first problem."""
    file = Path(path) if isinstance(path, str) else path
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"registry {file} not found; pass --registry PATH") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{file}: not valid TOML ({exc}); fix the file") from None
    unknown = set(data) - {"outlet"}
    if unknown:
        raise RegistryError(
            f"{file}: unknown top-level key(s) {sorted(unknown)}; use [outlet.SLUG]"
        )
    entries = data.get("outlet")
    if not isinstance(entries, dict) or not entries:
        raise RegistryError(f"{file}: no [outlet.SLUG] tables; add at least one outlet")
    return {
        slug: _outlet(f"{file}: outlet '{slug}'", slug, entry, is_sample)
        for slug, entry in entries.items()
    }


def _outlet(where: str, slug: str, entry: Any, is_sample: bool) -> Outlet:
    if not _SLUG.match(slug):
        raise RegistryError(f"{where}: slug must be lower-case letters, digits and dashes")
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: must be a table")
    unknown = set(entry) - _OUTLET_KEYS
    if unknown:
        raise RegistryError(
            f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_OUTLET_KEYS)}"
        )
    missing = [key for key in _REQUIRED if key not in entry]
    if missing:
        raise RegistryError(f"{where}: missing {', '.join(missing)}")
    _choice(where, "group", entry["group"], GROUPS)
    _choice(where, "ownership", entry["ownership"], OWNERSHIPS)
    _choice(where, "language", entry["language"], LANGUAGES)
    if not (isinstance(entry["country"], str) and re.fullmatch(r"[A-Z]{2}", entry["country"])):
        raise RegistryError(f"{where}: country must be an ISO 3166-1 alpha-2 code such as 'CN'")
    try:
        ZoneInfo(entry["timezone"])
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise RegistryError(
            f"{where}: unknown timezone {entry['timezone']!r}; use an IANA name "
            "such as 'Asia/Shanghai'"
        ) from None
    _http_url(where, "homepage", entry["homepage"])
    domains = entry["allowed_domains"]
    if not (isinstance(domains, list) and domains and all(isinstance(d, str) for d in domains)):
        raise RegistryError(f"{where}: allowed_domains must be a non-empty list of host names")
    try:
        pattern = re.compile(entry["article_url"])
    except (re.error, TypeError) as exc:
        raise RegistryError(
            f"{where}: article_url is not a valid regular expression ({exc})"
        ) from None
    delay = entry.get("download_delay")
    if delay is not None and not (isinstance(delay, int | float) and delay >= 0):
        raise RegistryError(f"{where}: download_delay must be a number of seconds >= 0")
    raw_sources = entry.get("source", [])
    if not isinstance(raw_sources, list) or not raw_sources:
        raise RegistryError(f"{where}: needs at least one [[outlet.{slug}.source]]")
    sources = tuple(_source(f"{where} source {i + 1}", s) for i, s in enumerate(raw_sources))
    return Outlet(
        slug=slug,
        name=entry["name"],
        group=entry["group"],
        country=entry["country"],
        language=entry["language"],
        ownership=entry["ownership"],
        homepage=entry["homepage"],
        timezone=entry["timezone"],
        allowed_domains=tuple(d.lower() for d in domains),
        article_url=pattern,
        sources=sources,
        encoding=entry.get("encoding", ""),
        download_delay=None if delay is None else float(delay),
        is_sample=is_sample,
    )


def _source(where: str, entry: Any) -> Source:
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: must be a table")
    unknown = set(entry) - _SOURCE_KEYS
    if unknown:
        raise RegistryError(
            f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_SOURCE_KEYS)}"
        )
    kind = str(entry.get("kind"))
    _choice(where, "kind", entry.get("kind"), SOURCE_KINDS)
    if kind == "gdelt":
        if not entry.get("query"):
            raise RegistryError(f"{where}: a gdelt source needs a query")
    else:
        _http_url(where, "url", entry.get("url"), allow_file=kind == "urls")
    max_pages = entry.get("max_pages", 3)
    if not (isinstance(max_pages, int) and max_pages >= 1):
        raise RegistryError(f"{where}: max_pages must be a whole number >= 1")
    return Source(
        kind=kind,
        url=entry.get("url", ""),
        query=entry.get("query", ""),
        link_css=entry.get("link_css", "a[href]"),
        next_css=entry.get("next_css", ""),
        max_pages=max_pages,
        note=entry.get("note", ""),
        verified=bool(entry.get("verified")),
    )


def _choice(where: str, key: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise RegistryError(f"{where}: {key} is {value!r}; use one of {', '.join(allowed)}")


def _http_url(where: str, key: str, value: Any, *, allow_file: bool = False) -> None:
    schemes = ("http://", "https://") + (("file:",) if allow_file else ())
    if not (isinstance(value, str) and value.startswith(schemes)):
        raise RegistryError(f"{where}: {key} must be an http(s) URL, got {value!r}")


def select(outlets: dict[str, Outlet], slugs: list[str] | None) -> list[Outlet]:
    """The outlets named by slug (all when none are named); unknown slugs are an error."""
    if not slugs:
        return list(outlets.values())
    unknown = [slug for slug in slugs if slug not in outlets]
    if unknown:
        raise RegistryError(
            f"unknown outlet(s) {', '.join(unknown)}; `framegap outlets` lists them"
        )
    return [outlets[slug] for slug in slugs]

"""Full-text search over titles and texts, ranked (BM25, titles weighted up), with filters and
highlighted snippets.

The index stores Chinese as overlapping character pairs (db.text.search_form), so the terms go
through db.text.fts_query: 限薪 or 共同富裕 become phrases of pairs and match inside running text.
English takes FTS5 syntax as it is: phrases in double quotes, prefixes with *, AND / OR / NOT.
Snippets are cut from the stored text (not the index's pair form), around the first match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from db.codebook import FRAMES, GROUPS, TONES
from db.text import fts_query
from query.readonly import QueryError, ReadOnly

COLUMNS = ("id", "published", "group", "outlet", "language", "tone", "title", "snippet", "url")
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Filters:
    """What a search is limited to (empty: no limit)."""

    group: str = ""
    outlet: str = ""
    lang: str = ""
    frame: str = ""
    tone: str = ""
    since: str = ""
    until: str = ""

    def check(self) -> None:
        """Raise QueryError on a value the codebook does not know."""
        for name, value, allowed in (
            ("--group", self.group, GROUPS),
            ("--frame", self.frame, FRAMES),
            ("--tone", self.tone, TONES),
            ("--lang", self.lang, ("en", "zh")),
        ):
            if value and value not in allowed:
                raise QueryError(f"{name} {value!r} is unknown; choose from {', '.join(allowed)}")


def _terms(query: str) -> list[str]:
    """The words and phrases of a query, for highlighting (operators and syntax dropped)."""
    phrases = re.findall(r'"([^"]+)"', query)
    rest = re.sub(r'"[^"]*"', " ", query)
    words = [w for w in re.findall(r"[\w\u3400-\u9fff*]+", rest) if w not in _OPERATORS]
    return [t for t in phrases + words if t.strip("*")]


def _pattern(terms: list[str]) -> re.Pattern[str] | None:
    parts = []
    for term in sorted(terms, key=len, reverse=True):
        prefix = term.endswith("*")
        core = re.escape(term.rstrip("*")).replace(r"\ ", r"\s+")
        if _CJK.search(term):
            parts.append(core)
        else:
            parts.append(rf"\b{core}\w*" if prefix else rf"\b{core}\b")
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def snippet(text: str, terms: list[str], width: int = 160) -> str:
    """About `width` characters of `text` around the first match, matches in **bold**."""
    pattern = _pattern(terms)
    flat = " ".join(text.split())
    match = pattern.search(flat) if pattern else None
    lead = 24 if flat[: match.start() if match else 0][-24:].isascii() else 8  # CJK is wide
    start = max(0, (match.start() if match else 0) - min(lead, width // 4))
    piece = flat[start : start + width]
    if pattern:
        piece = pattern.sub(lambda m: f"**{m.group(0)}**", piece)
    return ("…" if start else "") + piece + ("…" if start + width < len(flat) else "")


def search(
    ro: ReadOnly, query: str, filters: Filters, limit: int = 20
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Ranked matches as (columns, rows), the current model's tone beside each."""
    filters.check()
    if not query.strip():
        raise QueryError('give search terms, e.g. framegap search 限薪 or "brain drain"')
    where = ["articles_fts MATCH :q"]
    params: dict[str, Any] = {"q": fts_query(query), "limit": limit}
    for name, clause in (
        ("group", 'o."group" = :group'),
        ("outlet", "a.outlet = :outlet"),
        ("tone", "p.tone = :tone"),
        ("since", "a.published >= :since"),
        ("until", "substr(a.published, 1, 10) <= :until"),
    ):
        value = getattr(filters, name)
        if value:
            where.append(clause)
            params[name] = value
    if filters.lang:
        where.append("a.language LIKE :lang")
        params["lang"] = f"{filters.lang}%"
    if filters.frame:
        where.append(
            "EXISTS (SELECT 1 FROM frame_predictions f WHERE f.article_id = a.id"
            " AND f.model_version = p.model_version AND f.frame = :frame AND f.present = 1)"
        )
        params["frame"] = filters.frame
    sql = (
        'SELECT a.id, substr(a.published, 1, 10), o."group", a.outlet, a.language, p.tone,'
        " a.title, a.text, a.url FROM articles_fts"
        " JOIN articles a ON a.rowid = articles_fts.rowid JOIN outlets o ON o.slug = a.outlet"
        " LEFT JOIN predictions p ON p.article_id = a.id"
        " AND p.model_version = (SELECT version FROM current_model)"
        f" WHERE {' AND '.join(where)} ORDER BY bm25(articles_fts, 5.0, 1.0), a.id LIMIT :limit"
    )
    try:
        _, rows = ro.run(sql, params)
    except QueryError as exc:
        if str(exc).startswith("SQL error: "):  # the SQL is ours: the terms are what failed
            raise QueryError(
                f"{query!r} is not a valid search ({str(exc)[11:]}); quote phrases with "
                '"...", and write AND, OR, NOT in capitals'
            ) from None
        raise
    terms = _terms(query)
    return list(COLUMNS), [(*row[:7], snippet(row[7], terms), row[8]) for row in rows]

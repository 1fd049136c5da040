"""Text helpers shared by the writers and readers of the database: hashes and the search form."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# CJK Unified Ideographs (+ extension A) and compatibility ideographs.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_SPACE = re.compile(r"\s+")


def article_id(canonical_url: str) -> str:
    """Stable article id: the first 16 hex digits of the SHA-1 of its canonical URL."""
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()[:16]


def normalise_text(text: str) -> str:
    """NFKC, whitespace collapsed, lower-cased: the form hashes and shingles are taken from."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


def content_hash(text: str) -> str:
    """SHA-1 of the normalised text: equal for copies that differ only in spacing or width."""
    return hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()


def _bigrams(run: str) -> str:
    if len(run) == 1:
        return run
    return " ".join(run[i : i + 2] for i in range(len(run) - 1))


def search_form(text: str) -> str:
    """The text as the full-text index stores it: CJK runs become overlapping character pairs.

    FTS5's unicode61 tokenizer would index a whole run of Chinese characters as one token, so a
    two-character word inside a sentence could never match; pairs make any substring of two or
    more characters findable as a phrase.
    """
    return _CJK_RUN.sub(lambda m: f" {_bigrams(m.group(0))} ", text)


def fts_query(terms: str) -> str:
    """Turn a user's search terms into an FTS5 query; Chinese terms become phrases of pairs."""

    def convert(match: re.Match[str]) -> str:
        run = match.group(0)
        return f"{run}*" if len(run) == 1 else f'"{_bigrams(run)}"'

    return _CJK_RUN.sub(convert, terms)

"""Build the report's numbers from the database: query → dedupe → statistics.

One JSON-ready dict holds every number the report shows (render.py draws it as Markdown, HTML
and JSON): the claims scorecard, tone and frame shares by group, word choice, the monthly
timeline, evidence passages, and the method section (corpus, crawl failures, model accuracy).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from sqlite_utils import Database

from db.codebook import (
    AI_STORY_SINCE,
    AI_WORDS,
    CRACKDOWN_WORDS,
    FRAMES,
    GROUPS,
    QUANT_WORDS,
    REFORM_WORDS,
    TONES,
)
from db.queries import (
    content_fingerprint,
    crawl_error_summary,
    evidence_passages,
    labelled_articles,
    latest_model_version,
    model_record,
    outlet_corpus,
)
from reports.claims import CLAIMS, Measure
from reports.stats import RULE, difference, share, verdict
from reports.timeline import milestones_in, monthly
from reports.words import family_counts, searchable, word_choice

WORD_FAMILIES = {"crackdown": CRACKDOWN_WORDS, "reform": REFORM_WORDS}


class ReportError(Exception):
    """The database cannot give a report; the message says why and what to do."""


def once_per_cluster(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One article per near-duplicate cluster and group (the earliest), so a syndicated story
    counts once per group."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for article in articles:
        key = (article["dup_cluster"], article["grp"])
        if key not in seen:
            seen.add(key)
            kept.append(article)
    return kept


def _has(measure: Measure) -> Callable[[dict[str, Any]], bool]:
    if measure.kind == "tone":
        return lambda a: a["tone"] == measure.value
    if measure.kind == "frame":
        return lambda a: measure.value in a["frames"]
    if measure.kind == "words":
        words = WORD_FAMILIES[measure.value]
        return lambda a: _mentions(a, words)
    return _co_mention


def _mentions(article: dict[str, Any], words: tuple[str, ...]) -> bool:
    text = searchable(article)
    return any(w in text for w in words)


def _members(articles: list[dict[str, Any]], which: str) -> list[dict[str, Any]]:
    if which == "after":
        return [a for a in articles if (a["published"] or "") >= AI_STORY_SINCE]
    if which == "before":
        return [a for a in articles if a["published"] and a["published"] < AI_STORY_SINCE]
    return [a for a in articles if a["grp"] == which]


def scorecard(articles: list[dict[str, Any]], seed: int = 0) -> list[dict[str, Any]]:
    """Every claim's measures: each side's share, the difference, and the verdict."""
    claims = []
    for claim in CLAIMS:
        measures = []
        for measure in claim.measures:
            has = _has(measure)
            rows = {
                side: [(a["outlet"], has(a)) for a in _members(articles, side)]
                for side in (measure.first, measure.second)
            }
            first, second = share(rows[measure.first], seed), share(rows[measure.second], seed)
            diff = difference(rows[measure.first], rows[measure.second], seed)
            measures.append(
                {
                    "label": measure.label,
                    "first": measure.first,
                    "second": measure.second,
                    "expected_sign": measure.expected_sign,
                    measure.first: asdict(first),
                    measure.second: asdict(second),
                    "difference": asdict(diff),
                    "verdict": verdict(diff, first, second, measure.expected_sign),
                }
            )
        claims.append({"number": claim.number, "text": claim.text, "measures": measures})
    return claims


def by_group(
    articles: list[dict[str, Any]], seed: int = 0, groups: tuple[str, ...] = GROUPS
) -> dict[str, Any]:
    """Every tone and frame share per group, with intervals, and the articles per outlet."""
    table: dict[str, Any] = {}
    for group in groups:
        members = [a for a in articles if a["grp"] == group]
        shares = {
            f"tone:{t}": asdict(share([(a["outlet"], a["tone"] == t) for a in members], seed))
            for t in TONES
        }
        shares |= {
            f"frame:{f}": asdict(share([(a["outlet"], f in a["frames"]) for a in members], seed))
            for f in FRAMES
        }
        outlets: dict[str, list[dict[str, Any]]] = {}
        for article in members:
            outlets.setdefault(article["outlet"], []).append(article)
        table[group] = {
            "shares": shares,
            "articles_per_outlet": {o: len(outlets[o]) for o in sorted(outlets)},
            "per_outlet": {o: _outlet_shares(outlets[o]) for o in sorted(outlets)},
        }
    return table


def _co_mention(article: dict[str, Any]) -> bool:
    return _mentions(article, QUANT_WORDS) and _mentions(article, AI_WORDS)


def _check_window(since: str, until: str) -> None:
    import re

    for name, value in (("--since", since), ("--until", until)):
        if value and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ReportError(f"{name} {value!r} is not a date; write it as YYYY-MM-DD")
    if since and until and since > until:
        raise ReportError(f"--since {since} is after --until {until}; swap them")


def _outlet_shares(articles: list[dict[str, Any]]) -> dict[str, float]:
    """One outlet's tone and frame shares (its n is in articles_per_outlet)."""
    n = len(articles)
    shares = {f"tone:{t}": round(sum(a["tone"] == t for a in articles) / n, 4) for t in TONES}
    shares |= {f"frame:{f}": round(sum(f in a["frames"] for a in articles) / n, 4) for f in FRAMES}
    return shares


def build(
    db: Database,
    since: str = "",
    until: str = "",
    seed: int = 0,
    groups: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The report's numbers as one JSON-ready dict. `groups` limits the report to some
    outlet groups (empty: all)."""
    _check_window(since, until)
    unknown = sorted(set(groups) - set(GROUPS))
    if unknown:
        raise ReportError(f"unknown group(s) {', '.join(unknown)}; choose from {', '.join(GROUPS)}")
    chosen = tuple(g for g in GROUPS if not groups or g in groups)
    version = latest_model_version(db)
    if version is None:
        raise ReportError("no labelled articles in this database; run `framegap classify`")
    labelled = [a for a in labelled_articles(db, version, since, until) if a["grp"] in chosen]
    articles = once_per_cluster(labelled)
    record = model_record(db, version)
    corpus = [o for o in outlet_corpus(db, version) if o["grp"] in chosen]
    timeline = monthly(articles, chosen, _co_mention)
    return {
        "parameters": {"since": since, "until": until, "seed": seed, "groups": list(chosen)},
        "database_fingerprint": content_fingerprint(db, version),
        "model_version": version,
        "rule": RULE,
        "sample_data": any(a["is_sample"] for a in articles) or any(o["is_sample"] for o in corpus),
        "relevant_articles": len(articles),
        "scorecard": scorecard(articles, seed),
        "by_group": by_group(articles, seed, chosen),
        "word_choice": word_choice(articles, seed, names=[o["name"] for o in corpus]),
        "word_families": family_counts(articles, WORD_FAMILIES, chosen),
        "timeline": {**timeline, "milestones": milestones_in(timeline["months"])},
        "evidence": evidence_passages(db, version, [a["id"] for a in articles]),
        "method": {
            "window": {
                "since": since,
                "until": until,
                "first_published": min(
                    (a["published"] for a in articles if a["published"]), default=None
                ),
                "last_published": max(
                    (a["published"] for a in articles if a["published"]), default=None
                ),
            },
            "corpus": corpus,
            "duplicates_merged": len(labelled) - len(articles),
            "crawl_errors": crawl_error_summary(db),
            "model": {
                "version": version,
                "encoders": record.get("encoders", {}),
                "dev": record.get("dev", {}),
                "test": record.get("test", {}),
                "method": record.get("method", ""),
            },
        },
    }

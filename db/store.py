"""Every write to the database. Idempotent: storing the same thing again changes `last_seen`."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Literal

from sqlite_utils import Database

from db.text import search_form


@contextmanager
def _transaction(db: Database) -> Iterator[None]:
    """One write transaction (BEGIN IMMEDIATE, so it waits for the write lock up front): all of
    the block's writes land, or none. sqlite-utils commits each `db.execute` write on its own
    unless a transaction is open, so `with db.conn:` alone does not make a block atomic."""
    if db.conn.in_transaction:  # part of the caller's transaction
        yield
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()


OUTLET_COLUMNS = (
    "slug",
    "name",
    "group",
    "country",
    "language",
    "ownership",
    "homepage",
    "timezone",
)
ARTICLE_FIELDS = (
    "id",
    "url",
    "canonical_url",
    "outlet",
    "title",
    "byline",
    "published",
    "modified",
    "language",
    "text",
    "paragraphs",
    "word_count",
    "content_hash",
    "minhash",
    "dup_cluster",
    "topic_score",
    "topic_match",
    "topic_cues",
    "crawl_run",
    "is_sample",
)
# Fields that change when a stored article's content changes on a later fetch.
_CONTENT_FIELDS = (
    "title",
    "byline",
    "published",
    "modified",
    "language",
    "text",
    "paragraphs",
    "word_count",
    "content_hash",
    "minhash",
    "topic_score",
    "topic_match",
    "topic_cues",
)


def utc_now() -> str:
    """The current time as ISO-8601 UTC text, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def upsert_outlets(db: Database, outlets: Iterable[Mapping[str, Any]], *, is_sample: bool) -> int:
    """Insert or update outlets from a registry; returns how many were written."""
    now = utc_now()
    rows = [
        {
            **{col: outlet.get(col) for col in OUTLET_COLUMNS},
            "is_sample": int(is_sample),
            "updated": now,
        }
        for outlet in outlets
    ]
    with _transaction(db):
        for row in rows:
            db.execute(
                'INSERT INTO outlets (slug, name, "group", country, language, ownership, homepage,'
                " timezone, is_sample, updated) VALUES (:slug, :name, :group, :country, :language,"
                " :ownership, :homepage, :timezone, :is_sample, :updated)"
                ' ON CONFLICT(slug) DO UPDATE SET name=excluded.name, "group"=excluded."group",'
                " country=excluded.country, language=excluded.language,"
                " ownership=excluded.ownership, homepage=excluded.homepage,"
                " timezone=excluded.timezone, is_sample=excluded.is_sample,"
                " updated=excluded.updated",
                row,
            )
    return len(rows)


def start_run(db: Database, spider: str, outlets: list[str], *, is_sample: bool) -> int:
    """Open a crawl run and return its id."""
    with _transaction(db):
        cursor = db.execute(
            "INSERT INTO crawl_runs (started, spider, outlets, status, is_sample)"
            " VALUES (?, ?, ?, 'running', ?)",
            [utc_now(), spider, json.dumps(outlets), int(is_sample)],
        )
    return int(cursor.lastrowid or 0)


def finish_run(db: Database, run_id: int, status: str, stats: Mapping[str, Any]) -> None:
    """Close a crawl run with its final status and stats."""
    with _transaction(db):
        db.execute(
            "UPDATE crawl_runs SET finished = ?, status = ?, stats = ? WHERE id = ?",
            [utc_now(), status, json.dumps(stats, sort_keys=True, default=str), run_id],
        )


def save_page(
    db: Database,
    *,
    url: str,
    outlet: str,
    status: int,
    headers: Mapping[str, str],
    html: bytes,
    encoding: str | None,
    kind: Literal["article", "non-article", "duplicate", "dropped"],
    note: str,
    crawl_run: int | None,
    is_sample: bool,
    article: Mapping[str, Any] | None = None,
) -> Literal["new", "seen", "updated"] | None:
    """Store (or refresh) a fetched page with its raw HTML, compressed; with `article`, store the
    article in the same transaction, so a crash never leaves a page (whose URL the next crawl
    skips) without its article. Returns upsert_article's outcome, or None without an article."""
    with _transaction(db):
        db.execute(
            "INSERT INTO pages (url, outlet, fetched, status, headers, html, encoding, kind, note,"
            " crawl_run, is_sample) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(url) DO UPDATE SET fetched=excluded.fetched, status=excluded.status,"
            " headers=excluded.headers, html=excluded.html, encoding=excluded.encoding,"
            " kind=excluded.kind, note=excluded.note, crawl_run=excluded.crawl_run",
            [
                url,
                outlet,
                utc_now(),
                status,
                json.dumps(dict(headers), sort_keys=True),
                zlib.compress(html, 6),
                encoding,
                kind,
                note,
                crawl_run,
                int(is_sample),
            ],
        )
        return None if article is None else _upsert_article(db, article)


def upsert_article(db: Database, article: Mapping[str, Any]) -> Literal["new", "seen", "updated"]:
    """Store an article; a stored one only gets `last_seen` (and its content if that changed)."""
    with _transaction(db):
        return _upsert_article(db, article)


def _upsert_article(db: Database, article: Mapping[str, Any]) -> Literal["new", "seen", "updated"]:
    row = {field: article.get(field) for field in ARTICLE_FIELDS}
    row["paragraphs"] = json.dumps(list(row["paragraphs"] or []), ensure_ascii=False)
    row["topic_cues"] = json.dumps(list(row["topic_cues"] or []), ensure_ascii=False)
    row["topic_match"] = int(bool(row["topic_match"]))
    row["is_sample"] = int(bool(row["is_sample"]))
    now = utc_now()
    existing = db.execute(
        "SELECT rowid, content_hash FROM articles WHERE id = ?", [row["id"]]
    ).fetchone()
    if existing is None:
        cursor = db.execute(
            f"INSERT INTO articles ({', '.join(ARTICLE_FIELDS)}, first_seen, last_seen)"
            f" VALUES ({', '.join(':' + f for f in ARTICLE_FIELDS)}, :now, :now)",
            {**row, "now": now},
        )
        _index(db, cursor.lastrowid, row["title"], str(row["text"]))
        return "new"
    rowid, stored_hash = existing
    if stored_hash == row["content_hash"]:
        db.execute("UPDATE articles SET last_seen = ? WHERE rowid = ?", [now, rowid])
        return "seen"
    assignments = ", ".join(f"{field} = :{field}" for field in _CONTENT_FIELDS)
    db.execute(
        f"UPDATE articles SET {assignments}, last_seen = :now WHERE rowid = :rowid",
        {**row, "now": now, "rowid": rowid},
    )
    db.execute("DELETE FROM articles_fts WHERE rowid = ?", [rowid])
    _index(db, rowid, row["title"], str(row["text"]))
    return "updated"


def _index(db: Database, rowid: int | None, title: str | None, text: str) -> None:
    db.execute(
        "INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
        [rowid, search_form(title or ""), search_form(text)],
    )


def record_error(
    db: Database, *, url: str, outlet: str | None, crawl_run: int | None, stage: str, reason: str
) -> None:
    """Record why a URL was not stored; one row per URL, run and stage."""
    with _transaction(db):
        db.execute(
            "INSERT INTO crawl_errors (url, outlet, crawl_run, stage, reason, at)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(url, crawl_run, stage) DO UPDATE SET reason=excluded.reason,"
            " at=excluded.at",
            [url, outlet, crawl_run, stage, reason[:2000], utc_now()],
        )


def register_model(
    db: Database, version: str, encoders: dict[str, str], record: Mapping[str, Any]
) -> None:
    """Record a model (idempotent: a registered version keeps its first record)."""
    with _transaction(db):
        db.execute(
            "INSERT INTO models (version, created, encoders, record) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(version) DO NOTHING",
            [
                version,
                utc_now(),
                json.dumps(encoders, sort_keys=True),
                json.dumps(record, sort_keys=True, default=str),
            ],
        )


def save_predictions(
    db: Database, model_version: str, predictions: Iterable[Mapping[str, Any]]
) -> int:
    """Store one batch of article predictions and their frames in one transaction.

    Each prediction: article_id, language, relevant, relevance, tone, tone_scores, passages,
    frame_scores {frame: score}, frames [present], evidence {frame: (passage, score)}.
    Storing a batch again replaces it (same article and model version).
    """
    now, count = utc_now(), 0
    with _transaction(db):
        for p in predictions:
            key = [p["article_id"], model_version]
            db.execute(
                "DELETE FROM frame_predictions WHERE article_id = ? AND model_version = ?", key
            )
            db.execute(
                "INSERT OR REPLACE INTO predictions (article_id, model_version, language,"
                " relevant, relevance, tone, tone_scores, passages, classified)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    *key,
                    p["language"],
                    int(p["relevant"]),
                    p["relevance"],
                    p["tone"],
                    json.dumps(p["tone_scores"], sort_keys=True),
                    p["passages"],
                    now,
                ],
            )
            for frame, score in p["frame_scores"].items():
                passage, evidence_score = p["evidence"].get(frame, (None, None))
                db.execute(
                    "INSERT INTO frame_predictions (article_id, model_version, frame, score,"
                    " present, evidence, evidence_score) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [*key, frame, score, int(frame in p["frames"]), passage, evidence_score],
                )
            count += 1
    return count


def close_stale_runs(db: Database) -> int:
    """Mark crawl runs left 'running' by a crashed crawl as interrupted (call it holding the
    crawl lock, so no live crawl is among them); returns how many."""
    with _transaction(db):
        cursor = db.execute(
            "UPDATE crawl_runs SET status = 'interrupted', finished = ? WHERE status = 'running'",
            [utc_now()],
        )
    return int(cursor.rowcount)

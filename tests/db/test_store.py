"""The database contract: migrations, idempotent writes, full-text search in both languages."""

from __future__ import annotations

import json
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from db import DatabaseError, open_db
from db import store as db_store
from db.migrations import migrations
from db.queries import known_urls, run_summary
from db.text import article_id, content_hash, fts_query, search_form


def _outlet(db: Database) -> None:
    db_store.upsert_outlets(
        db,
        [
            {
                "slug": "demo",
                "name": "Demo",
                "group": "western",
                "country": "GB",
                "language": "en",
                "ownership": "commercial",
                "homepage": "http://demo.test/",
                "timezone": "UTC",
            }
        ],
        is_sample=True,
    )


def _article(
    text: str = "Banks cut pay.", url: str = "http://demo.test/a", **extra: Any
) -> dict[str, Any]:
    return {
        "id": article_id(url),
        "url": url,
        "canonical_url": url,
        "outlet": "demo",
        "title": "Pay caps",
        "byline": None,
        "published": "2024-07-03",
        "modified": None,
        "language": "en",
        "text": text,
        "paragraphs": [text],
        "word_count": len(text.split()),
        "content_hash": content_hash(text),
        "minhash": None,
        "dup_cluster": article_id(url),
        "topic_score": 0.5,
        "topic_match": True,
        "topic_cues": ["pay cut"],
        "crawl_run": None,
        "is_sample": True,
        **extra,
    }


def test_open_db_sets_wal_foreign_keys_and_migrates(tmp_path: Path) -> None:
    db = open_db(tmp_path / "x.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert {"outlets", "crawl_runs", "pages", "articles", "crawl_errors", "articles_fts"} <= set(
        db.table_names()
    )
    applied = db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    db.close()
    again = open_db(tmp_path / "x.db")  # migrations are not re-applied
    assert migrations.pending(again) == []
    assert again.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == applied


def test_open_db_refuses_a_folder_and_a_non_database(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="is a folder"):
        open_db(tmp_path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseError, match="cannot open"):
        open_db(junk)
    assert junk.read_bytes().startswith(b"this is not sqlite")  # nothing overwritten


def test_storing_twice_changes_only_last_seen(db: Database) -> None:
    _outlet(db)
    assert db_store.upsert_article(db, _article()) == "new"
    first = next(db.query("SELECT * FROM articles"))
    time.sleep(1.1)
    assert db_store.upsert_article(db, _article()) == "seen"
    second = next(db.query("SELECT * FROM articles"))
    changed = {k for k in first if first[k] != second[k]}
    assert changed == {"last_seen"}
    assert db.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 1


def test_changed_content_is_updated_and_reindexed(db: Database) -> None:
    _outlet(db)
    db_store.upsert_article(db, _article("Banks cut pay."))
    assert db_store.upsert_article(db, _article("Brokers defer bonuses.")) == "updated"
    hits = db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'bonuses'")
    assert hits.fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 1


def test_full_text_search_finds_two_character_chinese_words(db: Database) -> None:
    _outlet(db)
    db_store.upsert_article(
        db, _article("券商限薪政策落地，金融精英论受到批评。", "http://demo.test/zh")
    )
    db_store.upsert_article(db, _article("Brokerages capped pay in 2023.", "http://demo.test/en"))

    def hits(terms: str) -> int:
        return db.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [fts_query(terms)]
        ).fetchone()[0]

    assert hits("限薪") == 1
    assert hits("精英") == 1
    assert hits("金融精英") == 1
    assert hits("薪酬") == 0
    assert hits("capped") == 1
    assert hits("限薪 OR capped") == 2


def test_search_form_pairs_cjk_runs_only() -> None:
    assert search_form("A股限薪 cap") == "A 股限 限薪  cap"


def test_pages_keep_compressed_html_and_errors_are_recorded_once(db: Database) -> None:
    _outlet(db)
    run = db_store.start_run(db, "outlets", ["demo"], is_sample=True)
    db_store.save_page(
        db,
        url="http://demo.test/a",
        outlet="demo",
        status=200,
        headers={},
        html=b"<p>x</p>",
        encoding="utf-8",
        kind="non-article",
        note="video page",
        crawl_run=run,
        is_sample=True,
    )
    for _ in range(2):
        db_store.record_error(
            db,
            url="http://demo.test/b",
            outlet="demo",
            crawl_run=run,
            stage="fetch",
            reason="HTTP 500",
        )
    db_store.finish_run(db, run, "finished", {"pages": 1})
    html = db.execute("SELECT html FROM pages").fetchone()[0]
    assert zlib.decompress(html) == b"<p>x</p>"
    assert run_summary(db, run) == [
        {
            "outlet": "demo",
            "pages": 1,
            "stored": 0,
            "relevant_looking": 0,
            "duplicates": 0,
            "non_articles": 1,
            "errors": 1,
        }
    ]
    assert json.loads(db.execute("SELECT stats FROM crawl_runs").fetchone()[0]) == {"pages": 1}
    assert known_urls(db, ["demo"]) == {"http://demo.test/a"}


def test_a_page_and_its_article_are_stored_together_or_not_at_all(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next crawl skips URLs in `pages`: a page must never be committed without its
    article (a crawl killed between two transactions lost an article for good)."""
    _outlet(db)
    page = {
        "url": "http://demo.test/a",
        "outlet": "demo",
        "status": 200,
        "headers": {},
        "html": b"<p>Banks cut pay.</p>",
        "encoding": "utf-8",
        "kind": "article",
        "note": "",
        "crawl_run": None,
        "is_sample": True,
    }

    def fail(*args: Any) -> None:
        raise RuntimeError("killed mid-write")

    monkeypatch.setattr(db_store, "_index", fail)
    with pytest.raises(RuntimeError):
        db_store.save_page(db, **page, article=_article())
    assert db.execute("SELECT count(*) FROM pages").fetchone()[0] == 0
    assert known_urls(db) == set()
    monkeypatch.undo()
    assert db_store.save_page(db, **page, article=_article()) == "new"
    assert db_store.save_page(db, **page, article=_article()) == "seen"
    assert known_urls(db) == {"http://demo.test/a"}
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1

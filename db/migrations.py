"""Numbered schema migrations. An applied migration is never edited: add the next one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("framegap")


@migrations()
def m001_crawl_tables(db: Database) -> None:
    """Outlets, crawl runs, raw pages, articles, crawl errors."""
    for sql in (
        """CREATE TABLE outlets (
            slug TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            "group" TEXT NOT NULL CHECK ("group" IN ('western', 'chinese', 'hongkong')),
            country TEXT NOT NULL,
            language TEXT NOT NULL,
            ownership TEXT NOT NULL CHECK (ownership IN ('state', 'commercial', 'public')),
            homepage TEXT NOT NULL,
            timezone TEXT,
            is_sample INTEGER NOT NULL DEFAULT 0,
            updated TEXT NOT NULL
        )""",
        """CREATE TABLE crawl_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started TEXT NOT NULL,
            finished TEXT,
            spider TEXT NOT NULL,
            outlets TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'running',
            stats TEXT NOT NULL DEFAULT '{}',
            is_sample INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE pages (
            url TEXT PRIMARY KEY,
            outlet TEXT NOT NULL REFERENCES outlets(slug),
            fetched TEXT NOT NULL,
            status INTEGER NOT NULL,
            headers TEXT NOT NULL DEFAULT '{}',
            html BLOB,
            encoding TEXT,
            kind TEXT NOT NULL CHECK (kind IN ('article', 'non-article', 'duplicate', 'dropped')),
            note TEXT NOT NULL DEFAULT '',
            crawl_run INTEGER REFERENCES crawl_runs(id),
            is_sample INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            canonical_url TEXT NOT NULL UNIQUE,
            outlet TEXT NOT NULL REFERENCES outlets(slug),
            title TEXT,
            byline TEXT,
            published TEXT,
            modified TEXT,
            language TEXT,
            text TEXT NOT NULL,
            paragraphs TEXT NOT NULL,
            word_count INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            minhash BLOB,
            dup_cluster TEXT NOT NULL,
            topic_score REAL NOT NULL,
            topic_match INTEGER NOT NULL,
            topic_cues TEXT NOT NULL DEFAULT '[]',
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            crawl_run INTEGER REFERENCES crawl_runs(id),
            is_sample INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX articles_outlet ON articles(outlet)",
        "CREATE INDEX articles_published ON articles(published)",
        "CREATE INDEX articles_content_hash ON articles(content_hash)",
        "CREATE INDEX articles_dup_cluster ON articles(dup_cluster)",
        "CREATE INDEX articles_crawl_run ON articles(crawl_run)",
        """CREATE TABLE crawl_errors (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            url TEXT NOT NULL,
            outlet TEXT,
            crawl_run INTEGER REFERENCES crawl_runs(id),
            stage TEXT NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL,
            UNIQUE (url, crawl_run, stage)
        )""",
        "CREATE INDEX crawl_errors_run ON crawl_errors(crawl_run)",
        # Full-text index over the search form of title and text (db.search_text: words as they
        # are, CJK runs as overlapping character pairs), so two-character Chinese words are found.
        # rowid = articles.rowid; kept in step by db.store.
        """CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, tokenize = 'unicode61 remove_diacritics 2'
        )""",
    ):
        db.execute(sql)

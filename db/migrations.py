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


@migrations()
def m002_classifier_tables(db: Database) -> None:
    """Models, per-article predictions, per-frame predictions with evidence, human annotations."""
    for sql in (
        """CREATE TABLE models (
            version TEXT PRIMARY KEY,
            created TEXT NOT NULL,
            encoders TEXT NOT NULL,
            record TEXT NOT NULL DEFAULT '{}'
        )""",
        """CREATE TABLE predictions (
            article_id TEXT NOT NULL REFERENCES articles(id),
            model_version TEXT NOT NULL REFERENCES models(version),
            language TEXT,
            relevant INTEGER NOT NULL,
            relevance REAL NOT NULL,
            tone TEXT CHECK (tone IS NULL OR tone IN ('negative', 'neutral', 'positive')),
            tone_scores TEXT NOT NULL DEFAULT '{}',
            passages INTEGER NOT NULL,
            classified TEXT NOT NULL,
            PRIMARY KEY (article_id, model_version)
        )""",
        "CREATE INDEX predictions_model ON predictions(model_version)",
        """CREATE TABLE frame_predictions (
            article_id TEXT NOT NULL REFERENCES articles(id),
            model_version TEXT NOT NULL REFERENCES models(version),
            frame TEXT NOT NULL CHECK (frame IN ('crackdown', 'talent_drain', 'economic_harm',
                'human_interest', 'fairness', 'real_economy', 'discipline', 'financialization')),
            score REAL NOT NULL,
            present INTEGER NOT NULL,
            evidence TEXT,
            evidence_score REAL,
            PRIMARY KEY (article_id, model_version, frame),
            FOREIGN KEY (article_id, model_version)
                REFERENCES predictions(article_id, model_version)
        )""",
        "CREATE INDEX frame_predictions_frame ON frame_predictions(model_version, frame, present)",
        """CREATE TABLE annotations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            article_id TEXT NOT NULL REFERENCES articles(id),
            annotator TEXT NOT NULL,
            relevant INTEGER,
            tone TEXT,
            frames TEXT NOT NULL DEFAULT '[]',
            note TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL
        )""",
    ):
        db.execute(sql)


@migrations()
def m003_views(db: Database) -> None:
    """Views that make the common questions one line of SQL (labels are the current model's:
    the most recently registered model that has predictions)."""
    for sql in (
        """CREATE VIEW current_model AS
            SELECT m.version, m.created, m.encoders FROM models m
            WHERE EXISTS (SELECT 1 FROM predictions p WHERE p.model_version = m.version)
            ORDER BY m.created DESC, m.rowid DESC LIMIT 1""",
        """CREATE VIEW article_labels AS
            SELECT a.id, a.title, a.url, a.outlet, o.name AS outlet_name, o."group" AS "group",
                a.language, a.published, substr(a.published, 1, 7) AS month, a.word_count,
                a.dup_cluster, a.is_sample, p.model_version, p.relevant, p.relevance, p.tone,
                (SELECT json_group_array(f.frame) FROM frame_predictions f
                    WHERE f.article_id = a.id AND f.model_version = p.model_version
                    AND f.present = 1) AS frames
            FROM articles a JOIN outlets o ON o.slug = a.outlet
            LEFT JOIN predictions p ON p.article_id = a.id
                AND p.model_version = (SELECT version FROM current_model)""",
        """CREATE VIEW frame_shares AS
            SELECT o."group" AS "group", f.frame, count(*) AS relevant_articles,
                sum(f.present) AS with_frame, round(1.0 * sum(f.present) / count(*), 4) AS share
            FROM frame_predictions f
            JOIN predictions p ON p.article_id = f.article_id AND p.model_version = f.model_version
            JOIN articles a ON a.id = f.article_id JOIN outlets o ON o.slug = a.outlet
            WHERE f.model_version = (SELECT version FROM current_model) AND p.relevant = 1
            GROUP BY o."group", f.frame""",
        """CREATE VIEW tone_shares AS
            SELECT o."group" AS "group", p.tone, count(*) AS articles,
                round(1.0 * count(*) / sum(count(*)) OVER (PARTITION BY o."group"), 4) AS share
            FROM predictions p JOIN articles a ON a.id = p.article_id
            JOIN outlets o ON o.slug = a.outlet
            WHERE p.model_version = (SELECT version FROM current_model) AND p.relevant = 1
            GROUP BY o."group", p.tone""",
        """CREATE VIEW evidence AS
            SELECT f.frame, o."group" AS "group", a.outlet, o.name AS outlet_name, a.published,
                a.title, a.url, f.evidence AS passage, f.evidence_score, f.article_id,
                f.model_version
            FROM frame_predictions f JOIN articles a ON a.id = f.article_id
            JOIN outlets o ON o.slug = a.outlet
            WHERE f.present = 1 AND f.evidence IS NOT NULL
                AND f.model_version = (SELECT version FROM current_model)""",
    ):
        db.execute(sql)

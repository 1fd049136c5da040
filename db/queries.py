"""Every read of the database, as named functions with bound parameters."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database


def known_urls(db: Database, outlets: list[str] | None = None) -> set[str]:
    """URLs already fetched as article candidates (stored, duplicate, non-article or dropped)."""
    where, params = _outlet_filter(outlets)
    urls = {row[0] for row in db.execute(f"SELECT url FROM pages {where}", params)}
    urls |= {
        url
        for row in db.execute(f"SELECT url, canonical_url FROM articles {where}", params)
        for url in row
    }
    return urls


def _outlet_filter(outlets: list[str] | None) -> tuple[str, list[str]]:
    if not outlets:
        return "", []
    return f"WHERE outlet IN ({', '.join('?' for _ in outlets)})", list(outlets)


@dataclass(frozen=True)
class StoredSignature:
    """What the dedupe stage needs to know of a stored article."""

    id: str
    url: str
    canonical_url: str
    content_hash: str
    dup_cluster: str
    minhash: bytes | None


def article_signatures(db: Database) -> Iterator[StoredSignature]:
    """Every stored article's dedupe signature, oldest first."""
    for row in db.execute(
        "SELECT id, url, canonical_url, content_hash, dup_cluster, minhash FROM articles"
        " ORDER BY rowid"
    ):
        yield StoredSignature(*row)


def run_summary(db: Database, run_id: int) -> list[dict[str, Any]]:
    """Per outlet of a crawl run: pages fetched, articles stored, relevant-looking, dups, errors."""
    outlets = json.loads(
        db.execute("SELECT outlets FROM crawl_runs WHERE id = ?", [run_id]).fetchone()[0]
    )
    rows = []
    for slug in outlets:
        params = [slug, run_id]
        rows.append(
            {
                "outlet": slug,
                "pages": _count(db, "pages WHERE outlet = ? AND crawl_run = ?", params),
                "stored": _count(db, "articles WHERE outlet = ? AND crawl_run = ?", params),
                "relevant_looking": _count(
                    db, "articles WHERE outlet = ? AND crawl_run = ? AND topic_match = 1", params
                ),
                "duplicates": _count(
                    db, "pages WHERE outlet = ? AND crawl_run = ? AND kind = 'duplicate'", params
                )
                + _count(
                    db, "articles WHERE outlet = ? AND crawl_run = ? AND dup_cluster != id", params
                ),
                "non_articles": _count(
                    db, "pages WHERE outlet = ? AND crawl_run = ? AND kind = 'non-article'", params
                ),
                "errors": _count(db, "crawl_errors WHERE outlet = ? AND crawl_run = ?", params),
            }
        )
    return rows


def _count(db: Database, from_where: str, params: list[Any]) -> int:
    return int(db.execute(f"SELECT count(*) FROM {from_where}", params).fetchone()[0])


def crawl_run(db: Database, run_id: int) -> dict[str, Any] | None:
    """One crawl run as a dict (stats decoded), or None."""
    row = db.execute(
        "SELECT id, started, finished, spider, outlets, status, stats, is_sample"
        " FROM crawl_runs WHERE id = ?",
        [run_id],
    ).fetchone()
    if row is None:
        return None
    keys = ("id", "started", "finished", "spider", "outlets", "status", "stats", "is_sample")
    run = dict(zip(keys, row, strict=True))
    run["outlets"] = json.loads(run["outlets"])
    run["stats"] = json.loads(run["stats"])
    return run


# Articles a model has not labelled yet; `:version` is the model version.
_PENDING = (
    "articles a WHERE NOT EXISTS (SELECT 1 FROM predictions p WHERE p.article_id = a.id"
    " AND p.model_version = :version)"
)


def pending_articles(db: Database, model_version: str, limit: int) -> list[dict[str, Any]]:
    """Up to `limit` articles the model has not labelled yet (id, title, text, language)."""
    return list(
        db.query(
            f"SELECT a.id, a.title, a.text, a.language FROM {_PENDING} ORDER BY a.rowid"
            " LIMIT :limit",
            {"version": model_version, "limit": limit},
        )
    )


def count_pending(db: Database, model_version: str) -> int:
    """How many articles the model has not labelled yet."""
    return int(
        db.execute(f"SELECT count(*) FROM {_PENDING}", {"version": model_version}).fetchone()[0]
    )


def prediction_summary(db: Database, model_version: str) -> dict[str, Any]:
    """Counts of a model's labels: articles, relevant, tones, frames."""
    params = [model_version]
    tones = {
        r["tone"]: r["n"]
        for r in db.query(
            "SELECT tone, count(*) AS n FROM predictions WHERE model_version = ? AND relevant = 1"
            " GROUP BY tone",
            params,
        )
    }
    frames = {
        r["frame"]: r["n"]
        for r in db.query(
            "SELECT frame, count(*) AS n FROM frame_predictions WHERE model_version = ?"
            " AND present = 1 GROUP BY frame",
            params,
        )
    }
    return {
        "articles": _count(db, "predictions WHERE model_version = ?", params),
        "relevant": _count(db, "predictions WHERE model_version = ? AND relevant = 1", params),
        "tones": tones,
        "frames": frames,
    }


def latest_model_version(db: Database) -> str | None:
    """The most recently registered model that has predictions, or None."""
    row = db.execute(
        "SELECT m.version FROM models m WHERE EXISTS (SELECT 1 FROM predictions p"
        " WHERE p.model_version = m.version) ORDER BY m.created DESC, m.rowid DESC LIMIT 1"
    ).fetchone()
    return None if row is None else str(row[0])


def labelled_articles(
    db: Database, model_version: str, since: str = "", until: str = ""
) -> list[dict[str, Any]]:
    """Relevant articles as a model labelled them, with outlet group and frames present."""
    rows = list(
        db.query(
            'SELECT a.id, a.outlet, o."group" AS grp, a.published, a.language, a.title, a.text,'
            " a.dup_cluster, a.is_sample, p.tone FROM predictions p"
            " JOIN articles a ON a.id = p.article_id JOIN outlets o ON o.slug = a.outlet"
            " WHERE p.model_version = :v AND p.relevant = 1"
            " AND (:since = '' OR a.published >= :since)"
            " AND (:until = '' OR substr(a.published, 1, 10) <= :until)"
            " ORDER BY a.published, a.id",
            {"v": model_version, "since": since, "until": until},
        )
    )
    frames: dict[str, list[str]] = {}
    for row in db.query(
        "SELECT article_id, frame FROM frame_predictions WHERE model_version = ? AND present = 1"
        " ORDER BY frame",
        [model_version],
    ):
        frames.setdefault(row["article_id"], []).append(row["frame"])
    for row in rows:
        row["frames"] = frames.get(row["id"], [])
    return rows


def content_fingerprint(db: Database, model_version: str) -> str:
    """SHA-256 over the stored articles' ids and content hashes and the model's labels:
    equal databases give equal fingerprints whatever their timestamps."""
    import hashlib

    digest = hashlib.sha256(model_version.encode())
    for row in db.execute("SELECT id, content_hash FROM articles ORDER BY id"):
        digest.update(f"{row[0]}:{row[1]};".encode())
    for row in db.execute(
        "SELECT article_id, relevant, tone FROM predictions WHERE model_version = ?"
        " ORDER BY article_id",
        [model_version],
    ):
        digest.update(f"{row[0]}:{row[1]}:{row[2]};".encode())
    return digest.hexdigest()


def crawl_error_summary(db: Database) -> list[dict[str, Any]]:
    """Crawl errors by stage and reason, most frequent first."""
    return list(
        db.query(
            "SELECT stage, reason, count(*) AS n FROM crawl_errors GROUP BY stage, reason"
            " ORDER BY n DESC, stage, reason"
        )
    )


def model_record(db: Database, model_version: str) -> dict[str, Any]:
    """The training record a model was registered with ({} when unknown)."""
    row = db.execute("SELECT record FROM models WHERE version = ?", [model_version]).fetchone()
    return {} if row is None else dict(json.loads(row[0]))


def evidence_passages(
    db: Database, model_version: str, article_ids: list[str], per_cell: int = 3
) -> list[dict[str, Any]]:
    """For each frame and outlet group, the `per_cell` strongest evidence passages among the
    given articles (frames the model found present), with outlet, date and link."""
    return list(
        db.query(
            "SELECT frame, grp, article_id, outlet, outlet_name, published, url, title,"
            " evidence, evidence_score FROM ("
            ' SELECT f.frame, o."group" AS grp, f.article_id, a.outlet, o.name AS outlet_name,'
            " a.published, a.url, a.title, f.evidence, f.evidence_score,"
            ' ROW_NUMBER() OVER (PARTITION BY f.frame, o."group"'
            " ORDER BY f.evidence_score DESC, f.article_id) AS rank"
            " FROM frame_predictions f JOIN json_each(:ids) r ON r.value = f.article_id"
            " JOIN articles a ON a.id = f.article_id JOIN outlets o ON o.slug = a.outlet"
            " WHERE f.model_version = :v AND f.present = 1 AND f.evidence IS NOT NULL"
            ") WHERE rank <= :per ORDER BY frame, grp, rank",
            {"v": model_version, "per": per_cell, "ids": json.dumps(article_ids)},
        )
    )


def outlet_corpus(db: Database, model_version: str) -> list[dict[str, Any]]:
    """Per outlet: name, group, language, articles stored, and articles the model labelled and
    found relevant (no timestamps: equal databases give equal reports)."""
    return list(
        db.query(
            'SELECT o.slug, o.name, o."group" AS grp, o.language, o.is_sample,'
            " count(a.id) AS stored, count(p.article_id) AS labelled,"
            " coalesce(sum(p.relevant), 0) AS relevant"
            " FROM outlets o LEFT JOIN articles a ON a.outlet = o.slug"
            " LEFT JOIN predictions p ON p.article_id = a.id AND p.model_version = :v"
            ' GROUP BY o.slug ORDER BY o."group", o.slug',
            {"v": model_version},
        )
    )


def run_outlet_health(db: Database, run_id: int) -> dict[str, dict[str, int]]:
    """Per outlet, what one crawl run got: pages fetched, new articles, articles with a title,
    a date and a text of 50+ words, and errors."""
    health: dict[str, dict[str, int]] = {}

    def cell(outlet: str) -> dict[str, int]:
        return health.setdefault(
            outlet,
            {"pages": 0, "stored": 0, "with_title": 0, "with_date": 0, "with_text": 0, "errors": 0},
        )

    for outlet, n in db.execute(
        "SELECT outlet, count(*) FROM pages WHERE crawl_run = ? GROUP BY outlet", [run_id]
    ):
        cell(outlet)["pages"] = n
    for outlet, n, title, date, text in db.execute(
        "SELECT outlet, count(*), sum(coalesce(title, '') != ''), sum(published IS NOT NULL),"
        " sum(word_count >= 50) FROM articles WHERE crawl_run = ? GROUP BY outlet",
        [run_id],
    ):
        cell(outlet).update(stored=n, with_title=title, with_date=date, with_text=text)
    for outlet, n in db.execute(
        "SELECT outlet, count(*) FROM crawl_errors WHERE crawl_run = ? GROUP BY outlet", [run_id]
    ):
        cell(outlet)["errors"] = n
    return health


def recent_monitors(db: Database, before_run: int, limit: int = 5) -> list[dict[str, Any]]:
    """The monitor results of the last finished runs before `before_run`, newest first."""
    rows = db.execute(
        "SELECT stats FROM crawl_runs WHERE id < ? AND status = 'finished'"
        " AND json_extract(stats, '$.\"framegap/monitor\"') IS NOT NULL ORDER BY id DESC LIMIT ?",
        [before_run, limit],
    )
    return [json.loads(row[0])["framegap/monitor"] for row in rows]

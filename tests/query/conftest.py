"""A database of the sample sites' articles, labelled with their writers' own labels under a
fixture model version (built with db.store, no crawl and no classifier: fast)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from crawler.sample.site import load_sites
from db import open_db, store
from db.codebook import FRAMES, TONES
from db.text import article_id, content_hash

VERSION = "writers-labels"


def build_sample_db(path: Path) -> Path:
    """Write the sample articles and their writers' labels into a database at `path`."""
    db = open_db(path)
    sites = load_sites()
    store.upsert_outlets(db, [asdict(s.outlet) for s in sites.sites.values()], is_sample=True)
    run = store.start_run(
        db, "fixture", [s.outlet.slug for s in sites.sites.values()], is_sample=True
    )
    store.register_model(db, VERSION, {"en": "writers"}, {})
    predictions = []
    for site, article in sites.all_articles():
        url = site.url(article)
        text = article.text
        language = "en" if text.isascii() else site.outlet.language
        aid = article_id(url)
        store.upsert_article(
            db,
            {
                "id": aid,
                "url": url,
                "canonical_url": url,
                "outlet": site.outlet.slug,
                "title": article.title,
                "published": article.published.date().isoformat(),
                "language": language,
                "text": text,
                "paragraphs": list(article.paragraphs),
                "word_count": len(text.split()),
                "content_hash": content_hash(text),
                "dup_cluster": aid,
                "topic_score": 1.0,
                "topic_match": True,
                "topic_cues": [],
                "is_sample": True,
                "crawl_run": run,
            },
        )
        relevant = article.topic == "on"
        predictions.append(
            {
                "article_id": aid,
                "language": language,
                "relevant": relevant,
                "relevance": 0.9 if relevant else 0.1,
                "tone": article.tone if relevant else None,
                "tone_scores": {t: float(t == article.tone) for t in TONES},
                "passages": len(article.paragraphs) + 1,
                "frame_scores": {f: float(f in article.frames) for f in FRAMES},
                "frames": list(article.frames) if relevant else [],
                "evidence": {f: (article.paragraphs[0], 0.9) for f in article.frames}
                if relevant
                else {},
            }
        )
    store.save_predictions(db, VERSION, predictions)
    store.finish_run(db, run, "finished", {"finish_reason": "finished"})
    db.close()
    return path


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_db(tmp_path_factory.mktemp("query") / "framegap.db")


def snapshot(path: Path) -> str:
    """Every table's rows, to show a database is unchanged."""
    db = open_db(path, read_only=True)
    tables = [t for t in db.table_names() if not t.startswith("articles_fts_")]
    dump = {t: [list(map(str, r)) for r in db.execute(f"SELECT * FROM [{t}]")] for t in tables}
    db.close()
    return json.dumps(dump, sort_keys=True)

"""The scorecard from a fixture database built with db.store."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from db import store
from db.codebook import FRAMES, TONES
from db.text import article_id, content_hash
from reports.build import ReportError, build, once_per_cluster

VERSION = "fixture-model"


def _fill(
    db: Database, outlets: dict[str, str], negative_share: dict[str, float], per_outlet: int = 10
) -> None:
    store.upsert_outlets(
        db,
        [
            {
                "slug": slug,
                "name": slug,
                "group": group,
                "country": "GB",
                "language": "en",
                "ownership": "commercial",
                "homepage": f"http://{slug}.test/",
                "timezone": "UTC",
            }
            for slug, group in outlets.items()
        ],
        is_sample=True,
    )
    store.register_model(db, VERSION, {"en": "x"}, {})
    for slug, group in outlets.items():
        for n in range(per_outlet):
            url = f"http://{slug}.test/{n}"
            text = f"Article {n} of {slug} about the pay caps."
            store.upsert_article(
                db,
                {
                    "id": article_id(url),
                    "url": url,
                    "canonical_url": url,
                    "outlet": slug,
                    "title": "t",
                    "published": f"2024-0{1 + n % 9}-01",
                    "text": text,
                    "paragraphs": [text],
                    "word_count": 8,
                    "content_hash": content_hash(text),
                    "dup_cluster": article_id(url),
                    "topic_score": 1.0,
                    "topic_match": True,
                    "topic_cues": [],
                    "is_sample": True,
                },
            )
            negative = n < negative_share[group] * per_outlet
            store.save_predictions(
                db,
                VERSION,
                [
                    {
                        "article_id": article_id(url),
                        "language": "en",
                        "relevant": True,
                        "relevance": 0.9,
                        "tone": "negative" if negative else "neutral",
                        "tone_scores": dict.fromkeys(TONES, 0.3),
                        "passages": 2,
                        "frame_scores": dict.fromkeys(FRAMES, 0.9 if negative else 0.1),
                        "frames": ["crackdown"] if negative else [],
                        "evidence": {},
                    }
                ],
            )


def test_scorecard_from_fixture(db: Database) -> None:
    outlets = {f"w{i}": "western" for i in range(3)} | {f"c{i}": "chinese" for i in range(3)}
    _fill(db, outlets, {"western": 0.6, "chinese": 0.1})
    report = build(db)
    assert report["model_version"] == VERSION
    assert report["sample_data"] is True
    assert report["relevant_articles"] == 60
    negative = report["scorecard"][0]["measures"][0]
    assert negative["label"] == "negative tone"
    assert negative["western"]["value"] == 0.6
    assert negative["chinese"]["value"] == 0.1
    assert (negative["western"]["n_articles"], negative["western"]["n_outlets"]) == (30, 3)
    assert negative["difference"]["value"] == 0.5
    assert negative["verdict"] == "supports"
    western = report["by_group"]["western"]
    assert western["shares"]["tone:negative"]["value"] == 0.6
    assert western["articles_per_outlet"] == {"w0": 10, "w1": 10, "w2": 10}
    assert report["by_group"]["hongkong"]["shares"]["frame:crackdown"]["value"] is None
    assert report["method"]["duplicates_merged"] == 0
    fairness = report["scorecard"][2]["measures"][0]
    assert fairness["western"]["value"] == fairness["chinese"]["value"] == 0.0
    assert fairness["verdict"] == "too thin to say"


def test_a_group_with_one_outlet_is_too_thin(db: Database) -> None:
    _fill(
        db,
        {"w0": "western", "c0": "chinese", "c1": "chinese", "c2": "chinese"},
        {"western": 1.0, "chinese": 0.0},
        per_outlet=30,
    )
    negative = build(db)["scorecard"][0]["measures"][0]
    assert negative["western"]["n_outlets"] == 1
    assert negative["verdict"] == "too thin to say"


def test_empty_database_is_a_clear_error(db: Database) -> None:
    with pytest.raises(ReportError, match="run `framegap classify`"):
        build(db)


def test_once_per_cluster_keeps_the_first_per_group() -> None:
    rows = [
        {"dup_cluster": "a", "grp": "western", "id": 1},
        {"dup_cluster": "a", "grp": "western", "id": 2},
        {"dup_cluster": "a", "grp": "hongkong", "id": 3},
    ]
    assert [r["id"] for r in once_per_cluster(rows)] == [1, 3]

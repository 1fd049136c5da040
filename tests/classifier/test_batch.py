"""Labelling in bulk: classify-file round trip and bad lines, the database with two models."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from classifier.batch import MAX_CHARS, classify_file, classify_pending
from classifier.model import Model
from db import open_db
from db import store as db_store
from db.text import article_id, content_hash
from tests.crawler.test_crawl_e2e import ROOT


def test_classify_file_round_trip_and_bad_lines(tiny_model: tuple[Model, Path]) -> None:
    model, _ = tiny_model
    lines = [
        json.dumps({"id": 1, "text": "Beijing capped banker pay at 2.9 million yuan."}),
        "{not json",
        json.dumps({"text": "no id"}),
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "empty", "text": ""}),
        json.dumps({"id": "zh", "title": "限薪", "text": "券商限薪，绩效薪酬追索扣回。"}),
        json.dumps({"id": "long", "text": "Pay caps. " * 30_000}),
        json.dumps({"id": "fr", "text": "Les banquiers chinois voient leurs salaires plafonnés."}),
    ]
    out, err = io.StringIO(), io.StringIO()
    stats = classify_file(model, io.StringIO("\n".join(lines) + "\n"), out, err)
    assert (stats.labelled, stats.bad_lines) == (5, 3)
    assert err.getvalue().splitlines() == [
        "line 2: not JSON (Expecting property name enclosed in double quotes); skipped",
        "line 3: no id; skipped",
        "line 4: no text (a string); skipped",
    ]
    rows = {r["id"]: r for r in map(json.loads, out.getvalue().splitlines())}
    assert set(rows) == {1, "empty", "zh", "long", "fr"}
    for row in rows.values():
        assert set(row) >= {
            "id",
            "relevant",
            "relevance",
            "tone",
            "tone_scores",
            "frames",
            "frame_scores",
            "evidence",
            "language",
        }
        assert isinstance(row["relevant"], bool)
        assert (row["tone"] is None) == (not row["relevant"])
        assert set(row["evidence"]) == set(row["frames"])
    assert rows["empty"]["relevant"] is False
    assert rows["zh"]["language"] == "zh"
    assert rows["fr"]["language"] == "und"
    assert rows["long"]["truncated_at"] == MAX_CHARS


def test_classify_file_command_reads_stdin(tiny_model: tuple[Model, Path]) -> None:
    _, folder = tiny_model
    result = subprocess.run(
        [sys.executable, str(ROOT / "framegap.py"), "classify-file", "-", "--model", str(folder)],
        input='{"id": "a", "text": "Brokerages cut pay."}\nnope\n',
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "a"
    assert "line 2: not JSON" in result.stderr
    assert "Traceback" not in result.stderr


def test_database_keeps_predictions_of_two_model_versions(
    tiny_model: tuple[Model, Path], tmp_path: Path
) -> None:
    model, _ = tiny_model
    db = open_db(tmp_path / "p.db")
    db_store.upsert_outlets(
        db,
        [
            {
                "slug": "o",
                "name": "O",
                "group": "western",
                "country": "GB",
                "language": "en",
                "ownership": "public",
                "homepage": "http://o.test/",
                "timezone": "UTC",
            }
        ],
        is_sample=True,
    )
    for n, text in enumerate(["Beijing caps banker pay.", "券商限薪。", "Weather is fine."]):
        url = f"http://o.test/{n}"
        db_store.upsert_article(
            db,
            {
                "id": article_id(url),
                "url": url,
                "canonical_url": url,
                "outlet": "o",
                "title": "",
                "text": text,
                "paragraphs": [text],
                "word_count": 3,
                "content_hash": content_hash(text),
                "dup_cluster": article_id(url),
                "topic_score": 0.0,
                "topic_match": False,
                "topic_cues": [],
                "is_sample": True,
            },
        )
    assert classify_pending(db, model, batch_size=2) == 3
    assert classify_pending(db, model) == 0  # nothing pending: resumable, idempotent
    other = Model(
        "other-version",
        model.route,
        model.heads,
        model.thresholds,
        model.max_passage_words,
        model.max_tokens,
        model.record,
        model._encoders,
    )
    assert classify_pending(db, other) == 3
    versions = [
        r["model_version"]
        for r in db.query(
            "SELECT model_version, count(*) AS n FROM predictions GROUP BY 1 ORDER BY 1"
        )
    ]
    assert versions == sorted([model.version, "other-version"])
    frames = next(db.query("SELECT count(*) AS n FROM frame_predictions"))["n"]
    assert frames == 3 * 2 * 8

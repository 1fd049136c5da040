"""framegap export: the exported rows match the database, in every format; and the catalog
commands (outlets, runs) and the views."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from query.catalog import outlets, runs
from query.export import export, frames_path, read_back
from query.readonly import QueryError, ReadOnly
from tests.query.conftest import VERSION


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_round_trip(sample_db: Path, tmp_path: Path, fmt: str) -> None:
    ro = ReadOnly(sample_db)
    out = tmp_path / f"articles.{fmt}"
    n_articles, n_frames = export(ro, out, fmt, relevant_only=True)
    expected = {
        r[0]: (r[1], r[2], r[3], sorted(json.loads(r[4])))
        for r in ro.run(
            'SELECT a.id, a.title, p.tone, o."group", coalesce((SELECT json_group_array(f.frame)'
            " FROM frame_predictions f WHERE f.article_id = a.id AND f.present = 1), '[]')"
            " FROM articles a JOIN predictions p ON p.article_id = a.id"
            " JOIN outlets o ON o.slug = a.outlet WHERE p.relevant = 1"
        )[1]
    }
    rows = list(read_back(out, fmt))
    assert n_articles == len(rows) == len(expected) == 133
    for row in rows:
        assert (row["title"], row["tone"], row["group"], sorted(row["frames"])) == expected[
            row["id"]
        ]
        assert row["model_version"] == VERSION
    frames = list(read_back(frames_path(out), fmt))
    assert len(frames) == n_frames == 133 * 8
    present = {(f["article_id"], f["frame"]) for f in frames if str(f["present"]) == "1"}
    assert present == {(aid, frame) for aid, e in expected.items() for frame in e[3]}


def test_export_with_text_and_all_articles(sample_db: Path, tmp_path: Path) -> None:
    ro = ReadOnly(sample_db)
    n_articles, _ = export(ro, tmp_path / "all.jsonl", "jsonl", with_text=True)
    rows = list(read_back(tmp_path / "all.jsonl", "jsonl"))
    assert n_articles == len(rows) == 169
    assert all(row["text"] for row in rows)
    assert {row["relevant"] for row in rows} == {0, 1}
    with pytest.raises(QueryError, match="unknown format"):
        export(ro, tmp_path / "x.xlsx", "xlsx")


def test_outlets_and_runs(sample_db: Path) -> None:
    ro = ReadOnly(sample_db)
    columns, rows = outlets(ro)
    table = [dict(zip(columns, r, strict=True)) for r in rows]
    assert len(table) == 12
    assert sum(r["articles"] for r in table) == 169
    assert sum(r["relevant"] for r in table) == 133
    hongkong = outlets(ro, "hongkong")[1]
    assert {row[columns.index("group")] for row in hongkong} == {"hongkong"}
    columns, rows = runs(ro)
    run = dict(zip(columns, rows[0], strict=True))
    assert (run["status"], run["articles"], run["outlets"]) == ("finished", 169, 12)


def test_views_answer_the_common_questions(sample_db: Path) -> None:
    ro = ReadOnly(sample_db)
    assert ro.run("SELECT version FROM current_model")[1] == [(VERSION,)]
    shares = dict(
        ((g, f), (n, k))
        for g, f, n, k in ro.run(
            'SELECT "group", frame, relevant_articles, with_frame FROM frame_shares'
        )[1]
    )
    western = ro.run(
        "SELECT count(*), sum(instr(frames, '\"crackdown\"') > 0) FROM article_labels"
        " WHERE \"group\" = 'western' AND relevant = 1"
    )[1][0]
    assert shares["western", "crackdown"] == western
    tones = ro.run('SELECT sum(share) FROM tone_shares GROUP BY "group"')[1]
    assert all(abs(t[0] - 1) < 1e-3 for t in tones)
    evidence = ro.run("SELECT frame, passage, url FROM evidence WHERE frame = 'fairness'")[1]
    assert evidence
    assert all(passage and url.startswith("http://") for _, passage, url in evidence)

"""framegap serve: Datasette started for real on a free loopback port; its JSON API answers a
faceted table request, full-text searches and every stored query, and refuses writes."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from query.datasette import TABLES, canned_queries, metadata
from query.readonly import ReadOnly
from tests.conftest import free_port, wait_for_http
from tests.query.conftest import snapshot

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log_path = tmp_path_factory.mktemp("datasette") / "log.txt"
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "framegap.py"),
            "serve",
            "--db",
            str(sample_db),
            "--port",
            str(port),
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for_http(f"{base}/-/versions.json", process, log_path)
    try:
        yield f"{base}/{sample_db.stem}"
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def _get(url: str, **params: Any) -> Any:
    query = urllib.parse.urlencode(params, doseq=True)
    with urllib.request.urlopen(f"{url}?{query}", timeout=30) as response:
        return json.loads(response.read())


def test_faceted_table(server: str) -> None:
    data = _get(
        f"{server}/article_labels.json",
        _facet=["group", "tone", "month"],
        _facet_array="frames",
        relevant=1,
        _size=0,
    )
    facets = data["facet_results"]
    groups = {row["value"]: row["count"] for row in facets["group"]["results"]}
    assert sum(groups.values()) == data["filtered_table_rows_count"] == 133
    assert set(groups) == {"western", "chinese", "hongkong"}
    frames = {row["value"] for row in facets["frames"]["results"]}
    assert {"crackdown", "fairness", "real_economy"} <= frames


def test_default_facets_come_from_the_metadata(server: str) -> None:
    data = _get(f"{server}/article_labels.json", _size=0)
    assert {"group", "outlet", "tone", "language", "month", "frames"} <= set(data["facet_results"])


@pytest.mark.parametrize(("term", "minimum"), [("限薪", 5), ("clawback", 5), ("精英", 3)])
def test_full_text_search(server: str, sample_db: Path, term: str, minimum: int) -> None:
    data = _get(f"{server}/articles.json", _search=term, _col="title", _shape="objects", _size=200)
    ids = {row["id"] for row in data["rows"]}
    containing = {
        r[0]
        for r in ReadOnly(sample_db).run(
            "SELECT id FROM articles WHERE instr(lower(title || ' ' || text), ?) > 0", [term]
        )[1]
    }
    assert len(ids) >= minimum
    assert ids <= containing  # every hit has the term (English: also its inflections)
    if not term.isascii():
        assert ids == containing


@pytest.mark.parametrize("name", list(canned_queries()))
def test_every_stored_query_answers(server: str, name: str) -> None:
    params = {"frame": "fairness", "group": "chinese"} if name == "evidence_by_frame" else {}
    rows = _get(f"{server}/{name}.json", _shape="array", **params)
    assert rows, name
    if name.startswith("claim_") and name != "claim_6_quant_to_ai":
        assert {r["group"] for r in rows} == {"western", "chinese", "hongkong"}
        assert all(0 <= r["share"] <= 1 and r["relevant_articles"] > 0 for r in rows)
    if name == "claim_6_quant_to_ai":
        periods = {r["period"]: r["share"] for r in rows}
        assert periods["after"] > periods["before"]  # the sample data tells that story
    if name == "evidence_by_frame":
        assert {(r["frame"], r["group"]) for r in rows} == {("fairness", "chinese")}


def test_writes_through_datasette_are_refused(server: str, sample_db: Path) -> None:
    before = snapshot(sample_db)
    request = urllib.request.Request(
        f"{server}.json?" + urllib.parse.urlencode({"sql": "DELETE FROM outlets"})
    )
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=30)
    assert snapshot(sample_db) == before


def test_metadata_describes_every_table_and_column(sample_db: Path) -> None:
    ro = ReadOnly(sample_db)
    names = [
        r[0]
        for r in ro.run(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
            " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'articles_fts_%'"
            " AND name != '_sqlite_migrations'"
        )[1]
    ]
    tables = metadata("framegap")["databases"]["framegap"]["tables"]
    for name in names:
        assert tables[name]["description"], name
        columns = [r[1] for r in ro.run(f"PRAGMA table_info([{name}])")[1]]
        assert set(columns) == set(TABLES[name][1]), name
        assert all(TABLES[name][1][c] for c in columns)
    assert tables["_sqlite_migrations"] == {"hidden": True}


def test_datasette_answers_while_a_writer_holds_the_database(server: str, sample_db: Path) -> None:
    import sqlite3

    writer = sqlite3.connect(sample_db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE outlets SET name = name")
    try:
        rows = _get(f"{server}/claim_1_harmful_move.json", _shape="array")
        assert len(rows) == 6
    finally:
        writer.execute("ROLLBACK")
        writer.close()

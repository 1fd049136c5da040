"""framegap query: read-only SQL with parameters, a time limit and four output formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from query.output import table, write
from query.readonly import QueryError, ReadOnly
from tests.crawler.test_crawl_e2e import run_cli
from tests.query.conftest import snapshot

WRITES = [
    "INSERT INTO annotations (article_id, annotator, created) VALUES ('a', 'b', 'c')",
    "UPDATE articles SET title = 'changed'",
    "DELETE FROM outlets",
    "DROP VIEW evidence",
    "CREATE TABLE scratch (x)",
    "CREATE TEMP TABLE scratch (x)",
    "ATTACH DATABASE 'other.db' AS other",
    "PRAGMA journal_mode = DELETE",
    "PRAGMA user_version = 7",
    "VACUUM",
    "BEGIN",
    "REPLACE INTO outlets (slug) VALUES ('x')",
    "WITH x AS (SELECT 1) INSERT INTO annotations (article_id, annotator, created) "
    "SELECT 'a', 'b', 'c' FROM x",
]


@pytest.mark.parametrize("sql", WRITES)
def test_writes_are_refused_and_nothing_changes(sample_db: Path, sql: str) -> None:
    before = snapshot(sample_db)
    ro = ReadOnly(sample_db)
    with pytest.raises(QueryError, match=r"^refused: .*framegap query only reads"):
        ro.run(sql)
    ro.close()
    assert snapshot(sample_db) == before
    assert not (sample_db.parent / "other.db").exists()


def test_reads_pragmas_and_named_parameters(sample_db: Path) -> None:
    ro = ReadOnly(sample_db)
    columns, rows = ro.run(
        'SELECT count(*) AS n FROM article_labels WHERE "group" = :g AND relevant = 1',
        {"g": "western"},
    )
    assert columns == ["n"]
    assert rows[0][0] > 0
    assert ro.run("PRAGMA table_info(articles)")[1][0][1] == "id"
    with pytest.raises(QueryError, match="binding parameter :g"):
        ro.run("SELECT :g")
    with pytest.raises(QueryError, match="no such table"):
        ro.run("SELECT * FROM nowhere")


def test_a_runaway_query_is_stopped(sample_db: Path) -> None:
    ro = ReadOnly(sample_db, timeout=0.5)
    with pytest.raises(QueryError, match=r"stopped after 0.5 s"):
        ro.run(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
        )


def test_formats() -> None:
    columns, rows = ["a", "b"], [(1, "限薪"), (2, None)]
    out = io.StringIO()
    write(columns, rows, "csv", out)
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["a", "b"], ["1", "限薪"], ["2", ""]]
    out = io.StringIO()
    write(columns, rows, "json", out)
    assert json.loads(out.getvalue()) == [{"a": 1, "b": "限薪"}, {"a": 2, "b": None}]
    out = io.StringIO()
    write(columns, rows, "jsonl", out)
    assert [json.loads(line) for line in out.getvalue().splitlines()] == [
        {"a": 1, "b": "限薪"},
        {"a": 2, "b": None},
    ]


def test_table_fits_the_terminal_counting_wide_characters() -> None:
    text = table(["id", "title"], [(1, "金融业限薪政策" * 20), (2, "short")], width=40)
    lines = text.splitlines()
    assert all(sum(2 if "\u4e00" <= ch <= "\u9fff" else 1 for ch in line) <= 40 for line in lines)
    assert "…" in lines[2]
    assert lines[-1] == "(2 rows)"


def test_command_refuses_a_write_in_one_line(sample_db: Path) -> None:
    result = run_cli("query", "DELETE FROM articles", "--db", str(sample_db))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Error: refused: DELETE on articles. framegap query only reads; use sqlite3 on a copy "
        "to change data"
    ]
    result = run_cli(
        "query",
        'SELECT slug FROM outlets WHERE "group" = :g ORDER BY slug',
        "-p",
        "g",
        "hongkong",
        "--format",
        "jsonl",
        "--db",
        str(sample_db),
    )
    assert result.returncode == 0, result.stderr
    assert [json.loads(x)["slug"] for x in result.stdout.splitlines()] == [
        "victoria-post",
        "xiangjiang-ribao",
    ]


def test_command_on_a_missing_database(tmp_path: Path) -> None:
    result = run_cli("query", "SELECT 1", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 1
    assert "no database at" in result.stderr
    assert "Traceback" not in result.stderr

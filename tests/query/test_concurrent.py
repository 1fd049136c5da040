"""Readers (report, search, query, the report command) work while a writer holds the database
in the middle of a transaction, as a crawl or a classification does (WAL: readers never wait)."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

from db import open_db
from query.readonly import ReadOnly
from query.search import Filters, search
from reports.build import build
from tests.crawler.test_crawl_e2e import run_cli


def test_readers_while_a_write_transaction_is_open(sample_db: Path, tmp_path: Path) -> None:
    db_path = tmp_path / "busy.db"
    shutil.copy(sample_db, db_path)
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # the write lock, held as a crawl's insert holds it
    writer.execute(
        "INSERT INTO annotations (article_id, annotator, created)"
        " SELECT id, 'writer', 'now' FROM articles LIMIT 1"
    )
    try:
        started = time.monotonic()
        ro = ReadOnly(db_path, timeout=10)
        _, rows = search(ro, "限薪", Filters(), limit=5)
        assert rows
        assert ro.run("SELECT count(*) FROM article_labels")[1][0][0] == 169
        ro.close()
        report = build(open_db(db_path, read_only=True))
        assert report["relevant_articles"] > 100
        result = run_cli("report", "--db", str(db_path), "--out", str(tmp_path / "report"))
        assert result.returncode == 0, result.stderr[-2000:]
        assert time.monotonic() - started < 60  # nobody waited out a busy timeout
        # the uncommitted row is invisible to readers
        assert ReadOnly(db_path).run("SELECT count(*) FROM annotations")[1][0][0] == 0
    finally:
        writer.execute("ROLLBACK")
        writer.close()

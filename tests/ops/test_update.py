"""framegap update for real on the sample sites with the tiny model: a full cycle, the lock,
and SIGKILL in the middle of a crawl and of classification, after which the next update
finishes the work without duplicates. A reader works while the crawl writes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from classifier.model import Model
from db.lock import acquire, lock_path, release
from ops.update import FLAGGED, LOCKED, OK
from query.readonly import ReadOnly
from query.search import Filters, search

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = 169  # the sample sites' articles (tests/crawler/test_crawl_e2e.py checks them)
pytestmark = [pytest.mark.network, pytest.mark.slow]


def _framegap(*args: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "framegap.py"), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: SIGKILL reaches its workers too
        **kwargs,  # type: ignore[arg-type]
    )


def _run(*args: str) -> tuple[int, str]:
    process = _framegap(*args)
    out, _ = process.communicate(timeout=600)
    return process.returncode, out


def _count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0
    finally:
        conn.close()


def _kill_when(
    process: subprocess.Popen[str], ready: Callable[[], bool], limit: float = 120
) -> None:
    deadline = time.monotonic() + limit
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            out, _ = process.communicate(timeout=30)
            pytest.fail(f"the process ended before the kill point: {out[-2000:]}")
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    if process.stdout:
        process.stdout.close()


def _integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _no_duplicates(db: Path, model: str) -> None:
    assert _count(db, "SELECT count(*) FROM articles") == ARTICLES
    assert _count(db, "SELECT count(DISTINCT content_hash) FROM articles") == ARTICLES
    assert _count(db, "SELECT count(*) - count(DISTINCT url) FROM pages") == 0
    assert (
        _count(db, f"SELECT count(*) FROM predictions WHERE model_version = '{model}'") == ARTICLES
    )
    assert (
        _count(db, f"SELECT count(*) FROM frame_predictions WHERE model_version = '{model}'")
        == ARTICLES * 8
    )


@pytest.fixture(scope="module")
def model(tiny_model: tuple[Model, Path]) -> tuple[str, str]:
    return str(tiny_model[1]), tiny_model[0].version


def test_a_full_cycle_then_an_incremental_one(tmp_path: Path, model: tuple[str, str]) -> None:
    db = tmp_path / "f.db"
    code, out = _run("update", "--sample", "--db", str(db), "--model", model[0])
    assert code in (OK, FLAGGED), out
    assert "crawl: exit 0" in out
    assert "classify: exit 0" in out
    assert "report: exit 0" in out
    _no_duplicates(db, model[1])
    assert (tmp_path / "report" / "report.html").exists()
    assert _count(db, "SELECT count(*) FROM crawl_runs WHERE status = 'finished'") == 1
    code, out = _run("update", "--sample", "--db", str(db), "--model", model[0])
    assert code in (OK, FLAGGED), out
    assert "labelled 0 articles" in out or "nothing to label" in out
    _no_duplicates(db, model[1])
    assert _count(db, "SELECT count(*) FROM crawl_runs WHERE status = 'finished'") == 2


def test_a_second_update_exits_at_once_while_one_runs(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    lock = lock_path(db, "update")
    acquire(lock)
    try:
        started = time.monotonic()
        code, out = _run("update", "--sample", "--db", str(db))
        assert code == LOCKED
        assert "another framegap update is running (pid" in out
        assert time.monotonic() - started < 30
        assert not db.exists()  # it did nothing
    finally:
        release(lock)


def test_sigkill_mid_crawl_then_update_finishes(tmp_path: Path, model: tuple[str, str]) -> None:
    db = tmp_path / "f.db"
    crawl = _framegap("crawl", "--sample", "--db", str(db))
    stored = lambda: _count(db, "SELECT count(*) FROM articles")  # noqa: E731
    # a reader while the crawl writes: search and query answer, nothing is locked out
    _kill_when(crawl, lambda: stored() >= 10 and _reader_works(db) and stored() >= 20)
    at_kill = stored()
    assert 20 <= at_kill < ARTICLES
    assert _integrity(db) == "ok"
    assert _count(db, "SELECT count(*) FROM crawl_runs WHERE status = 'running'") == 1
    started = time.monotonic()
    code, out = _run("update", "--sample", "--db", str(db), "--model", model[0])
    assert code in (OK, FLAGGED), out
    _no_duplicates(db, model[1])
    sys.stdout.write(
        f"crash mid-crawl: {at_kill} of {ARTICLES} articles stored at SIGKILL; the next update "
        f"stored {ARTICLES - at_kill} more, 0 duplicates, in {time.monotonic() - started:.1f} s\n"
    )
    assert _count(db, "SELECT count(*) FROM crawl_runs WHERE status = 'interrupted'") == 1
    assert _count(db, "SELECT count(*) FROM crawl_runs WHERE status = 'finished'") == 1
    assert _integrity(db) == "ok"


def _reader_works(db: Path) -> bool:
    if not _count(db, "SELECT count(*) FROM articles"):
        return False
    ro = ReadOnly(db, timeout=10)
    try:
        _, rows = search(ro, "pay", Filters(), limit=5)
        count = ro.run("SELECT count(*) FROM article_labels")[1][0][0]
    finally:
        ro.close()
    return bool(rows) and count > 0


def test_sigkill_mid_classify_then_update_finishes(tmp_path: Path, model: tuple[str, str]) -> None:
    db = tmp_path / "f.db"
    code, out = _run("crawl", "--sample", "--db", str(db))
    assert code == 0, out
    classify = _framegap("classify", "--db", str(db), "--model", model[0], "--batch-size", "8")
    labelled = lambda: _count(db, "SELECT count(*) FROM predictions")  # noqa: E731
    _kill_when(classify, lambda: labelled() >= 16)
    assert 16 <= labelled() < ARTICLES
    assert _integrity(db) == "ok"
    # every stored batch is whole: each labelled article has its eight frame rows
    assert _count(db, "SELECT count(*) FROM frame_predictions") == 8 * labelled()
    at_kill = labelled()
    started = time.monotonic()
    code, out = _run("update", "--skip", "crawl", "--db", str(db), "--model", model[0])
    assert code == OK, out
    _no_duplicates(db, model[1])
    sys.stdout.write(
        f"crash mid-classify: {at_kill} of {ARTICLES} labelled at SIGKILL; the next update "
        f"labelled the other {ARTICLES - at_kill}, 0 duplicates, in "
        f"{time.monotonic() - started:.1f} s\n"
    )


def test_a_busy_crawl_lock_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    lock = lock_path(db, "crawl")
    acquire(lock)
    try:
        code, out = _run("crawl", "--sample", "--db", str(db))
    finally:
        release(lock)
    assert code == 1
    assert "another crawl is writing" in out
    assert "Traceback" not in out

"""open_db: several processes opening one new database at the same moment."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _open_together(path: str, barrier: Any, results: Any) -> None:
    from db import open_db

    barrier.wait()  # every process opens the new file at the same moment
    try:
        db = open_db(path)
        results.put(len(db.table_names()))
        db.close()
    except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
        results.put(repr(exc))


def test_processes_opening_a_new_database_at_once_do_not_collide(tmp_path: Path) -> None:
    import multiprocessing

    context = multiprocessing.get_context("fork")
    path = str(tmp_path / "new.db")
    barrier, results = context.Barrier(6), context.Queue()
    processes = [
        context.Process(target=_open_together, args=(path, barrier, results)) for _ in range(6)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert all(isinstance(o, int) and o > 5 for o in outcomes), outcomes
    assert len(set(outcomes)) == 1

"""framegap's database: the contract between the crawler, the classifier and the reports.

`open_db(path)` is the only way in. All writes live in `db.store`, all reads in `db.queries`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from db.errors import DatabaseError
from db.lock import lock_path, waiting
from db.migrations import migrations

__all__ = ["DatabaseError", "open_db"]


def open_db(path: str | Path, *, read_only: bool = False) -> Database:
    """Open (creating if needed) the database at `path`: WAL, foreign keys, migrations applied."""
    target = str(path)
    if target != ":memory:":
        file = Path(target)
        if file.is_dir():
            raise DatabaseError(f"{file} is a folder; give the path of a .db file")
        if read_only and not file.exists():
            raise DatabaseError(f"no database at {file}; run `framegap crawl` first or pass --db")
        file.parent.mkdir(parents=True, exist_ok=True)
    try:
        if read_only:
            conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True, check_same_thread=False)
        else:
            conn = sqlite3.connect(target, check_same_thread=False)
        db = Database(conn)
        db.execute("PRAGMA busy_timeout = 30000")
        db.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            if target != ":memory:":
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            if target == ":memory:":
                migrations.apply(db)
            else:  # two processes opening a new file at once must not both create its tables
                with waiting(lock_path(target, "migrate")):
                    migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"cannot open {target} as a framegap database ({exc})") from exc
    return db

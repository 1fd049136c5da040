"""A connection that cannot write, with a time limit on runaway queries.

Three locks, any one of which stops a write: the file is opened `mode=ro`, `PRAGMA query_only`
is on, and an authorizer allows only reading statements (SELECT, reading pragmas, functions).
The authorizer is what names the refused action in the error message.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

# Pragmas that only read: those that take a table or index name, and those asked without a value.
_NAMED_PRAGMAS = frozenset(
    "table_info table_xinfo index_list index_info index_xinfo foreign_key_list".split()
)
_READ_PRAGMAS = _NAMED_PRAGMAS | frozenset(
    """table_list database_list compile_options collation_list function_list module_list
    pragma_list user_version schema_version page_count page_size freelist_count encoding
    journal_mode foreign_keys query_only data_version application_id""".split()
)
_ALLOWED = {
    sqlite3.SQLITE_SELECT,
    sqlite3.SQLITE_READ,
    sqlite3.SQLITE_FUNCTION,
    33,
}  # 33: RECURSIVE
_ACTIONS = """CREATE_INDEX CREATE_TABLE CREATE_TEMP_INDEX CREATE_TEMP_TABLE CREATE_TEMP_TRIGGER
    CREATE_TEMP_VIEW CREATE_TRIGGER CREATE_VIEW DELETE DROP_INDEX DROP_TABLE DROP_TEMP_INDEX
    DROP_TEMP_TABLE DROP_TEMP_TRIGGER DROP_TEMP_VIEW DROP_TRIGGER DROP_VIEW INSERT PRAGMA
    TRANSACTION UPDATE ATTACH DETACH ALTER_TABLE REINDEX ANALYZE CREATE_VTABLE DROP_VTABLE
    SAVEPOINT""".split()
_NAMES = {
    getattr(sqlite3, f"SQLITE_{name}"): name.replace("_", " ")
    for name in _ACTIONS
    if hasattr(sqlite3, f"SQLITE_{name}")
}


class QueryError(Exception):
    """A query that cannot run; the message names the problem and the fix."""


def _upgrade(path: Path) -> None:
    """Apply pending migrations (the views come with one) when the file can be written."""
    from db import DatabaseError, open_db

    try:
        open_db(path).close()
    except (DatabaseError, sqlite3.DatabaseError):
        pass  # a read-only file or a foreign database: read it as it is


class ReadOnly:
    """A read-only connection to a framegap database."""

    def __init__(self, path: Path, timeout: float = 30.0) -> None:
        if not path.exists():
            raise QueryError(f"no database at {path}; run `framegap crawl` first or pass --db")
        _upgrade(path)
        try:
            self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            self.conn.execute("PRAGMA query_only = ON")
            self.conn.execute("PRAGMA busy_timeout = 10000")
        except sqlite3.DatabaseError as exc:
            raise QueryError(f"cannot open {path} as a database ({exc})") from None
        self.timeout = timeout
        self.refused: str | None = None
        self.deadline = 0.0
        self.conn.set_authorizer(self._authorize)
        self.conn.set_progress_handler(self._progress, 20_000)

    def _authorize(
        self, action: int, arg1: str | None, arg2: str | None, _db: str | None, _src: str | None
    ) -> int:
        if action in _ALLOWED:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master":
            return sqlite3.SQLITE_OK  # FTS5 asks this when it opens its index; mode=ro still holds
        pragma = (arg1 or "").lower()
        if action == sqlite3.SQLITE_PRAGMA and (
            pragma in _NAMED_PRAGMAS or (pragma in _READ_PRAGMAS and arg2 is None)
        ):
            return sqlite3.SQLITE_OK
        if self.refused is None:
            what = _NAMES.get(action, "a write")
            if (arg1 or "").startswith("sqlite_") and action != sqlite3.SQLITE_PRAGMA:
                what, arg1 = "a schema change (CREATE, DROP or ALTER)", None
            if action == sqlite3.SQLITE_PRAGMA:
                detail = f" {arg1}" + (f" = {arg2}" if arg2 else "")
            elif action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
                detail = f" {arg1}" if arg1 else ""
            else:
                detail = f" on {arg1}" if arg1 else ""
            self.refused = f"{what}{detail}"
        return sqlite3.SQLITE_DENY

    def _progress(self) -> int:
        return int(time.monotonic() > self.deadline)

    def run(
        self, sql: str, params: dict[str, Any] | None = None
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Column names and rows of one statement."""
        self.refused = None
        self.deadline = time.monotonic() + self.timeout
        try:
            cursor = self.conn.execute(sql, params or {})
            rows = cursor.fetchall()
        except sqlite3.DatabaseError as exc:
            raise self._explain(exc) from None
        except sqlite3.ProgrammingError as exc:
            raise QueryError(
                f"{exc}; give one statement, and -p NAME VALUE for each :name"
            ) from None
        columns = [d[0] for d in cursor.description or ()]
        return columns, rows

    def _explain(self, exc: sqlite3.DatabaseError) -> QueryError:
        message = str(exc)
        if self.refused or "not authorized" in message or "readonly" in message:
            what = self.refused or "a write"
            return QueryError(
                f"refused: {what}. framegap query only reads; use sqlite3 on a copy to change data"
            )
        if isinstance(exc, sqlite3.ProgrammingError):
            return QueryError(
                f"{message.rstrip('.')}; give one statement, and -p NAME VALUE for each :name"
            )
        if message == "interrupted":
            return QueryError(
                f"query stopped after {self.timeout:g} s; narrow it (WHERE, LIMIT) or raise "
                "--timeout"
            )
        return QueryError(f"SQL error: {message}")

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

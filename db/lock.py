"""Advisory locks beside the database file (flock): one crawl writer at a time, one `framegap
update` at a time. The operating system drops a lock when its process dies, even by SIGKILL,
so a crash never leaves a stale lock behind."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

_HELD: dict[str, IO[str]] = {}  # locks this process holds, by path


class Locked(Exception):
    """Another process holds the lock; the message says which and since when."""


def lock_path(db_path: str | Path, purpose: str) -> Path:
    """The lock file for a database and a purpose ("crawl", "update")."""
    return Path(f"{db_path}.{purpose}.lock")


def acquire(path: Path) -> None:
    """Take the lock at `path` for this process (again: no-op), or raise Locked."""
    key = str(path.resolve())
    if key in _HELD:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise Locked(holder) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}")
    handle.flush()
    _HELD[key] = handle


def release(path: Path) -> None:
    """Drop the lock at `path` if this process holds it."""
    handle = _HELD.pop(str(path.resolve()), None)
    if handle is not None:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


@contextmanager
def waiting(path: Path) -> Iterator[None]:
    """Hold the lock at `path` for a block, waiting for it if another process has it (for
    short critical sections such as applying migrations)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)

"""One incremental cycle for cron: crawl → classify what is pending → rebuild the report.

Each step runs as its own `framegap` process (a crash in one is reported, not fatal to the
others' records), under a lock beside the database so two cycles never overlap. The exit code
tells cron what happened.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from db import open_db
from db.lock import Locked, acquire, lock_path, release

OK = 0  # every step ran and no outlet was flagged
FAILED = 1  # a step failed (its output is in the log)
FLAGGED = 3  # every step ran, but the crawl monitor flagged an outlet
LOCKED = 75  # another update holds the lock (EX_TEMPFAIL: cron may simply try next time)
FRONT_DOOR = Path(__file__).resolve().parents[1] / "framegap.py"


@dataclass
class UpdateOptions:
    """What `framegap update` was asked to do."""

    db: Path
    outlets: list[str] = field(default_factory=list)
    sample: bool = False
    registry: Path | None = None
    model: str | None = None
    report_dir: Path | None = None
    skip: tuple[str, ...] = ()  # steps not to run: crawl, classify, report


@dataclass
class Outcome:
    """What a cycle did: each step's exit code and seconds, the crawl's flags, the exit code."""

    steps: dict[str, dict[str, float]] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    code: int = OK
    message: str = ""


def _commands(options: UpdateOptions) -> list[tuple[str, list[str]]]:
    db = ["--db", str(options.db)]
    crawl = ["crawl", *db]
    crawl += ["--sample"] if options.sample else []
    crawl += ["--registry", str(options.registry)] if options.registry else []
    for outlet in options.outlets:
        crawl += ["--outlet", outlet]
    classify = ["classify", *db] + (["--model", options.model] if options.model else [])
    report = ["report", *db, "--out", str(options.report_dir or options.db.parent / "report")]
    steps = [("crawl", crawl), ("classify", classify), ("report", report)]
    return [(name, args) for name, args in steps if name not in options.skip]


def update(options: UpdateOptions, log: TextIO) -> Outcome:
    """Run one cycle; never raises for a failing step (the outcome says)."""
    outcome = Outcome()
    lock = lock_path(options.db, "update")
    try:
        acquire(lock)
    except Locked as exc:
        outcome.code = LOCKED
        outcome.message = f"another framegap update is running ({exc}); this one exits"
        return outcome
    try:
        for name, args in _commands(options):
            started = time.monotonic()
            print(f"== {name}: framegap {' '.join(args)}", file=log, flush=True)
            result = subprocess.run(
                [sys.executable, str(FRONT_DOOR), *args], stdout=log, stderr=log, check=False
            )
            outcome.steps[name] = {
                "exit": result.returncode,
                "seconds": round(time.monotonic() - started, 1),
            }
            if result.returncode != 0:  # the later steps still run on what is stored
                outcome.code = FAILED
                outcome.message = f"{name} failed (exit {result.returncode}); see the log"
        if "crawl" in outcome.steps:
            outcome.flags = _latest_flags(options.db)
            if outcome.flags and outcome.code == OK:
                outcome.code = FLAGGED
                outcome.message = f"{len(outcome.flags)} outlet flag(s): " + "; ".join(
                    outcome.flags
                )
    finally:
        release(lock)
    return outcome


def _latest_flags(db_path: Path) -> list[str]:
    if not db_path.exists():
        return []
    db = open_db(db_path, read_only=True)
    try:
        row = db.execute("SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        db.close()
    return list(json.loads(row[0]).get("framegap/flags", [])) if row else []

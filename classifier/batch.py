"""Label in bulk: the database's pending articles (`classify_pending`), or a JSONL file."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from sqlite_utils import Database

from classifier.model import ArticleScores, Model
from db import store
from db.queries import count_pending, pending_articles

log = logging.getLogger(__name__)
MAX_CHARS = 200_000  # longer texts are cut here (and the output says so)


def prediction_row(article_id: str, scores: ArticleScores) -> dict[str, Any]:
    """A prediction as db.store.save_predictions takes it."""
    return {
        "article_id": article_id,
        "language": scores.language,
        "relevant": scores.relevant,
        "relevance": scores.relevance,
        "tone": scores.tone,
        "tone_scores": scores.tone_scores,
        "passages": scores.passages,
        "frame_scores": scores.frame_scores,
        "frames": scores.frames,
        "evidence": scores.evidence,
    }


def classify_pending(
    db: Database,
    model: Model,
    batch_size: int = 32,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Label every article the model has not labelled, batch by batch (each batch committed,
    so an interrupted run resumes where it stopped); returns how many were labelled."""
    store.register_model(db, model.version, model.route, model.record)
    total, done = count_pending(db, model.version), 0
    while True:
        rows = pending_articles(db, model.version, batch_size)
        if not rows:
            return done
        results = model.classify(
            [(r["title"] or "", r["text"][:MAX_CHARS], r["language"]) for r in rows]
        )
        done += store.save_predictions(
            db,
            model.version,
            [prediction_row(r["id"], s) for r, s in zip(rows, results, strict=True)],
        )
        if progress:
            progress(done, total)


@dataclass
class FileStats:
    """What classify_file did."""

    labelled: int = 0
    bad_lines: int = 0


def classify_file(
    model: Model, source: IO[str], out: IO[str], err: IO[str], batch_size: int = 32
) -> FileStats:
    """Label JSONL lines ({id, text, title?, language?}); bad lines are reported on `err` with
    their line number, and the others are still labelled."""
    stats = FileStats()
    for batch in _batches(_read(source, err, stats), batch_size):
        results = model.classify([(b["title"], b["text"], b["language"]) for b in batch])
        for item, scores in zip(batch, results, strict=True):
            out.write(json.dumps(_output(item, scores), ensure_ascii=False) + "\n")
            stats.labelled += 1
    return stats


def _read(source: IO[str], err: IO[str], stats: FileStats) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(source, 1):
        if not line.strip():
            continue
        problem, item = _parse(line)
        if problem:
            err.write(f"line {number}: {problem}; skipped\n")
            stats.bad_lines += 1
            continue
        yield item


def _parse(line: str) -> tuple[str, dict[str, Any]]:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"not JSON ({exc.msg})", {}
    if not isinstance(row, dict):
        return "not a JSON object", {}
    if "id" not in row or row["id"] in (None, ""):
        return "no id", {}
    if not isinstance(row.get("text"), str):
        return "no text (a string)", {}
    text = row["text"]
    return "", {
        "id": row["id"],
        "title": str(row.get("title") or ""),
        "text": text[:MAX_CHARS],
        "truncated": len(text) > MAX_CHARS,
        "language": row.get("language") or None,
    }


def _batches(items: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _output(item: dict[str, Any], scores: ArticleScores) -> dict[str, Any]:
    out = {
        "id": item["id"],
        "language": scores.language,
        "relevant": scores.relevant,
        "relevance": scores.relevance,
        "tone": scores.tone,
        "tone_scores": scores.tone_scores,
        "frames": scores.frames,
        "frame_scores": scores.frame_scores,
        "evidence": {f: passage for f, (passage, _) in scores.evidence.items()},
    }
    if item["truncated"]:
        out["truncated_at"] = MAX_CHARS
    return out

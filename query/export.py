"""Export articles with the current model's labels: one row per article (frames as a list) and a
long table of frame predictions (one row per article and frame, with the evidence passage)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from query.readonly import QueryError, ReadOnly

FORMATS = ("csv", "jsonl", "parquet")
ARTICLES_SQL = """
SELECT l.id, l.published, l."group", l.outlet, l.outlet_name, l.language, l.title, l.url,
    l.word_count, l.dup_cluster, l.is_sample, l.model_version, l.relevant, l.relevance, l.tone,
    l.frames{text}
FROM article_labels l{join}
WHERE (:relevant_only = 0 OR l.relevant = 1)
ORDER BY l.published, l.id
"""
FRAMES_SQL = """
SELECT f.article_id, f.model_version, f.frame, f.score, f.present, f.evidence,
    f.evidence_score
FROM frame_predictions f JOIN predictions p
    ON p.article_id = f.article_id AND p.model_version = f.model_version
WHERE f.model_version = (SELECT version FROM current_model)
    AND (:relevant_only = 0 OR p.relevant = 1)
ORDER BY f.article_id, f.frame
"""


def frames_path(out: Path) -> Path:
    """Where the long frame table goes: beside `out`, named <stem>-frames<suffix>."""
    return out.with_name(f"{out.stem}-frames{out.suffix}")


def _rows(
    ro: ReadOnly, relevant_only: bool, with_text: bool
) -> tuple[list[str], list[dict[str, Any]]]:
    sql = ARTICLES_SQL.format(
        text=", a.text" if with_text else "",
        join=" JOIN articles a ON a.id = l.id" if with_text else "",
    )
    columns, rows = ro.run(sql, {"relevant_only": int(relevant_only)})
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    for record in records:
        record["frames"] = json.loads(record["frames"]) if record["frames"] else []
    return columns, records


def export(
    ro: ReadOnly, out: Path, fmt: str, relevant_only: bool = False, with_text: bool = False
) -> tuple[int, int]:
    """Write the articles to `out` and the frame table beside it; (articles, frame rows)."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    columns, articles = _rows(ro, relevant_only, with_text)
    frame_columns, frame_rows = ro.run(FRAMES_SQL, {"relevant_only": int(relevant_only)})
    frames = [dict(zip(frame_columns, row, strict=True)) for row in frame_rows]
    out.parent.mkdir(parents=True, exist_ok=True)
    for path, cols, records in (
        (out, columns, articles),
        (frames_path(out), frame_columns, frames),
    ):
        if fmt == "csv":
            _csv(path, cols, records)
        elif fmt == "jsonl":
            with path.open("w", encoding="utf-8") as handle:
                handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        else:
            _parquet(path, cols, records)
    return len(articles), len(frames)


def _csv(path: Path, columns: list[str], records: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for record in records:
            writer.writerow(
                [
                    json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
                    for v in record.values()
                ]
            )


def _parquet(path: Path, columns: list[str], records: list[dict[str, Any]]) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - installed by make
        raise QueryError("parquet needs pyarrow; run make, or choose --format csv") from None
    types = {"frames": pa.list_(pa.string())}
    table = pa.table({c: pa.array([r[c] for r in records], type=types.get(c)) for c in columns})
    pq.write_table(table, path)


def read_back(path: Path, fmt: str) -> Iterator[dict[str, Any]]:
    """Read an export (tests and notebooks): rows as dicts, frames as lists."""
    if fmt == "jsonl":
        with path.open(encoding="utf-8") as handle:
            yield from (json.loads(line) for line in handle)
    elif fmt == "csv":
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                yield {k: json.loads(v) if k == "frames" else v for k, v in row.items()}
    else:
        import pyarrow.parquet as pq

        yield from pq.read_table(path).to_pylist()

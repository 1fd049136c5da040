"""Rows out: a table that fits the terminal, CSV, JSON or JSON lines."""

from __future__ import annotations

import csv
import json
import shutil
import unicodedata
from collections.abc import Sequence
from typing import Any, TextIO

FORMATS = ("table", "csv", "json", "jsonl")


def _width(text: str) -> int:
    """Display width: East Asian wide characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cut(text: str, width: int) -> str:
    if _width(text) <= width:
        return text + " " * (width - _width(text))
    out, used = "", 0
    for ch in text:
        w = _width(ch)
        if used + w > width - 1:
            break
        out, used = out + ch, used + w
    return out + "…" + " " * (width - used - 1)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, float):
        return f"{value:.4g}"
    return " ".join(str(value).split())


def table(columns: Sequence[str], rows: Sequence[Sequence[Any]], width: int | None = None) -> str:
    """Aligned columns; the widest are cut (with …) until the table fits `width`."""
    width = width or shutil.get_terminal_size((120, 24)).columns
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [
        max([_width(c), *(_width(r[i]) for r in cells)]) if cells else _width(c)
        for i, c in enumerate(columns)
    ]
    widths = _fit(widths, width - 3 * (len(columns) - 1))
    lines = [" │ ".join(_cut(c, w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("─┼─".join("─" * w for w in widths))
    lines += [
        " │ ".join(_cut(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _fit(natural: list[int], budget: int) -> list[int]:
    """Column widths within `budget`: narrow columns keep their width, the wide ones share
    what is left equally (never under 6)."""
    if sum(natural) <= budget:
        return natural
    widths, wide = list(natural), set(range(len(natural)))
    while wide:
        share = max(
            6, (budget - sum(natural[i] for i in range(len(natural)) if i not in wide)) // len(wide)
        )
        narrow = {i for i in wide if natural[i] <= share}
        if not narrow:
            for i in wide:
                widths[i] = share
            break
        wide -= narrow
    return widths


def _jsonable(value: Any) -> Any:
    return f"<{len(value)} bytes>" if isinstance(value, bytes) else value


def write(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, out: TextIO) -> None:
    """Write rows in one of FORMATS."""
    if fmt == "table":
        out.write(table(columns, rows))
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_jsonable(v) for v in row] for row in rows])
    elif fmt == "json":
        records = [dict(zip(columns, map(_jsonable, row), strict=True)) for row in rows]
        out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "jsonl":
        for row in rows:
            record = dict(zip(columns, map(_jsonable, row), strict=True))
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")

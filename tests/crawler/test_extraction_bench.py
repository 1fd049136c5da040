"""Quality gate: crawler.extract's F1 on ../shared/extraction-bench stays at its pinned floor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.extraction import DEFAULT_BENCH, load_bench, score
from crawler.extract import extract

FLOOR_FILE = Path(__file__).resolve().parents[2] / "bench" / "extraction_floor.json"


def test_f1_stays_at_the_pinned_floor() -> None:
    if not (DEFAULT_BENCH / "ground-truth.json").is_file():
        pytest.skip(f"extraction bench not found at {DEFAULT_BENCH}")
    floor = json.loads(FLOOR_FILE.read_text(encoding="utf-8"))["f1"]
    pages = load_bench(DEFAULT_BENCH)
    result = score([p.expected for p in pages], [extract(p.html, p.url).text for p in pages])
    assert result.f1 >= floor, f"F1 {result.f1:.4f} fell below the pinned floor {floor}"

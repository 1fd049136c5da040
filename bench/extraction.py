"""Article-extraction quality and speed: crawler.extract against plain trafilatura.

Scores each extractor on ../shared/extraction-bench with the benchmark's own rule (4-word
shingles of \\w+ words, counts normalised per page; precision averaged over pages with output,
recall over all pages, F1 from the two averages) and times it (pages/s, best of N passes).

    .venv/bin/python bench/extraction.py [--bench DIR] [--json PATH] [--passes N] [--pages]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from the repository root
    sys.path.insert(0, str(ROOT))

DEFAULT_BENCH = ROOT.parent / "shared" / "extraction-bench"
TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class BenchPage:
    """One benchmark page: its id, URL, raw HTML and expected article body."""

    id: str
    url: str
    html: bytes
    expected: str


@dataclass(frozen=True)
class Score:
    """Benchmark figures for one extractor."""

    f1: float
    precision: float
    recall: float
    pages: int
    pages_with_output: int


def load_bench(directory: Path) -> list[BenchPage]:
    """Read the ground truth and the gzipped pages (kept out of any timing)."""
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        BenchPage(
            page_id,
            item.get("url", ""),
            gzip.decompress((directory / "html" / f"{page_id}.html.gz").read_bytes()),
            item.get("articleBody") or "",
        )
        for page_id, item in sorted(truth.items())
    ]


def shingles(text: str, size: int = 4) -> Counter[str]:
    """Overlapping ``size``-word sequences of \\w+ words (a shorter text gives one shingle)."""
    tokens = TOKEN.findall(text or "")
    return Counter(
        " ".join(tokens[i : i + size]) for i in range(max(1, len(tokens) - size + 1)) if tokens
    )


def page_counts(expected: str, extracted: str) -> tuple[int, int, int]:
    """True positive, false positive and false negative shingle counts for one page."""
    truth, found = shingles(expected), shingles(extracted)
    tp = sum((truth & found).values())
    return tp, sum(found.values()) - tp, sum(truth.values()) - tp


def page_scores(expected: str, extracted: str) -> tuple[float | None, float]:
    """Per-page precision (None for empty output) and recall."""
    tp, fp, fn = page_counts(expected, extracted)
    precision = tp / (tp + fp) if tp + fp else None
    return precision, tp / (tp + fn) if tp + fn else 0.0


def score(expected: Sequence[str], extracted: Sequence[str | None]) -> Score:
    """Average precision over pages with output and recall over all pages, then F1."""
    pairs = [page_scores(e, x or "") for e, x in zip(expected, extracted, strict=True)]
    precisions = [p for p, _ in pairs if p is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(r for _, r in pairs) / len(pairs) if pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(f1, precision, recall, len(pairs), len(precisions))


def extractors() -> dict[str, Callable[[BenchPage], str | None]]:
    """The extractors compared, by the name printed in the table."""
    import trafilatura

    from crawler.extract import extract

    return {
        "framegap crawler.extract": lambda page: extract(page.html, page.url).text,
        "trafilatura": lambda page: trafilatura.extract(page.html),
        "trafilatura favor_precision": lambda page: trafilatura.extract(
            page.html, favor_precision=True
        ),
    }


def run(pages: list[BenchPage], passes: int) -> dict[str, tuple[Score, float, list[str | None]]]:
    """Score and time every extractor; passes are interleaved so drift hits all alike."""
    named = extractors()
    best = dict.fromkeys(named, float("inf"))
    outputs: dict[str, list[str | None]] = {}
    for _ in range(passes):
        for name, extractor in named.items():
            start = time.perf_counter()
            outputs[name] = [extractor(page) for page in pages]
            best[name] = min(best[name], time.perf_counter() - start)
    expected = [page.expected for page in pages]
    return {
        name: (score(expected, outputs[name]), len(pages) / best[name], outputs[name])
        for name in named
    }


def main(argv: list[str] | None = None) -> int:
    """Print the table (and write --json); exit 1 with one line if the bench is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH, help="benchmark folder")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--passes", type=int, default=3, help="timed passes (best is kept)")
    parser.add_argument("--pages", action="store_true", help="print our per-page scores")
    args = parser.parse_args(argv)
    if not (args.bench / "ground-truth.json").is_file():
        print(f"extraction bench not found at {args.bench} (use --bench DIR)", file=sys.stderr)
        return 1
    pages = load_bench(args.bench)
    results = run(pages, max(1, args.passes))
    ours, base = "framegap crawler.extract", "trafilatura"
    print(f"{len(pages)} pages, best of {max(1, args.passes)} passes")
    print(f"{'extractor':<30} {'F1':>6} {'prec':>6} {'recall':>6} {'pages/s':>8}")
    for name, (result, speed, _) in results.items():
        print(
            f"{name:<30} {result.f1:6.3f} {result.precision:6.3f} {result.recall:6.3f} {speed:8.1f}"
        )
    ratio = results[ours][1] / results[base][1]
    print(f"speed of ours / plain trafilatura: {ratio:.2f}")
    if args.pages:
        for page, text in zip(pages, results[ours][2], strict=True):
            precision, recall = page_scores(page.expected, text or "")
            shown = "  -  " if precision is None else f"{precision:.3f}"
            print(f"{page.id[:12]} P {shown} R {recall:.3f} {page.url[:70]}")
    if args.json:
        figures = {
            name: {**asdict(result), "pages_per_s": round(speed, 2)}
            for name, (result, speed, _) in results.items()
        }
        args.json.write_text(
            json.dumps(
                {
                    "bench": str(args.bench),
                    "pages": len(pages),
                    "passes": args.passes,
                    "extractors": figures,
                    "speed_ratio": round(ratio, 3),
                },
                indent=2,
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

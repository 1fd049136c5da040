"""Report speed and memory on a large generated database (issue 4's goal: 100,000 articles from
60 outlets in under 60 s, under 2 GiB peak).

Generates a database that follows db/'s schema: 60 fictional outlets (24 western, 24 chinese,
12 hongkong; `.test` domains, marked as sample), articles of 6-10 paragraphs drawn from the sample
sites' own paragraphs in each outlet's language, a skewed number of articles per outlet, 3%
near-duplicates, and predictions with tone, frames and evidence. Then, each in a fresh process:

- baseline: reading the labelled articles the report needs (one query, no statistics);
- report: `framegap report`'s whole job (build, then report.md, report.json, report.html).

    .venv/bin/python bench/report.py [--articles 100000] [--outlets 60] [--db PATH] [--keep]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VERSION = "bench-model"


def _paragraphs() -> dict[str, list[str]]:
    from crawler.sample.site import load_sites

    pools: dict[str, list[str]] = {"en": [], "zh": []}
    for _, article in load_sites().all_articles():
        for paragraph in article.paragraphs:
            pools["en" if paragraph.isascii() else "zh"].append(paragraph)
    return pools


def generate(path: Path, articles: int, outlets: int, seed: int = 7) -> None:
    """Write the benchmark database at `path`."""
    from db import open_db
    from db.codebook import FRAMES, TONES
    from db.text import article_id, content_hash

    rng = random.Random(seed)
    open_db(path).close()
    pools = _paragraphs()
    groups = ["western"] * (outlets * 2 // 5) + ["chinese"] * (outlets * 2 // 5)
    groups += ["hongkong"] * (outlets - len(groups))
    outlet_rows = []
    for i, group in enumerate(groups):
        language = "en" if group == "western" or i % 3 == 0 else "zh"
        outlet_rows.append((f"bench-{i:02d}", f"Bench Outlet {i:02d}", group, language))
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(outlet_rows))]  # a few prolific outlets
    rng.shuffle(weights)
    now = "2026-01-01T00:00:00Z"
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            'INSERT INTO outlets (slug, name, "group", country, language, ownership,'
            " homepage, timezone, is_sample, updated)"
            " VALUES (?, ?, ?, 'XX', ?, 'commercial', ?, 'UTC', 1, ?)",
            [(s, n, g, lang, f"http://{s}.test/", now) for s, n, g, lang in outlet_rows],
        )
        conn.execute(
            "INSERT INTO models (version, created, encoders, record) VALUES (?, ?, '{}', '{}')",
            [VERSION, now],
        )
        negative_rate = {"western": 0.45, "chinese": 0.08, "hongkong": 0.25}
        frame_rate = {"western": 0.3, "chinese": 0.2, "hongkong": 0.25}
        batch_a, batch_p, batch_f = [], [], []
        ids: list[str] = []
        for n in range(articles):
            slug, _, group, language = rng.choices(outlet_rows, weights)[0]
            text = "\n\n".join(rng.choices(pools[language], k=rng.randint(6, 10)))
            url = f"http://{slug}.test/a/{n}"
            aid = article_id(url)
            cluster = rng.choice(ids) if ids and rng.random() < 0.03 else aid
            ids.append(aid)
            published = (
                f"{rng.randint(2021, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            )
            batch_a.append(
                (aid, url, url, slug, f"Article {n}", published, language, text,
                 json.dumps(text.split("\n\n")), len(text.split()), content_hash(text), cluster,
                 1.0, 1, now, now)
            )  # fmt: skip
            relevant = rng.random() < 0.75
            tone = None
            if relevant:
                tone = "negative" if rng.random() < negative_rate[group] else rng.choice(TONES[1:])
            batch_p.append(
                (aid, VERSION, language, int(relevant), 0.9 if relevant else 0.1, tone, 3, now)
            )
            for frame in FRAMES:
                present = relevant and rng.random() < frame_rate[group]
                evidence = text.split("\n\n")[0] if present else None
                batch_f.append(
                    (aid, VERSION, frame, rng.random(), int(present), evidence,
                     rng.random() if present else None)
                )  # fmt: skip
            if len(batch_a) == 5000 or n == articles - 1:
                conn.executemany(
                    "INSERT INTO articles (id, url, canonical_url, outlet, title, published,"
                    " language, text, paragraphs, word_count, content_hash, dup_cluster,"
                    " topic_score, topic_match, first_seen, last_seen, is_sample)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                    batch_a,
                )
                conn.executemany(
                    "INSERT INTO predictions (article_id, model_version, language, relevant,"
                    " relevance, tone, passages, classified) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    batch_p,
                )
                conn.executemany(
                    "INSERT INTO frame_predictions (article_id, model_version, frame, score,"
                    " present, evidence, evidence_score) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    batch_f,
                )
                batch_a, batch_p, batch_f = [], [], []
    conn.close()


def child(db_path: Path, system: str) -> None:
    """Measure one system in this process; print JSON."""
    from db import open_db
    from db.queries import labelled_articles

    db = open_db(db_path, read_only=True)
    started = time.perf_counter()
    if system == "baseline":
        count = len(labelled_articles(db, VERSION))
    else:
        from reports.build import build
        from reports.render import to_html, to_json, to_markdown

        numbers = build(db)
        out = Path(tempfile.mkdtemp())
        (out / "report.json").write_text(to_json(numbers), encoding="utf-8")
        (out / "report.md").write_text(to_markdown(numbers), encoding="utf-8")
        (out / "report.html").write_text(to_html(numbers), encoding="utf-8")
        count = numbers["relevant_articles"]
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"system": system, "articles": count, "seconds": round(seconds, 2),
                      "peak_mb": round(peak, 1)}))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--outlets", type=int, default=60)
    parser.add_argument("--db", type=Path, help="reuse (or keep) the generated database here")
    parser.add_argument("--child", nargs=2, metavar=("DB", "SYSTEM"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), args.child[1])
        return
    folder = None if args.db else tempfile.TemporaryDirectory()
    db_path = args.db or Path(folder.name) / "bench.db"  # type: ignore[union-attr]
    if not db_path.exists():
        started = time.perf_counter()
        generate(db_path, args.articles, args.outlets)
        size = db_path.stat().st_size / 2**20
        print(
            f"generated {args.articles} articles from {args.outlets} outlets in "
            f"{time.perf_counter() - started:.1f} s ({size:.0f} MB)"
        )
    results = []
    for system in ("baseline", "report"):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(db_path), system],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            sys.exit(f"{system} failed: {out.stderr[-2000:]}")
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{'system':<10}{'relevant':>10}{'seconds':>9}{'peak MB':>9}")
    for r in results:
        print(f"{r['system']:<10}{r['articles']:>10}{r['seconds']:>9}{r['peak_mb']:>9}")
    report = results[1]
    print(
        f"report: {report['seconds']} s (goal < 60), peak {report['peak_mb']} MB (goal < 2048); "
        f"{report['seconds'] / max(results[0]['seconds'], 0.01):.1f}x the time to read the data"
    )
    if folder:
        folder.cleanup()


if __name__ == "__main__":
    main()

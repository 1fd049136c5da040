"""Classification speed and memory: articles per second on this machine, English and Chinese.

Builds 1,000 articles of about 600 words (English) or 1,000 characters (Chinese) from the sample
sites' paragraphs, labels them with the default model (or each --model given), and reports
articles/s and peak memory for each language and model, each in a fresh process, beside the
keyword baseline on the same texts in the same run. Goal (issue 3): at least 20 English
articles/s.

    .venv/bin/python bench/classify.py [--articles 1000] [--model VERSION ...] [--json out.json]
    .venv/bin/python bench/classify.py --model default --model fast    # both committed models
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def corpus(language: str, count: int, seed: int = 11) -> list[tuple[str, str, str | None]]:
    """`count` articles in one language, paragraphs shuffled from the sample sites."""
    from crawler.sample.site import load_sites

    zh = language == "zh"
    paragraphs = [
        p for _, a in load_sites().all_articles() for p in a.paragraphs if (not p.isascii()) == zh
    ]
    rng, articles = random.Random(seed), []
    for n in range(count):
        picked: list[str] = []
        while (sum(len(p) for p in picked) if zh else sum(len(p.split()) for p in picked)) < (
            1000 if zh else 600
        ):
            picked.append(rng.choice(paragraphs))
        articles.append((f"Article {n}", "\n\n".join(picked), None))
    return articles


def child(language: str, count: int, model_name: str | None, system: str) -> None:
    """Measure one language and one system in this process; print JSON."""
    texts = corpus(language, count)
    version = "keywords"
    if system == "model":
        from classifier import registry

        model = registry.load(model_name)
        version = model.version
        model.classify(texts[:4])  # load the encoders before timing
        started = time.perf_counter()
        for i in range(0, len(texts), 32):
            model.classify(texts[i : i + 32])
    else:
        from classifier.baseline import baseline_scores

        started = time.perf_counter()
        for title, text, _ in texts:
            baseline_scores(title, text)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "language": language,
                "system": system,
                "model": version,
                "articles": count,
                "seconds": round(seconds, 2),
                "per_s": round(count / seconds, 2),
                "peak_mb": round(peak, 1),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument(
        "--model",
        action="append",
        help="a model version or folder, default or fast (repeat to compare several)",
    )
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", nargs=2, metavar=("LANG", "SYSTEM"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.articles, args.model[0] if args.model else None, args.child[1])
        return
    models: list[str | None] = list(args.model) if args.model else [None]
    results = []
    for language in ("en", "zh"):
        for model in [*models, "keywords"]:
            system = "keywords" if model == "keywords" else "model"
            command = [
                sys.executable,
                __file__,
                "--articles",
                str(args.articles),
                "--child",
                language,
                system,
            ]
            if system == "model" and model:
                command += ["--model", model]
            out = subprocess.run(command, capture_output=True, text=True, check=False)
            if out.returncode != 0:
                sys.exit(f"{language}/{model or 'default'} failed: {out.stderr[-2000:]}")
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{'language':<10}{'model':<44}{'articles':>9}{'seconds':>9}{'art/s':>8}{'peak MB':>9}")
    for r in results:
        print(
            f"{r['language']:<10}{r['model']:<44}{r['articles']:>9}{r['seconds']:>9}"
            f"{r['per_s']:>8}{r['peak_mb']:>9}"
        )
    for r in results:
        if r["language"] == "en" and r["system"] == "model":
            print(f"English articles/s, {r['model']}: {r['per_s']} (goal >= 20)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

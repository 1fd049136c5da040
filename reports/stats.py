"""The report's statistics, pure and small: shares with outlet-level bootstrap intervals,
differences between groups, verdicts, and log-odds with an informative Dirichlet prior.

Articles of one outlet are not independent, so intervals resample outlets (a cluster
bootstrap): a prolific outlet cannot decide a group's figure on its own.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

BOOTSTRAP = 2000  # resamples per interval
LEVEL = 0.95  # interval coverage
MIN_ARTICLES = 20  # a group figure needs at least this many articles ...
MIN_OUTLETS = 3  # ... from at least this many outlets, or the verdict is "too thin to say"


@dataclass(frozen=True)
class Estimate:
    """A share (or a difference of shares) with its interval and what it rests on."""

    value: float | None
    low: float | None
    high: float | None
    n_articles: int
    n_outlets: int


def _outlet_totals(rows: Sequence[tuple[str, bool]]) -> tuple[np.ndarray, np.ndarray]:
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for outlet, hit in rows:
        totals[outlet] += 1
        hits[outlet] += int(hit)
    outlets = sorted(totals)
    return (
        np.array([hits[o] for o in outlets], dtype=float),
        np.array([totals[o] for o in outlets], dtype=float),
    )


def _resampled_shares(
    rows: Sequence[tuple[str, bool]], rng: np.random.Generator, times: int
) -> np.ndarray:
    hits, totals = _outlet_totals(rows)
    picks = rng.integers(0, len(totals), size=(times, len(totals)))
    return hits[picks].sum(axis=1) / totals[picks].sum(axis=1)


def share(rows: Sequence[tuple[str, bool]], seed: int = 0) -> Estimate:
    """The share of articles with a property, from (outlet, has_property) rows."""
    if not rows:
        return Estimate(None, None, None, 0, 0)
    hits, totals = _outlet_totals(rows)
    draws = _resampled_shares(rows, np.random.default_rng(seed), BOOTSTRAP)
    low, high = _interval(draws)
    return Estimate(_pooled(rows), low, high, int(totals.sum()), len(totals))


def _pooled(rows: Sequence[tuple[str, bool]]) -> float:
    return round(sum(hit for _, hit in rows) / len(rows), 4)


def difference(
    a: Sequence[tuple[str, bool]], b: Sequence[tuple[str, bool]], seed: int = 0
) -> Estimate:
    """Share in a minus share in b, each group's outlets resampled independently."""
    if not a or not b:
        return Estimate(None, None, None, len(a) + len(b), 0)
    rng = np.random.default_rng(seed)
    draws = _resampled_shares(a, rng, BOOTSTRAP) - _resampled_shares(b, rng, BOOTSTRAP)
    low, high = _interval(draws)
    n_outlets = len({outlet for outlet, _ in a}) + len({outlet for outlet, _ in b})
    return Estimate(round(_pooled(a) - _pooled(b), 4), low, high, len(a) + len(b), n_outlets)


def _interval(draws: np.ndarray) -> tuple[float, float]:
    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail])
    return round(float(low), 4), round(float(high), 4)


def verdict(diff: Estimate, a: Estimate, b: Estimate, expected_sign: int) -> str:
    """supports / contradicts / too thin to say, by the rule in RULE."""
    for group in (a, b):
        if group.n_articles < MIN_ARTICLES or group.n_outlets < MIN_OUTLETS:
            return "too thin to say"
    if diff.low is None or diff.high is None:
        return "too thin to say"
    if diff.low > 0:
        return "supports" if expected_sign > 0 else "contradicts"
    if diff.high < 0:
        return "supports" if expected_sign < 0 else "contradicts"
    return "too thin to say"


RULE = (
    f"A claim is supported when the {LEVEL:.0%} outlet-bootstrap interval of the difference "
    f"between the groups excludes zero in the claimed direction, contradicted when it "
    f"excludes zero in the other direction, and too thin to say otherwise or when a group "
    f"has fewer than {MIN_ARTICLES} articles or {MIN_OUTLETS} outlets."
)


@dataclass(frozen=True)
class WordScore:
    """A word's log-odds difference between two corpora and its z-score."""

    word: str
    delta: float
    z: float
    count_a: int
    count_b: int


def log_odds(
    counts_a: Mapping[str, int],
    counts_b: Mapping[str, int],
    prior: Mapping[str, int] | None = None,
    prior_size: float = 1000.0,
) -> list[WordScore]:
    """Monroe, Colaresi & Quinn (2008): log-odds ratio with an informative Dirichlet prior.

    The prior is the words' share in `prior` (default: both corpora together) scaled to
    `prior_size` pseudo-counts. Sorted by z, most typical of a first.
    """
    background = Counter(prior) if prior is not None else Counter(counts_a) + Counter(counts_b)
    total_background = sum(background.values())
    n_a, n_b = sum(counts_a.values()), sum(counts_b.values())
    scores = []
    for word, count in background.items():
        alpha = prior_size * count / total_background
        y_a, y_b = counts_a.get(word, 0), counts_b.get(word, 0)
        delta = math.log((y_a + alpha) / (n_a + prior_size - y_a - alpha)) - math.log(
            (y_b + alpha) / (n_b + prior_size - y_b - alpha)
        )
        variance = 1 / (y_a + alpha) + 1 / (y_b + alpha)
        scores.append(
            WordScore(word, round(delta, 4), round(delta / math.sqrt(variance), 4), y_a, y_b)
        )
    return sorted(scores, key=lambda s: (-s.z, s.word))

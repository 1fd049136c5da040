"""Report statistics against hand-computed cases."""

from __future__ import annotations

import math

from reports.stats import MIN_ARTICLES, Estimate, difference, log_odds, share, verdict


def test_share_value_counts_and_interval_contain_the_estimate() -> None:
    rows = [("a", True)] * 6 + [("a", False)] * 4 + [("b", True)] * 2 + [("b", False)] * 8
    estimate = share(rows, seed=1)
    assert estimate.value == 0.4  # 8 of 20
    assert (estimate.n_articles, estimate.n_outlets) == (20, 2)
    assert estimate.low is not None
    assert estimate.high is not None
    assert estimate.low <= 0.4 <= estimate.high
    # two outlets: resamples are aa (0.6), bb (0.2) or ab/ba (0.4), so the interval is [0.2, 0.6]
    assert (estimate.low, estimate.high) == (0.2, 0.6)


def test_one_outlet_gives_no_spread_and_a_prolific_outlet_cannot_narrow_it() -> None:
    single = share([("a", True)] * 30 + [("a", False)] * 70)
    assert (single.low, single.value, single.high) == (0.3, 0.3, 0.3)
    # outlet bootstrap: 1 prolific outlet at 0.9 and 4 small at 0.1 -> wide interval
    rows = [("big", True)] * 90 + [("big", False)] * 10
    for outlet in "cdef":
        rows += [(outlet, True)] + [(outlet, False)] * 9
    wide = share(rows, seed=3)
    assert wide.high - wide.low > 0.4  # type: ignore[operator]


def test_empty_rows_are_none_not_a_crash() -> None:
    assert share([]) == Estimate(None, None, None, 0, 0)
    assert difference([], [("a", True)]).value is None


def test_difference_and_verdict() -> None:
    west = [(f"w{i}", j < 7) for i in range(5) for j in range(10)]  # 0.7 everywhere
    china = [(f"c{i}", j < 2) for i in range(5) for j in range(10)]  # 0.2 everywhere
    diff = difference(west, china, seed=2)
    assert diff.value == 0.5
    assert (diff.low, diff.high) == (0.5, 0.5)
    a, b = share(west), share(china)
    assert verdict(diff, a, b, expected_sign=+1) == "supports"
    assert verdict(diff, a, b, expected_sign=-1) == "contradicts"
    few = share(west[: MIN_ARTICLES - 1])
    assert verdict(diff, few, b, expected_sign=+1) == "too thin to say"
    overlapping = Estimate(0.1, -0.05, 0.2, 100, 10)
    assert verdict(overlapping, a, b, expected_sign=+1) == "too thin to say"


def test_log_odds_by_hand() -> None:
    a = {"crackdown": 10, "reform": 0}
    b = {"crackdown": 0, "reform": 10}
    scores = {s.word: s for s in log_odds(a, b, prior_size=2.0)}
    # prior: each word half of the background -> alpha = 1 for both
    expected = math.log(11 / (10 + 2 - 10 - 1)) - math.log(1 / (10 + 2 - 0 - 1))
    assert math.isclose(scores["crackdown"].delta, round(expected, 4))
    assert math.isclose(scores["crackdown"].z, round(expected / math.sqrt(1 / 11 + 1 / 1), 4))
    assert scores["reform"].delta == -scores["crackdown"].delta
    assert [s.word for s in log_odds(a, b, prior_size=2.0)] == ["crackdown", "reform"]

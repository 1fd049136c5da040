"""Evaluation arithmetic, the keyword baseline and the floors gate."""

from __future__ import annotations

import json
from pathlib import Path

from classifier.baseline import baseline_scores
from classifier.data import Example
from classifier.evaluate import Scored, check_floors, metrics, prf
from classifier.model import Thresholds
from db.codebook import FRAMES, TONES


def _example(relevant: bool, tone: str | None, frames: tuple[str, ...]) -> Example:
    return Example("x", "d", "en", "wire", "", "t", relevant, tone, frames, "passage")


def test_prf_by_hand() -> None:
    pairs = [(True, True), (True, False), (False, True), (False, False), (True, True)]
    assert prf(pairs) == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667, "support": 3}
    assert prf([]) == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}


def test_metrics_score_tone_and_frames_on_gold_relevant_only() -> None:
    tones = dict.fromkeys(TONES, 0.0)
    frames = dict.fromkeys(FRAMES, 0.0)
    scored = [
        Scored(
            _example(True, "negative", ("crackdown",)),
            0.9,
            {**tones, "negative": 1.0},
            {**frames, "crackdown": 0.9},
        ),
        Scored(
            _example(True, "positive", ("fairness",)),
            0.4,
            {**tones, "neutral": 1.0},
            {**frames, "fairness": 0.2},
        ),
        Scored(
            _example(False, None, ()),
            0.8,
            {**tones, "positive": 1.0},
            {**frames, "talent_drain": 0.9},
        ),
    ]
    figures = metrics(scored, Thresholds(), "en")
    assert figures["relevance"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert figures["tone"]["confusion"]["positive"]["neutral"] == 1
    assert figures["tone"]["per_label"]["negative"]["f1"] == 1.0
    assert figures["frames"]["per_label"]["crackdown"]["f1"] == 1.0
    assert figures["frames"]["per_label"]["fairness"]["f1"] == 0.0
    assert figures["frames"]["per_label"]["talent_drain"]["support"] == 0  # not gold-relevant
    assert figures["frames"]["micro_f1"] == 0.6667


def test_floors_gate_fails_below_a_pinned_figure(tmp_path: Path) -> None:
    floors = tmp_path / "floors.json"
    floors.write_text(
        json.dumps({"groups": {"en": {"tone_macro_f1": 0.7}, "zh": {"relevance_f1": 0.5}}})
    )
    figures = {
        "relevance": {"f1": 0.9},
        "tone": {"macro_f1": 0.65},
        "frames": {"micro_f1": 0.7, "macro_f1": 0.6},
    }
    report = {"groups": {"en": {"model": figures}}}
    assert check_floors(report, floors) == [
        "en tone_macro_f1 0.65 < floor 0.7",
        "zh: no test examples to check the floors against",
    ]


def test_keyword_baseline_reads_both_languages() -> None:
    relevance, tone, frames = baseline_scores(
        "China caps banker pay",
        "The crackdown on state-backed brokerages caps pay at 2.9 "
        "million yuan, a blow that bankers fear will cause an exodus.",
    )
    assert relevance > 0.1
    assert tone["negative"] == 1.0
    assert frames["crackdown"] == 1.0
    assert frames["talent_drain"] == 1.0
    relevance, tone, frames = baseline_scores("", "券商限薪体现共同富裕，服务实体经济。")
    assert relevance > 0.1
    assert tone["positive"] == 1.0
    assert frames["fairness"] == 1.0

"""Evaluation: per language, relevance / tone / frames against the labels, the keyword baseline
beside the model, and a gate that fails when a figure drops below the pinned floors.

Tone and frames are scored on the texts whose gold label is relevant, independently of the
relevance decision (each head is measured on its own task).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classifier.baseline import RELEVANCE_THRESHOLD, baseline_scores
from classifier.data import Example
from classifier.errors import ClassifierError
from classifier.model import ArticleScores, Model, Thresholds
from db.codebook import FRAMES, TONES


@dataclass(frozen=True)
class Scored:
    """A gold example with a system's scores."""

    example: Example
    relevance: float
    tone_scores: dict[str, float]
    frame_scores: dict[str, float]
    passages: int = 1


def prf(pairs: Iterable[tuple[bool, bool]]) -> dict[str, float]:
    """Precision, recall, F1 and support of (gold, predicted) pairs."""
    tp = fp = fn = support = 0
    for gold, predicted in pairs:
        tp += gold and predicted
        fp += predicted and not gold
        fn += gold and not predicted
        support += gold
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "support": support,
    }


def metrics(scored: list[Scored], thresholds: Thresholds, group: str) -> dict[str, Any]:
    """Relevance, tone and frame figures for one language group."""

    def key(s: Scored) -> str:
        return thresholds.key(group, s.passages)

    relevance = prf(
        (s.example.relevant, s.relevance >= thresholds.for_relevance(key(s))) for s in scored
    )
    gold_relevant = [s for s in scored if s.example.relevant]
    predicted_tone = [max(s.tone_scores, key=lambda t: s.tone_scores[t]) for s in gold_relevant]
    confusion = {g: dict.fromkeys(TONES, 0) for g in TONES}
    for s, tone in zip(gold_relevant, predicted_tone, strict=True):
        confusion[s.example.tone or "neutral"][tone] += 1
    tone_per = {
        t: prf(
            (s.example.tone == t, p == t)
            for s, p in zip(gold_relevant, predicted_tone, strict=True)
        )
        for t in TONES
    }
    frame_per, micro = {}, []
    for frame in FRAMES:
        pairs = [
            (
                frame in s.example.frames,
                s.frame_scores[frame] >= thresholds.for_frame(key(s), frame),
            )
            for s in gold_relevant
        ]
        frame_per[frame] = prf(pairs)
        micro += pairs
    return {
        "n": len(scored),
        "n_relevant": len(gold_relevant),
        "relevance": relevance,
        "tone": {
            "per_label": tone_per,
            "confusion": confusion,
            "macro_f1": _mean(v["f1"] for v in tone_per.values()),
        },
        "frames": {
            "per_label": frame_per,
            "micro_f1": prf(micro)["f1"],
            "macro_f1": _mean(v["f1"] for v in frame_per.values()),
        },
    }


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return round(sum(items) / len(items), 4) if items else 0.0


def score_model(model: Model, examples: list[Example], batch: int = 64) -> list[Scored]:
    """Run the model over examples (passages and whole articles)."""
    scored = []
    for start in range(0, len(examples), batch):
        chunk = examples[start : start + batch]
        results = model.classify([(e.title, e.text, e.lang) for e in chunk])
        scored += [_scored(e, r) for e, r in zip(chunk, results, strict=True)]
    return scored


def _scored(example: Example, result: ArticleScores) -> Scored:
    return Scored(
        example, result.relevance, result.tone_scores, result.frame_scores, result.passages
    )


def score_baseline(examples: list[Example]) -> list[Scored]:
    """Run the keyword baseline over examples."""
    return [Scored(e, *baseline_scores(e.title, e.text)) for e in examples]


BASELINE_THRESHOLDS = Thresholds(
    relevance={"en": RELEVANCE_THRESHOLD, "zh": RELEVANCE_THRESHOLD}, frames={}
)


def evaluate(model: Model, examples: list[Example]) -> dict[str, Any]:
    """Figures per language group for the model and the baseline."""
    report: dict[str, Any] = {"model": model.version, "groups": {}}
    model_scores = score_model(model, examples)
    base_scores = score_baseline(examples)
    for group in ("en", "zh"):
        mine = [s for s in model_scores if s.example.language_group == group]
        theirs = [s for s in base_scores if s.example.language_group == group]
        if mine:
            report["groups"][group] = {
                "model": metrics(mine, model.thresholds, group),
                "baseline": metrics(theirs, BASELINE_THRESHOLDS, group),
            }
    return report


def headline(figures: dict[str, Any]) -> dict[str, float]:
    """The four gated figures of one system in one group."""
    return {
        "relevance_f1": figures["relevance"]["f1"],
        "tone_macro_f1": figures["tone"]["macro_f1"],
        "frames_micro_f1": figures["frames"]["micro_f1"],
        "frames_macro_f1": figures["frames"]["macro_f1"],
    }


def check_floors(report: dict[str, Any], floors_path: Path) -> list[str]:
    """Every figure below its pinned floor, as messages (empty when all pass)."""
    try:
        floors = json.loads(floors_path.read_text())
    except (OSError, ValueError) as exc:
        raise ClassifierError(f"cannot read the floors in {floors_path} ({exc})") from None
    failures = []
    for group, pinned in floors.get("groups", {}).items():
        figures = report["groups"].get(group)
        if figures is None:
            failures.append(f"{group}: no test examples to check the floors against")
            continue
        measured = headline(figures["model"])
        for name, floor in pinned.items():
            if measured.get(name, 0.0) < floor:
                failures.append(f"{group} {name} {measured.get(name)} < floor {floor}")
    return failures


def render_table(report: dict[str, Any]) -> str:
    """A plain-text table of the figures, model beside baseline, per language group."""
    lines = [f"model {report['model']}"]
    for group, figures in report["groups"].items():
        model, base = figures["model"], figures["baseline"]
        lines.append(f"\n[{group}] n={model['n']} (relevant {model['n_relevant']})")
        lines.append(f"{'label':<22}{'P':>7}{'R':>7}{'F1':>7}{'n':>6}   baseline F1")
        rows = [("relevance", model["relevance"], base["relevance"])]
        rows += [
            (f"tone:{t}", model["tone"]["per_label"][t], base["tone"]["per_label"][t])
            for t in TONES
        ]
        rows += [
            (f"frame:{f}", model["frames"]["per_label"][f], base["frames"]["per_label"][f])
            for f in FRAMES
        ]
        for name, mine, theirs in rows:
            lines.append(
                f"{name:<22}{mine['precision']:>7.3f}{mine['recall']:>7.3f}"
                f"{mine['f1']:>7.3f}{mine['support']:>6}   {theirs['f1']:.3f}"
            )
        for key, label in (("tone", "tone macro-F1"), ("frames", "frames macro-F1")):
            lines.append(
                f"{label:<36}{model[key]['macro_f1']:>7.3f}         {base[key]['macro_f1']:.3f}"
            )
        lines.append(
            f"{'frames micro-F1':<36}{model['frames']['micro_f1']:>7.3f}         "
            f"{base['frames']['micro_f1']:.3f}"
        )
        lines.append(
            "tone confusion (rows gold, columns predicted): "
            + json.dumps(model["tone"]["confusion"])
        )
    return "\n".join(lines)

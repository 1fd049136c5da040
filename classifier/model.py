"""The model: encoders by language, linear heads per encoder, article-level aggregation.

A text is split into passages; each passage is encoded by the encoder its language is routed
to and scored by that encoder's heads (relevance, tone, frames), averaged with an n-gram head's
scores at a per-language weight (classifier/lexical.py); the scores are aggregated to the
article with thresholds chosen on dev; for each frame found, the best passage is the evidence.
Weights are plain arrays in `heads.npz`; config and record are JSON (no pickles).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from classifier.data import split_passages
from classifier.errors import ClassifierError
from db.codebook import FRAMES, TONES

if TYPE_CHECKING:
    from classifier.lexical import NgramHead

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_EN_WORDS = frozenset(
    "the of and to in is that for on with as by are was it from at be this "
    "has have said will not its an or".split()
)
# Characters written differently in traditional Chinese (a few common ones suffice to tell).
_TRADITIONAL = frozenset("這個們來時說對會從發經過還實與們國際開關學長問當點無體機後業營總區")


def detect_language(text: str) -> str:
    """en, zh, zh-Hant, or 'und' (other): by script, then common English words."""
    sample = text[:3000]
    cjk = _CJK.findall(sample)
    letters = _LATIN_WORD.findall(sample)
    if cjk and len(cjk) >= 0.3 * (len(cjk) + len(letters)):
        traditional = sum(ch in _TRADITIONAL for ch in cjk)
        return "zh-Hant" if traditional >= max(2, 0.02 * len(cjk)) else "zh"
    if letters and sum(w.lower() in _EN_WORDS for w in letters) >= 0.08 * len(letters):
        return "en"
    return "und"


def language_group(language: str | None) -> str:
    """The routing group of a language code: en, zh or other."""
    if not language:
        return "other"
    return "zh" if language.startswith("zh") else "en" if language.startswith("en") else "other"


Scores = tuple[np.ndarray, np.ndarray, np.ndarray]  # relevance (n,), tone (n, 3), frames (n, 8)


@dataclass
class Heads:
    """Linear heads on one encoder's embeddings."""

    relevance_w: np.ndarray  # (d,)
    relevance_b: float
    tone_w: np.ndarray  # (3, d) over TONES
    tone_b: np.ndarray  # (3,)
    frames_w: np.ndarray  # (8, d) over FRAMES
    frames_b: np.ndarray  # (8,)

    def score(self, x: Any) -> Scores:
        """(relevance (n,), tone probabilities (n, 3), frame probabilities (n, 8))."""
        relevance = _sigmoid(x @ self.relevance_w + self.relevance_b)
        logits = x @ self.tone_w.T + self.tone_b
        logits -= logits.max(axis=1, keepdims=True)
        tone = np.exp(logits)
        tone /= tone.sum(axis=1, keepdims=True)
        frames = _sigmoid(x @ self.frames_w.T + self.frames_b)
        return relevance, tone, frames


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))))


@dataclass
class ArticleScores:
    """A text's aggregated scores and labels."""

    language: str
    relevance: float
    relevant: bool
    tone: str | None
    tone_scores: dict[str, float]
    frame_scores: dict[str, float]
    frames: list[str]
    evidence: dict[str, tuple[str, float]]  # frame -> (passage, score), frames found only
    passages: int


@dataclass
class Thresholds:
    """Decision thresholds per language group, chosen on held-out data.

    Keys are a language group ("en", "zh") for short texts, and "<group>:article" for texts
    of more than two passages (whole articles, whose max over many passages runs higher).
    """

    relevance: dict[str, float] = field(default_factory=lambda: {"en": 0.5, "zh": 0.5})
    frames: dict[str, dict[str, float]] = field(default_factory=dict)

    @staticmethod
    def key(group: str, passages: int) -> str:
        """The key for a text of a language group with this many passages."""
        return f"{group}:article" if passages > 2 else group

    def for_relevance(self, key: str) -> float:
        """The relevance threshold for a key (falling back to its group, then English)."""
        group = key.split(":")[0]
        return self.relevance.get(key, self.relevance.get(group, self.relevance.get("en", 0.5)))

    def for_frame(self, key: str, frame: str) -> float:
        """The threshold of a frame for a key (falling back to its group, then English)."""
        group = key.split(":")[0]
        table = self.frames.get(key) or self.frames.get(group) or self.frames.get("en") or {}
        return float(table.get(frame, 0.5))


def aggregate(
    passages: list[str],
    relevance: np.ndarray,
    tone: np.ndarray,
    frames: np.ndarray,
    group: str,
    language: str,
    thresholds: Thresholds,
) -> ArticleScores:
    """Article scores from passage scores: max relevance, relevance-weighted tone, max frames."""
    if not passages:
        return ArticleScores(
            language,
            0.0,
            False,
            None,
            dict.fromkeys(TONES, 0.0),
            dict.fromkeys(FRAMES, 0.0),
            [],
            {},
            0,
        )
    top = float(relevance.max())
    weights = (
        relevance / relevance.sum()
        if relevance.sum() > 0
        else np.full(len(passages), 1 / len(passages))
    )
    tone_mean = weights @ tone
    key = thresholds.key(group, len(passages))
    relevant = top >= thresholds.for_relevance(key)
    frame_scores = {f: float(frames[:, i].max()) for i, f in enumerate(FRAMES)}
    found = [f for f in FRAMES if relevant and frame_scores[f] >= thresholds.for_frame(key, f)]
    evidence = {}
    for frame in found:
        best = int(frames[:, FRAMES.index(frame)].argmax())
        evidence[frame] = (passages[best], round(frame_scores[frame], 4))
    return ArticleScores(
        language=language,
        relevance=round(top, 4),
        relevant=relevant,
        tone=TONES[int(tone_mean.argmax())] if relevant else None,
        tone_scores={t: round(float(tone_mean[i]), 4) for i, t in enumerate(TONES)},
        frame_scores={f: round(s, 4) for f, s in frame_scores.items()},
        frames=found,
        evidence=evidence,
        passages=len(passages),
    )


@dataclass
class Model:
    """Routing, heads, thresholds and the record of how the model was made."""

    version: str
    route: dict[str, str]  # language group -> encoder name
    heads: dict[str, Heads]  # encoder name -> heads
    thresholds: Thresholds
    max_passage_words: int
    max_tokens: int
    record: dict[str, Any] = field(default_factory=dict)
    ngram: NgramHead | None = None  # n-gram head averaged in with weight mix[group]
    mix: dict[str, float] = field(default_factory=dict)
    _encoders: dict[str, Any] = field(default_factory=dict, repr=False)

    def encoder(self, name: str) -> Any:
        """The loaded encoder (loaded on first use)."""
        if name not in self._encoders:
            from classifier.encoders import load_encoder

            self._encoders[name] = load_encoder(name, self.max_tokens)
        return self._encoders[name]

    def classify(self, texts: list[tuple[str, str, str | None]]) -> list[ArticleScores]:
        """Label (title, text, language-or-None) triples; one encoder call per encoder."""
        languages = [lang or detect_language(f"{title}\n{text}") for title, text, lang in texts]
        split = [split_passages(title, text, self.max_passage_words) for title, text, _ in texts]
        by_encoder: dict[str, list[int]] = {}
        for i, language in enumerate(languages):
            name = self.route.get(language_group(language)) or self.route["other"]
            by_encoder.setdefault(name, []).append(i)
        results: list[ArticleScores | None] = [None] * len(texts)
        for name, indexes in by_encoder.items():
            flat = [p for i in indexes for p in split[i]]
            scores = self.heads[name].score(self.encoder(name).encode(flat)) if flat else None
            if scores is not None:
                weights = [self.mix.get(language_group(languages[i]), 0.0) for i in indexes]
                per_passage = np.repeat(weights, [len(split[i]) for i in indexes])
                scores = self._with_ngram(scores, flat, per_passage)
            offset = 0
            for i in indexes:
                n = len(split[i])
                if scores is None:
                    relevance, tone, frames = np.zeros(0), np.zeros((0, 3)), np.zeros((0, 8))
                else:
                    relevance, tone, frames = (s[offset : offset + n] for s in scores)
                offset += n
                results[i] = aggregate(
                    split[i],
                    relevance,
                    tone,
                    frames,
                    language_group(languages[i]),
                    languages[i],
                    self.thresholds,
                )
        return [r for r in results if r is not None]

    def _with_ngram(self, scores: Scores, passages: list[str], weight: np.ndarray) -> Scores:
        """The encoder heads' scores averaged with the n-gram head's, `weight` per passage."""
        if self.ngram is None or not weight.any():
            return scores
        relevance, tone, frames = self.ngram.score(passages)
        w = weight[:, None]
        return (
            (1 - weight) * scores[0] + weight * relevance,
            (1 - w) * scores[1] + w * tone,
            (1 - w) * scores[2] + w * frames,
        )

    def save(self, folder: Path) -> None:
        """Write heads.npz, config.json and record.json into `folder`."""
        folder.mkdir(parents=True, exist_ok=True)
        names = sorted(self.heads)  # encoder names may hold dots and slashes: keys use indexes
        arrays = {
            f"h{i}.{key}": np.asarray(value)
            for i, name in enumerate(names)
            for key, value in vars(self.heads[name]).items()
        }
        if self.ngram is not None:
            arrays.update(self.ngram.arrays())
        np.savez_compressed(folder / "heads.npz", **arrays)  # type: ignore[arg-type]
        config = {
            "version": self.version,
            "route": self.route,
            "encoders": names,
            "labels": {"tones": list(TONES), "frames": list(FRAMES)},
            "thresholds": {
                "relevance": self.thresholds.relevance,
                "frames": self.thresholds.frames,
            },
            "max_passage_words": self.max_passage_words,
            "max_tokens": self.max_tokens,
            "ngram_mix": self.mix if self.ngram is not None else {},
        }
        (folder / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
        (folder / "record.json").write_text(
            json.dumps(self.record, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        )


def load_model(folder: Path) -> Model:
    """Read a model folder written by Model.save."""
    try:
        config = json.loads((folder / "config.json").read_text())
        record = json.loads((folder / "record.json").read_text())
        arrays = np.load(folder / "heads.npz")
    except (OSError, ValueError) as exc:
        raise ClassifierError(
            f"{folder} is not a framegap model ({exc}); run framegap train"
        ) from None
    if config["labels"] != {"tones": list(TONES), "frames": list(FRAMES)}:
        raise ClassifierError(f"{folder} was trained on other labels than the codebook's")
    from classifier.lexical import NgramHead

    heads = {}
    for i, name in enumerate(config["encoders"]):
        values = {
            key.split(".", 1)[1]: arrays[key] for key in arrays.files if key.startswith(f"h{i}.")
        }
        values["relevance_b"] = float(values["relevance_b"])
        heads[name] = Heads(**values)
    thresholds = Thresholds(config["thresholds"]["relevance"], config["thresholds"]["frames"])
    return Model(
        config["version"],
        config["route"],
        heads,
        thresholds,
        config["max_passage_words"],
        config["max_tokens"],
        record,
        NgramHead.from_arrays(arrays),
        config.get("ngram_mix", {}),
    )

"""Train the default model: frozen encoders, linear heads, encoder and thresholds chosen on dev.

`framegap train` runs `train(args)`. Reproducible: the same data, seed and encoders give the
same model (the data fingerprint, seed, code version and dev figures are in its record).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import numpy as np

from classifier.config import E5, MODELS_DIR, ROOT, TrainingArgs
from classifier.data import Example, fingerprint, load_examples
from classifier.errors import ClassifierError
from classifier.evaluate import Scored, headline, metrics, score_model
from classifier.lexical import NgramFeatures, NgramHead
from classifier.model import Heads, Model, Thresholds
from db.codebook import FRAMES, TONES

log = logging.getLogger(__name__)
GRID = tuple(round(x, 2) for x in np.arange(0.05, 0.96, 0.05))
CACHE_DIR = MODELS_DIR / ".cache"


class CachedEncoder:
    """An encoder with an on-disk cache of embeddings by text (training re-encodes nothing)."""

    def __init__(self, encoder: Any, cache_dir: Path | None) -> None:
        self.inner, self.name, self.dim = encoder, encoder.name, encoder.dim
        safe = hashlib.sha1(self.name.encode()).hexdigest()[:12]
        self.path = cache_dir / f"{safe}.npz" if cache_dir else None
        self.memory: dict[str, np.ndarray] = {}
        if self.path and self.path.exists():
            stored = np.load(self.path)
            self.memory = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embeddings, computing only the texts not seen before."""
        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        missing = sorted(
            {k: t for k, t in zip(keys, texts, strict=True) if k not in self.memory}.items()
        )
        if missing:
            vectors = self.inner.encode([t for _, t in missing])
            self.memory.update({k: v for (k, _), v in zip(missing, vectors, strict=True)})
        return np.vstack([self.memory[k] for k in keys]) if keys else np.zeros((0, self.dim))

    def save(self) -> None:
        """Write the cache."""
        if self.path and self.memory:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            keys = sorted(self.memory)
            np.savez(
                self.path, keys=np.array(keys), vectors=np.vstack([self.memory[k] for k in keys])
            )


def fit_heads(
    x: Any,
    examples: list[Example],
    x_dev: Any,
    dev: list[Example],
    args: TrainingArgs,
) -> tuple[Heads, dict[str, float]]:
    """Logistic-regression heads on dense or sparse features; each head's C is chosen by
    log-loss on dev passages."""
    relevant = np.array([e.relevant for e in examples])
    dev_relevant = np.array([e.relevant for e in dev])
    rel, c_rel = _fit(x, relevant, x_dev, dev_relevant, args)
    tone_y = np.array([TONES.index(e.tone) for e in examples if e.relevant])
    dev_tone = np.array([TONES.index(e.tone) for e in dev if e.relevant])
    tone, c_tone = _fit(x[relevant], tone_y, x_dev[dev_relevant], dev_tone, args)
    frames_w, frames_b, chosen = [], [], {"relevance": c_rel, "tone": c_tone}
    for frame in FRAMES:
        y = np.array([frame in e.frames for e in examples])
        y_dev = np.array([frame in e.frames for e in dev])
        model, chosen[frame] = _fit(x, y, x_dev, y_dev, args)
        frames_w.append(model.coef_[0])
        frames_b.append(model.intercept_[0])
    heads = Heads(
        rel.coef_[0].astype(np.float32),
        float(rel.intercept_[0]),
        tone.coef_.astype(np.float32),
        tone.intercept_.astype(np.float32),
        np.array(frames_w, dtype=np.float32),
        np.array(frames_b, dtype=np.float32),
    )
    return heads, chosen


def _fit(
    x: Any, y: np.ndarray, x_dev: Any, y_dev: np.ndarray, args: TrainingArgs
) -> tuple[Any, float]:
    """A logistic regression (binary or multinomial) with C chosen by dev log-loss."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss

    labels = sorted(set(y.tolist()) | set(y_dev.tolist()))
    best, best_loss, best_c = None, float("inf"), args.c_grid[0]
    for c in args.c_grid:
        model = LogisticRegression(
            C=c, max_iter=3000, class_weight="balanced", random_state=args.seed
        ).fit(x, y)
        proba = model.predict_proba(x_dev)
        if proba.shape[1] == 2:
            proba = proba[:, 1]
        loss = log_loss(y_dev, proba, labels=labels) if len(y_dev) else 0.0
        if loss < best_loss:
            best, best_loss, best_c = model, loss, c
    return best, best_c


def tune_thresholds(model: Model, dev: list[Example], articles: list[Example]) -> Thresholds:
    """Per language group, the relevance and frame thresholds that maximise F1: for short
    texts on dev, for whole articles on the held-out articles (train and dev articles: the
    heads are trained on passages only, so no article was seen in training)."""
    thresholds = Thresholds(relevance={}, frames={})
    for suffix, examples in (("", dev), (":article", articles)):
        scored = score_model(model, examples)
        for group in ("en", "zh"):
            mine = [s for s in scored if s.example.language_group == group]
            if mine:
                _tune(thresholds, group + suffix, mine)
    return thresholds


def _tune(thresholds: Thresholds, key: str, scored: list[Scored]) -> None:
    thresholds.relevance[key] = _best(
        lambda t: [(s.example.relevant, s.relevance >= t) for s in scored]
    )
    relevant = [s for s in scored if s.example.relevant]
    thresholds.frames[key] = {
        frame: _best(
            lambda t, f=frame: [(f in s.example.frames, s.frame_scores[f] >= t) for s in relevant]
        )
        for frame in FRAMES
    }


def _best(pairs_at: Any) -> float:
    from classifier.evaluate import prf

    scores = [(prf(pairs_at(t))["f1"], -abs(t - 0.5), t) for t in GRID]
    return float(max(scores)[2])


def train(
    args: TrainingArgs, out_dir: Path = MODELS_DIR, cache_dir: Path | None = CACHE_DIR
) -> tuple[Model, Path]:
    """Train, choose encoders and thresholds on dev, save under out_dir/<version>/."""
    started = time.monotonic()
    examples = load_examples(args.data_dir)
    train_set = [e for e in examples if e.split == "train" and e.kind == "passage"]
    if args.limit:
        rng = np.random.default_rng(args.seed)
        train_set = [train_set[i] for i in sorted(rng.permutation(len(train_set))[: args.limit])]
    dev = [e for e in examples if e.split == "dev"]
    held_out_articles = [e for e in examples if e.kind == "article" and e.split != "test"]
    dev_passages = [e for e in dev if e.kind == "passage"]
    if not train_set or not dev_passages:
        raise ClassifierError("the data has no train or dev passages; add labelled data")
    from classifier.encoders import load_encoder

    candidates, decision = {}, {}
    for name in args.encoders:
        caches: list[CachedEncoder] = []

        def cached(inner: Any, caches: list[CachedEncoder] = caches) -> CachedEncoder:
            caches.append(CachedEncoder(inner, cache_dir))
            return caches[-1]

        encoder = load_encoder(name, args.max_tokens, args.batch_size, wrap=cached)
        x = encoder.encode([e.text for e in train_set])
        x_dev = encoder.encode([e.text for e in dev_passages])
        heads, chosen_c = fit_heads(x, train_set, x_dev, dev_passages, args)
        model = _model({"en": name, "zh": name, "other": name}, {name: heads}, args)
        model._encoders[name] = encoder
        model.thresholds = tune_thresholds(model, dev, held_out_articles)
        dev_figures = _dev_figures(model, dev)
        for cache in caches:
            cache.save()
        candidates[name] = (heads, encoder)
        decision[name] = {"c": chosen_c, "dev": dev_figures}
    route = _choose_route(decision, args)
    model = _model(route, {n: candidates[n][0] for n in set(route.values())}, args)
    for name in set(route.values()):
        model._encoders[name] = candidates[name][1]
    model.ngram, decision["ngram"] = fit_ngram(train_set, dev_passages, args)
    decision["mix"] = choose_mix(model, dev, held_out_articles, args)
    model.thresholds = tune_thresholds(model, dev, held_out_articles)
    model.record = _record(
        args, examples, train_set, decision, route, model, dev, time.monotonic() - started
    )
    folder = out_dir / model.version
    model.save(folder)
    return model, folder


def fit_ngram(
    train_set: list[Example], dev: list[Example], args: TrainingArgs
) -> tuple[NgramHead, dict[str, Any]]:
    """The n-gram head: TF-IDF fitted on the training passages, heads as for an encoder."""
    features = NgramFeatures.fit(
        [e.text for e in train_set], args.char_ngrams, args.max_char_features
    )
    x = features.transform([e.text for e in train_set])
    x_dev = features.transform([e.text for e in dev])
    heads, chosen_c = fit_heads(x, train_set, x_dev, dev, args)
    return NgramHead(features, heads), {"c": chosen_c, "features": features.dim}


def choose_mix(
    model: Model, dev: list[Example], articles: list[Example], args: TrainingArgs
) -> dict[str, Any]:
    """Per language group, the n-gram weight with the best mean of dev figures (ties: the
    smaller weight); sets model.mix and returns every weight's figures for the record."""
    figures = {}
    for weight in args.mix_grid:
        model.mix = {"en": weight, "zh": weight}
        model.thresholds = tune_thresholds(model, dev, articles)
        figures[str(weight)] = _dev_figures(model, dev)
    model.mix = {
        group: max(
            args.mix_grid,
            key=lambda w: (sum(figures[str(w)].get(group, {}).values()), -w),
        )
        for group in ("en", "zh")
    }
    return {"dev": figures, "chosen": model.mix}


def _model(route: dict[str, str], heads: dict[str, Heads], args: TrainingArgs) -> Model:
    return Model("unsaved", route, heads, Thresholds(), args.max_passage_words, args.max_tokens)


def _dev_figures(model: Model, dev: list[Example]) -> dict[str, dict[str, float]]:
    """Headline figures per language group on these examples (dev, or test for the record)."""
    scored = score_model(model, dev)
    return {
        group: headline(
            metrics(
                [s for s in scored if s.example.language_group == group], model.thresholds, group
            )
        )
        for group in ("en", "zh")
        if any(s.example.language_group == group for s in scored)
    }


def _choose_route(decision: dict[str, Any], args: TrainingArgs) -> dict[str, str]:
    """Per language group, the encoder with the best mean of its dev figures."""
    route = {}
    for group in ("en", "zh"):
        route[group] = max(
            args.encoders, key=lambda n: (sum(decision[n]["dev"].get(group, {}).values()), n == E5)
        )
    route["other"] = E5 if E5 in args.encoders else route["en"]
    return route


def _record(
    args: TrainingArgs,
    examples: list[Example],
    train_set: list[Example],
    decision: dict[str, Any],
    route: dict[str, str],
    model: Model,
    dev: list[Example],
    seconds: float,
) -> dict[str, Any]:
    digest = fingerprint(args.data_dir)
    names = sorted({re.sub(r"[^a-z0-9]+", "", Path(n).name.lower()) for n in route.values()})
    model.version = f"fg-{digest[:8]}-{'-'.join(names)}-s{args.seed}"
    if args.limit:
        model.version += f"-n{args.limit}"
    model.version += f"-{_content_hash(model)}"  # another model is always another version
    return {
        "version": model.version,
        "args": args.as_record(),
        "data_fingerprint": digest,
        "code_version": _git_revision(),
        "encoders": {"route": route, "candidates": list(args.encoders)},
        "counts": {"examples": len(examples), "train_passages": len(train_set), "dev": len(dev)},
        "decision": decision,
        "dev": _dev_figures(model, dev),
        # reported only (the report's method section shows it); nothing is chosen on test
        "test": _dev_figures(model, [e for e in examples if e.split == "test"]),
        "training_seconds": round(seconds, 1),
        "method": "frozen encoders, logistic-regression heads (C by dev log-loss), averaged "
        f"with an n-gram head (TF-IDF char {args.char_ngrams[0]}-{args.char_ngrams[1]} / word 1-2 "
        "grams) at a weight dev picks per "
        "language; article = max relevance / relevance-weighted tone / max frame over "
        "passages, thresholds by dev F1",
    }


def _content_hash(model: Model) -> str:
    digest = hashlib.sha256(
        json.dumps(
            [model.route, model.thresholds.relevance, model.thresholds.frames], sort_keys=True
        ).encode()
    )
    digest.update(json.dumps(model.mix, sort_keys=True).encode())
    for name in sorted(model.heads):
        for value in vars(model.heads[name]).values():
            digest.update(np.asarray(value, dtype=np.float32).round(6).tobytes())
    if model.ngram is not None:
        for value in vars(model.ngram.heads).values():
            digest.update(np.asarray(value, dtype=np.float32).round(6).tobytes())
    return digest.hexdigest()[:6]


def _git_revision() -> str:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except OSError:
        return "unknown"
    return result.stdout.strip() or "unknown"

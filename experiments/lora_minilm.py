"""Experiment behind the classifier's "frozen encoders" decision: does fine-tuning MiniLM beat
logistic-regression heads on frozen embeddings? (issue 3; not part of the product)

LoRA adapters (rank 16) on every linear layer of all-MiniLM-L6-v2, one multi-task head
(relevance, tone, frames), trained on the English training passages; dev passages are scored
at fixed 0.5 thresholds, beside frozen MiniLM and frozen e5 with logistic-regression heads.

    .venv/bin/python experiments/lora_minilm.py [--epochs 6] [--lr 1e-3] [--rank 16]

Measured on this project's 2-core machine (2026-11-28, English dev passages, one seed):

    minilm LoRA fine-tuned   rel 0.934  tone 0.641  frames 0.677 / 0.677   (189 s of training)
    e5 frozen + LR heads     rel 0.886  tone 0.648  frames 0.644 / 0.644

Fine-tuning helps relevance and frames a little, not tone; an earlier run of the same recipe
under load gave tone 0.596, so differences of a few points are within one seed's noise.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    import torch
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from transformers import AutoModel, AutoTokenizer

    from classifier.config import DATA_DIR
    from classifier.data import load_examples
    from classifier.encoders import E5Encoder, minilm_path
    from classifier.train import CACHE_DIR, CachedEncoder
    from db.codebook import FRAMES, TONES

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--rank", type=int, default=16)
    args = parser.parse_args()
    torch.manual_seed(13)
    torch.set_num_threads(2)
    examples = load_examples(DATA_DIR)
    train = [e for e in examples if e.split == "train" and e.kind == "passage" and e.lang == "en"]
    dev = [e for e in examples if e.split == "dev" and e.kind == "passage" and e.lang == "en"]
    tokenizer = AutoTokenizer.from_pretrained(minilm_path())
    encoder = AutoModel.from_pretrained(minilm_path())
    for parameter in encoder.parameters():
        parameter.requires_grad = False

    class LoRA(torch.nn.Module):
        def __init__(self, linear: torch.nn.Linear, rank: int) -> None:
            super().__init__()
            self.linear = linear
            self.a = torch.nn.Parameter(torch.randn(rank, linear.in_features) * 0.01)
            self.b = torch.nn.Parameter(torch.zeros(linear.out_features, rank))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.linear(x) + 2.0 * (x @ self.a.T @ self.b.T)

    for layer in encoder.encoder.layer:
        attention = layer.attention.self
        for name in ("query", "key", "value"):
            setattr(attention, name, LoRA(getattr(attention, name), args.rank))
        layer.attention.output.dense = LoRA(layer.attention.output.dense, args.rank)
        layer.intermediate.dense = LoRA(layer.intermediate.dense, args.rank)
        layer.output.dense = LoRA(layer.output.dense, args.rank)
    head = torch.nn.Linear(384, 1 + len(TONES) + len(FRAMES))
    adapters = [p for p in encoder.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(
        [{"params": adapters, "lr": args.lr}, {"params": list(head.parameters()), "lr": 3e-3}],
        weight_decay=0.01,
    )
    steps = args.epochs * math.ceil(len(train) / 16)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps)
    )

    def embed(texts: list[str]) -> torch.Tensor:
        batch = tokenizer(texts, padding=True, truncation=True, max_length=256, return_tensors="pt")
        hidden = encoder(
            input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]
        ).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        return (hidden * mask).sum(1) / mask.sum(1)

    rng = np.random.default_rng(13)
    started = time.monotonic()
    for epoch in range(args.epochs):
        encoder.train()
        order = sorted(range(len(train)), key=lambda i: len(train[i].text))
        batches = [order[i : i + 16] for i in range(0, len(order), 16)]
        rng.shuffle(batches)  # type: ignore[arg-type]
        total = 0.0
        for batch_ids in batches:
            batch = [train[i] for i in batch_ids]
            out = head(embed([e.text for e in batch]))
            relevant = torch.tensor([float(e.relevant) for e in batch])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(out[:, 0], relevant)
            if relevant.any():
                tones = torch.tensor([TONES.index(e.tone or "") for e in batch if e.relevant])
                loss = loss + torch.nn.functional.cross_entropy(out[relevant.bool(), 1:4], tones)
            frames = torch.tensor([[float(f in e.frames) for f in FRAMES] for e in batch])
            loss = loss + torch.nn.functional.binary_cross_entropy_with_logits(
                out[:, 4:], frames, pos_weight=torch.full((len(FRAMES),), 4.0)
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item()
        print(f"epoch {epoch}: loss {total:.1f}, {time.monotonic() - started:.0f} s")
    encoder.eval()
    with torch.inference_mode():
        scores = torch.cat(
            [head(embed([e.text for e in dev[i : i + 32]])) for i in range(0, len(dev), 32)]
        )
    relevant_dev = [k for k, e in enumerate(dev) if e.relevant]
    gold_frames = np.array([[f in dev[k].frames for f in FRAMES] for k in relevant_dev])

    def report(name: str, rel: np.ndarray, tone: np.ndarray, frames: np.ndarray) -> None:
        gold_tone = [TONES.index(dev[k].tone or "") for k in relevant_dev]
        print(
            f"{name:<24} rel {f1_score([e.relevant for e in dev], rel):.3f}  tone "
            f"{f1_score(gold_tone, tone, average='macro'):.3f}"
            f"  frames {f1_score(gold_frames, frames, average='micro'):.3f} / "
            f"{f1_score(gold_frames, frames, average='macro'):.3f}"
        )

    report(
        "minilm LoRA fine-tuned",
        (torch.sigmoid(scores[:, 0]) >= 0.5).numpy(),
        scores[relevant_dev, 1:4].argmax(1).numpy(),
        (torch.sigmoid(scores[relevant_dev, 4:]) >= 0.5).numpy(),
    )
    e5 = CachedEncoder(E5Encoder(), CACHE_DIR)  # training's embedding cache, if it is there
    x, x_dev = e5.encode([e.text for e in train]), e5.encode([e.text for e in dev])
    is_relevant = np.array([e.relevant for e in train])

    def fit(features: np.ndarray, labels: list) -> LogisticRegression:  # type: ignore[type-arg]
        return LogisticRegression(C=4, max_iter=3000, class_weight="balanced").fit(features, labels)

    frames = [fit(x, [f in e.frames for e in train]) for f in FRAMES]
    report(
        "e5 frozen + LR heads",
        fit(x, list(is_relevant)).predict(x_dev),
        fit(x[is_relevant], [TONES.index(e.tone or "") for e in train if e.relevant]).predict(
            x_dev[relevant_dev]
        ),
        np.array([m.predict_proba(x_dev[relevant_dev])[:, 1] >= 0.5 for m in frames]).T,
    )


if __name__ == "__main__":
    main()

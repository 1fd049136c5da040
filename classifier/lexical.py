"""An n-gram head beside the transformer: TF-IDF over character n-grams (inside word boundaries,
so it reads Chinese without a segmenter; 1–5-grams by default, `TrainingArgs.char_ngrams`, stored
with the model) and word 1–2-grams, with logistic-regression heads for relevance, tone and frames.

Its probabilities are averaged with the transformer heads' ones, with a weight chosen on dev
(`train.choose_mix`; 0 turns it off). Grouped 5-fold cross-validation on train + dev passages
(issue 3, the data of 2026-11-28 before rounds 2–4) gave +0.04 to +0.09 frames micro-F1 and
+0.02 to +0.04 tone macro-F1 over e5 or MiniLM+e5 alone, in both languages. Stored as plain
arrays (vocabulary, idf, weights); no pickles.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from classifier.model import Heads, Scores

# Models saved before the n-gram ranges were stored with them used these.
OLD_CHAR_NGRAMS = (1, 3)
WORD_NGRAMS = (1, 2)


def _vectorizers(
    char_range: tuple[int, int],
    max_char_features: int | None = None,
    char_vocab: Any = None,
    word_vocab: Any = None,
) -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    common = {"sublinear_tf": True, "lowercase": True, "dtype": np.float32}
    chars = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=char_range,
        min_df=2,
        max_features=max_char_features,
        vocabulary=char_vocab,
        **common,
    )
    words = TfidfVectorizer(ngram_range=WORD_NGRAMS, min_df=2, vocabulary=word_vocab, **common)
    return chars, words


@dataclass
class NgramFeatures:
    """The fitted TF-IDF: vocabularies (in column order) and idf weights."""

    char_vocab: list[str]
    char_idf: np.ndarray
    word_vocab: list[str]
    word_idf: np.ndarray
    char_range: tuple[int, int] = OLD_CHAR_NGRAMS

    @classmethod
    def fit(
        cls, texts: list[str], char_range: tuple[int, int], max_char_features: int
    ) -> NgramFeatures:
        """Learn the vocabularies and idf from training texts."""
        chars, words = _vectorizers(char_range, max_char_features)
        chars.fit(texts)
        words.fit(texts)
        return cls(
            _ordered(chars.vocabulary_),
            chars.idf_.astype(np.float32),
            _ordered(words.vocabulary_),
            words.idf_.astype(np.float32),
            (int(char_range[0]), int(char_range[1])),
        )

    def transform(self, texts: list[str]) -> Any:
        """A sparse (n, features) matrix, each block L2-normalised."""
        import scipy.sparse as sp

        chars, words = self._fitted
        return sp.hstack([chars.transform(texts), words.transform(texts)]).tocsr()

    @cached_property
    def _fitted(self) -> tuple[Any, Any]:
        """The vectorizers rebuilt from the stored vocabularies and idf, once per model."""
        chars, words = _vectorizers(
            self.char_range,
            char_vocab={t: i for i, t in enumerate(self.char_vocab)},
            word_vocab={t: i for i, t in enumerate(self.word_vocab)},
        )
        chars.idf_ = self.char_idf
        words.idf_ = self.word_idf
        return chars, words

    @property
    def dim(self) -> int:
        """Number of features."""
        return len(self.char_vocab) + len(self.word_vocab)


def _ordered(vocabulary: dict[str, int]) -> list[str]:
    return [term for term, _ in sorted(vocabulary.items(), key=lambda item: item[1])]


@dataclass
class NgramHead:
    """TF-IDF features and linear heads over them (the same Heads the encoders use)."""

    features: NgramFeatures
    heads: Heads

    def score(self, texts: list[str]) -> Scores:
        """(relevance, tone probabilities, frame probabilities) per text."""
        return self.heads.score(self.features.transform(texts))

    def arrays(self) -> dict[str, np.ndarray]:
        """Everything as named arrays (for heads.npz)."""
        values = {f"ngram.{key}": np.asarray(value) for key, value in vars(self.heads).items()}
        values["ngram.char_vocab"] = np.array(self.features.char_vocab, dtype=str)
        values["ngram.char_idf"] = self.features.char_idf
        values["ngram.word_vocab"] = np.array(self.features.word_vocab, dtype=str)
        values["ngram.word_idf"] = self.features.word_idf
        values["ngram.char_range"] = np.array(self.features.char_range, dtype=np.int64)
        return values

    @classmethod
    def from_arrays(cls, arrays: Any) -> NgramHead | None:
        """Read what `arrays` wrote; None when the model has no n-gram head."""
        if "ngram.char_vocab" not in arrays.files:
            return None
        # models saved before the range was stored keep the dataclass default (1-3)
        stored = (
            {"char_range": tuple(arrays["ngram.char_range"].tolist())}
            if "ngram.char_range" in arrays.files
            else {}
        )
        features = NgramFeatures(
            arrays["ngram.char_vocab"].tolist(),
            arrays["ngram.char_idf"],
            arrays["ngram.word_vocab"].tolist(),
            arrays["ngram.word_idf"],
            **stored,
        )
        fields = ("relevance_w", "relevance_b", "tone_w", "tone_b", "frames_w", "frames_b")
        values = {key: arrays[f"ngram.{key}"] for key in fields}
        values["relevance_b"] = float(values["relevance_b"])
        return cls(features, Heads(**values))

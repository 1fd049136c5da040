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
        counter = self._char_counter
        char_block = (
            counter.tfidf(texts, self.char_idf) if counter.exact else chars.transform(texts)
        )
        return sp.hstack([char_block, words.transform(texts)]).tocsr()

    @cached_property
    def _char_counter(self) -> CharNgramCounter:
        return CharNgramCounter(self.char_vocab, self.char_range)

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


class CharNgramCounter:
    """The character block of `NgramFeatures.transform` in numpy: sklearn's `char_wb` analyzer
    (lowercase, words split on whitespace, each padded with a space on both sides, n-grams inside
    the padded word; a word shorter than the smallest n counts once, whole) counted against a
    fixed vocabulary, then sublinear TF, idf and L2 norm as TfidfVectorizer does. sklearn builds
    every n-gram as a Python string; here an n-gram is an integer, its characters' ids as digits
    in base `base`, and the vocabulary a sorted array of such integers. A character outside the
    vocabulary ends every n-gram that would hold it, as no vocabulary n-gram holds it. Exact when
    base ** max_n fits in 63 bits (2,305 characters and 5-grams: 6.5e16); otherwise `exact` is
    False and the caller uses sklearn. On the passages of 300 benchmark articles
    (bench/classify.py's corpus, 1-5-grams; two sessions) it took 0.89-0.95 s where sklearn took
    2.36-2.84 s in English, 0.17-0.20 s against 0.81-1.30 s in Chinese. The floats are sklearn's
    bit for bit (tests/classifier/test_model.py): a difference of 3e-8 was enough to move a
    retrained model's dev tone macro-F1 by 0.004.
    """

    def __init__(self, vocab: list[str], char_range: tuple[int, int]) -> None:
        self.min_n, self.max_n = char_range
        self.columns = len(vocab)
        chars = sorted(set("".join(vocab)) | {" "})
        self.base = len(chars) + 1  # ids 1..len(chars); 0: outside the vocabulary
        self.exact = self.base**self.max_n < 2**63
        if not self.exact:
            return
        # words are joined with a character the vocabulary lacks (private use area), so no
        # counted n-gram crosses from one word into the next
        self.separator = next(chr(c) for c in range(0xE000, 0xF900) if chr(c) not in chars)
        self.ids = np.zeros(0x110000, dtype=np.int32)  # code point -> id
        self.ids[[ord(c) for c in chars]] = np.arange(1, len(chars) + 1)
        keys = np.array([self._key(term) for term in vocab], dtype=np.int64)
        self.order = np.argsort(keys, kind="stable")
        self.keys = keys[self.order]

    def _key(self, term: str) -> int:
        key = 0
        for char in term:
            key = key * self.base + int(self.ids[ord(char)])
        return key

    def counts(self, texts: list[str]) -> Any:
        """A sparse (texts, vocabulary) matrix of n-gram counts, rows' columns in order."""
        import scipy.sparse as sp

        sep = self.separator
        joined = [sep + sep.join(f" {w} " for w in text.lower().split()) for text in texts]
        lengths = np.array([len(t) for t in joined], dtype=np.int64)
        codes = np.frombuffer("".join(joined).encode("utf-32-le"), dtype=np.uint32)
        doc = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        ids = self.ids[codes].astype(np.int64)
        found: list[np.ndarray] = []  # doc * columns + column, one entry per occurrence
        key, valid = ids.copy(), ids > 0
        for n in range(1, self.max_n + 1):
            if n > 1:  # windows of n characters starting at each position
                key = key[:-1] * self.base + ids[n - 1 :]
                valid = valid[:-1] & (ids[n - 1 :] > 0)
            if n >= self.min_n:
                found.append(self._match(key[valid], doc[: len(key)][valid]))
        if self.min_n > 1:  # padded words shorter than the smallest n count once, whole
            bounds = np.append(np.flatnonzero(codes == ord(sep)), len(codes))
            starts, size = bounds[:-1] + 1, np.diff(bounds) - 1
            for n in range(1, self.min_n):
                at = starts[size == n]
                whole = np.zeros(len(at), dtype=np.int64)
                ok = np.ones(len(at), dtype=bool)
                for i in range(n):
                    whole = whole * self.base + ids[at + i]
                    ok &= ids[at + i] > 0
                found.append(self._match(whole[ok], doc[at][ok]))
        # sorting the occurrences groups them by document, then column: counts are run lengths
        flat = np.sort(np.concatenate(found))
        starts = np.flatnonzero(np.diff(flat, prepend=-1))
        cells = flat[starts]
        counts = np.diff(np.append(starts, len(flat))).astype(np.float32)
        indptr = np.searchsorted(cells // self.columns, np.arange(len(texts) + 1))
        return sp.csr_matrix(
            (counts, cells % self.columns, indptr), shape=(len(texts), self.columns)
        )

    def _match(self, keys: np.ndarray, docs: np.ndarray) -> np.ndarray:
        """doc * columns + column for each key found in the vocabulary."""
        at = np.searchsorted(self.keys, keys)
        at[at == len(self.keys)] = 0
        hit = self.keys[at] == keys
        return docs[hit] * self.columns + self.order[at[hit]]

    def tfidf(self, texts: list[str], idf: np.ndarray) -> Any:
        """Counts as TfidfVectorizer(sublinear_tf=True, norm="l2") weighs them."""
        matrix = self.counts(texts)
        matrix.data = (np.log(matrix.data) + 1) * idf[matrix.indices]
        rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
        norms = np.sqrt(np.bincount(rows, weights=matrix.data**2, minlength=matrix.shape[0]))
        # divided in 64 bits and rounded, as sklearn's normalize does: the same floats exactly
        matrix.data = (matrix.data / norms[rows]).astype(np.float32)
        return matrix


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

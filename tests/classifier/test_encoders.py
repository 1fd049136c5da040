"""Encoder options on the tiny 2-layer encoder: layers kept, int8, top-layer pooling, bad names."""

from __future__ import annotations

import numpy as np
import pytest

from classifier.encoders import load_encoder, parse_options
from classifier.errors import ClassifierError

TEXTS = [
    "The cap on pay at state-backed brokers is 2.9 million yuan.",
    "Bonuses were clawed back at three firms this year.",
    "金融行业薪酬改革",
]


def test_options_are_read_from_the_name() -> None:
    assert parse_options("minilm") == ("minilm", 0, False, 1)
    assert parse_options("minilm:3:int8") == ("minilm", 3, True, 1)
    assert parse_options("/models/x:top2") == ("/models/x", 0, False, 2)
    with pytest.raises(ClassifierError, match="unknown option 'fast'"):
        parse_options("minilm:fast")
    with pytest.raises(ClassifierError, match="unknown option 'top0'"):
        parse_options("minilm:top0")


def test_top_layer_pooling_joins_each_layer_normalised(tiny_encoder: str) -> None:
    plain = load_encoder(tiny_encoder).encode(TEXTS)
    first = load_encoder(f"{tiny_encoder}:1").encode(TEXTS)
    top = load_encoder(f"{tiny_encoder}:top2")
    joined = top.encode(TEXTS)
    assert top.dim == 2 * plain.shape[1]
    assert joined.shape == (3, top.dim)
    assert np.allclose(np.linalg.norm(joined, axis=1), 1.0, atol=1e-5)
    # the last block is the usual embedding (the top layer), the first the layer below it
    half = plain.shape[1]
    assert np.allclose(joined[:, half:] * np.sqrt(2), plain, atol=1e-5)
    assert np.allclose(joined[:, :half] * np.sqrt(2), first, atol=1e-5)
    assert not np.allclose(first, plain, atol=1e-3)


def test_int8_stays_close_to_float(tiny_encoder: str) -> None:
    plain = load_encoder(tiny_encoder).encode(TEXTS)
    int8 = load_encoder(f"{tiny_encoder}:int8").encode(TEXTS)
    cosine = (plain * int8).sum(axis=1)
    assert cosine.min() > 0.95
    assert not np.array_equal(plain, int8)


def test_asking_for_more_layers_than_the_encoder_has_is_a_clear_error(tiny_encoder: str) -> None:
    with pytest.raises(ClassifierError, match="cannot keep 5 layers"):
        load_encoder(f"{tiny_encoder}:5")
    with pytest.raises(ClassifierError, match="top3 asks for more layers"):
        load_encoder(f"{tiny_encoder}:top3")

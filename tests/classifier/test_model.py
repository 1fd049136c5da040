"""The model on a tiny encoder: language routing, aggregation, evidence, save and load."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from classifier.config import TrainingArgs
from classifier.model import Model, Thresholds, aggregate, detect_language, load_model
from db.codebook import FRAMES, TONES


def test_detect_language() -> None:
    assert detect_language("China caps the pay of bankers at state-backed firms") == "en"
    assert detect_language("券商限薪政策正式落地，多家机构下调绩效薪酬") == "zh"
    assert detect_language("內地金融業限薪，這個月不少投行打工仔南下香港") == "zh-Hant"
    assert detect_language("Le gouvernement chinois a plafonné les salaires des banquiers") == "und"
    assert detect_language("") == "und"


def test_aggregate_takes_max_relevance_weighted_tone_and_best_passage() -> None:
    passages = ["title", "about pay caps", "about the weather"]
    relevance = np.array([0.2, 0.9, 0.1])
    tone = np.array([[0.1, 0.8, 0.1], [0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    frames = np.zeros((3, len(FRAMES)))
    frames[1, FRAMES.index("talent_drain")] = 0.8
    frames[2, FRAMES.index("fairness")] = 0.9
    result = aggregate(passages, relevance, tone, frames, "en", "en", Thresholds())
    assert result.relevant
    assert result.relevance == 0.9
    assert result.tone == "negative"
    assert set(result.frames) == {"talent_drain", "fairness"}
    assert result.evidence["talent_drain"] == ("about pay caps", 0.8)
    empty = aggregate([], np.zeros(0), np.zeros((0, 3)), np.zeros((0, 8)), "en", "en", Thresholds())
    assert not empty.relevant
    assert empty.tone is None
    assert empty.passages == 0


def test_not_relevant_means_no_tone_and_no_frames() -> None:
    frames = np.full((1, len(FRAMES)), 0.99)
    result = aggregate(
        ["x"], np.array([0.1]), np.array([[0.2, 0.6, 0.2]]), frames, "en", "en", Thresholds()
    )
    assert not result.relevant
    assert result.tone is None
    assert result.frames == []
    assert result.frame_scores["fairness"] == 0.99


def test_trained_tiny_model_saves_its_record_and_reloads(tiny_model: tuple[Model, Path]) -> None:
    model, folder = tiny_model
    assert {p.name for p in folder.iterdir()} == {"heads.npz", "config.json", "record.json"}
    record = json.loads((folder / "record.json").read_text())
    assert len(record["data_fingerprint"]) == 64
    assert record["args"]["seed"] == 13
    assert record["code_version"]
    assert record["counts"]["train_passages"] == 400
    assert set(record["dev"]) == {"en", "zh"}
    config = json.loads((folder / "config.json").read_text())
    assert config["labels"] == {"tones": list(TONES), "frames": list(FRAMES)}
    again = load_model(folder)
    assert again.version == model.version == folder.name
    texts = [
        ("Pay caps", "China caps banker pay at state firms.", None),
        ("限薪", "券商限薪政策落地。", None),
        ("", "", None),
    ]
    first, second = model.classify(texts), again.classify(texts)
    assert [r.relevance for r in first] == [r.relevance for r in second]
    assert [r.language for r in first] == ["en", "zh", "und"]
    assert first[2].passages == 0
    assert not first[2].relevant
    assert again.mix == model.mix
    assert again.ngram is not None
    assert model.ngram is not None
    assert again.ngram.features.dim == model.ngram.features.dim


def test_ngram_head_is_mixed_in_at_its_weight(tiny_model: tuple[Model, Path]) -> None:
    """Weight 0 leaves the encoder's scores alone; weight 1 gives the n-gram head's alone;
    the record keeps every weight's dev figures and the weights chosen."""
    model, folder = tiny_model
    record = json.loads((folder / "record.json").read_text())
    assert set(record["decision"]["mix"]["dev"]) == {str(w) for w in TrainingArgs().mix_grid}
    assert record["decision"]["mix"]["chosen"] == model.mix
    assert model.ngram is not None
    text = "State brokers must claw back bonuses; 券商高管薪酬设上限，奖金延期支付。"
    saved = model.mix
    try:
        model.mix = {"en": 0.0, "zh": 0.0}
        encoder_only = model.classify([("", text, "en")])[0]
        model.mix = {"en": 1.0, "zh": 1.0}
        ngram_only = model.classify([("", text, "en")])[0]
    finally:
        model.mix = saved
    relevance, tone, frames = model.ngram.score([text])
    assert ngram_only.relevance == round(float(relevance[0]), 4)
    assert ngram_only.tone_scores == {t: round(float(tone[0, i]), 4) for i, t in enumerate(TONES)}
    assert ngram_only.frame_scores == {
        f: round(float(frames[0, i]), 4) for i, f in enumerate(FRAMES)
    }
    assert encoder_only.relevance != ngram_only.relevance


def test_ngram_range_is_stored_and_older_models_read_as_1_to_3(
    tiny_model: tuple[Model, Path], tmp_path: Path
) -> None:
    """The character n-gram range travels with the model; a model saved before it did (no
    `ngram.char_range` array) is read with the 1-3 range it was trained with."""
    model, folder = tiny_model
    assert model.ngram is not None
    assert model.ngram.features.char_range == TrainingArgs().char_ngrams
    text = ["Bonuses at state brokers were clawed back this spring."]
    before = model.ngram.score(text)
    reloaded = load_model(folder)
    assert reloaded.ngram is not None
    assert reloaded.ngram.features.char_range == model.ngram.features.char_range
    assert np.allclose(reloaded.ngram.score(text)[2], before[2])
    old = tmp_path / "old-model"
    old.mkdir()
    for name in ("config.json", "record.json"):
        (old / name).write_text((folder / name).read_text())
    arrays = dict(np.load(folder / "heads.npz"))
    del arrays["ngram.char_range"]
    np.savez(old / "heads.npz", **arrays)  # type: ignore[arg-type]
    legacy = load_model(old)
    assert legacy.ngram is not None
    assert legacy.ngram.features.char_range == (1, 3)


CHAR_TEXTS = [
    "Bonuses at state brokers were clawed back this spring.",
    "The 2.9 million yuan CAP: a crackdown, or fairness?  Tabs\tand\nnewlines.",
    "金融业薪酬改革：年薪上限290万元，绩效奖金追索扣回。",
    "香港的銀行家說，薪酬上限令人才流失。 İstanbul ÀÉ naïve x\x00y",
    "",
    "   ",
    "a I ok",
    "全角　空格 and ＡＢＣ fullwidth",
    "private use \ue000 x\ue000y, the counter's own word separator inside words",
]


def test_char_ngram_counter_matches_sklearn_for_every_range() -> None:
    """The numpy character n-grams give sklearn's char_wb TF-IDF exactly, for ranges that start
    at 1 and ranges whose smallest n is longer than short padded words; a vocabulary too large
    for 63-bit keys says so, and the features fall back to sklearn."""
    from classifier.lexical import CharNgramCounter, NgramFeatures, _vectorizers

    for char_range in [(1, 3), (1, 5), (2, 4), (4, 5)]:
        chars, _ = _vectorizers(char_range, 5000)
        chars.set_params(min_df=1)
        chars.fit(CHAR_TEXTS[:4])
        vocab = sorted(chars.vocabulary_, key=chars.vocabulary_.get)
        counter = CharNgramCounter(vocab, char_range)
        assert counter.exact
        expected = chars.transform(CHAR_TEXTS)
        got = counter.tfidf(CHAR_TEXTS, chars.idf_.astype(np.float32))
        assert expected.shape == got.shape
        assert (expected != got).nnz == 0  # the same floats, bit for bit
        assert expected.nnz == got.nnz > 0
    wide = NgramFeatures.fit(CHAR_TEXTS * 2, (1, 5), 5000)
    wide.char_vocab = [*wide.char_vocab, *[chr(0xAC00 + i) for i in range(7000)]]
    wide.char_idf = np.append(wide.char_idf, np.ones(7000, dtype=np.float32))
    assert not wide._char_counter.exact
    assert wide.transform(CHAR_TEXTS).shape == (len(CHAR_TEXTS), wide.dim)

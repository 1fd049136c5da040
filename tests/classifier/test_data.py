"""The labelled data: checked on load, split by document, passages cut sensibly."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from classifier.data import load_examples, split_of, split_passages, words
from classifier.errors import ClassifierError
from db.codebook import FRAMES
from tests.conftest import DATA


def test_data_volume_languages_and_frames() -> None:
    examples = load_examples(DATA)
    passages = [e for e in examples if e.kind == "passage"]
    articles = [e for e in examples if e.kind == "article"]
    assert len(passages) >= 2000
    assert len(articles) >= 150
    assert sum(e.language_group == "zh" for e in examples) >= 0.3 * len(examples)
    for group, minimum in (("en", 100), ("zh", 40)):
        counts = Counter(f for e in passages if e.language_group == group for f in e.frames)
        assert all(counts[f] >= minimum for f in FRAMES), (group, counts)


def test_split_is_by_document_and_fixed() -> None:
    examples = load_examples(DATA)
    by_doc: dict[str, set[str]] = {}
    for example in examples:
        by_doc.setdefault(example.doc, set()).add(example.split)
    assert all(len(splits) == 1 for splits in by_doc.values())
    assert split_of("en1-d001") == split_of("en1-d001")
    shares = Counter(e.split for e in examples)
    assert 0.6 < shares["train"] / len(examples) < 0.8


def test_sample_site_texts_are_not_training_data(sample_sites: object) -> None:
    training = {e.text for e in load_examples(DATA)}
    for _, article in sample_sites.all_articles():  # type: ignore[attr-defined]
        assert not set(article.paragraphs) & training


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not JSON"),
        ('{"id": "x"}', "keys must be exactly"),
        (
            '{"id": "x", "doc": "d", "lang": "fr", "register": "wire", "title": "", "text": "t",'
            ' "relevant": false, "tone": null, "frames": []}',
            "lang 'fr'",
        ),
        (
            '{"id": "x", "doc": "d", "lang": "en", "register": "wire", "title": "", "text": "t",'
            ' "relevant": true, "tone": null, "frames": []}',
            "needs a tone",
        ),
        (
            '{"id": "x", "doc": "d", "lang": "en", "register": "wire", "title": "", "text": "t",'
            ' "relevant": true, "tone": "neutral", "frames": ["spin"]}',
            "unknown frame",
        ),
    ],
)
def test_bad_lines_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    (tmp_path / "passages").mkdir()
    (tmp_path / "passages" / "x.jsonl").write_text(line + "\n")
    with pytest.raises(ClassifierError, match=message) as caught:
        load_examples(tmp_path)
    assert "x.jsonl:1" in str(caught.value)


def test_split_passages_keeps_title_cuts_long_joins_short() -> None:
    long = " ".join(f"Sentence number {i} talks about pay caps at brokerages." for i in range(40))
    passages = split_passages("Headline", f"Short.\n\n{long}\n\nTail.", 60)
    assert passages[0] == "Headline"
    assert all(words(p) <= 70 for p in passages[1:])
    assert "Short." in passages[1]
    assert passages[-1].endswith("Tail.")
    chinese = split_passages("", "券商限薪。" * 100, 50)
    assert len(chinese) > 1
    assert all(words(p) <= 60 for p in chinese)

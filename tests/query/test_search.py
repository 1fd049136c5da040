"""framegap search: English and two-character Chinese terms in the sample data, filters,
snippets, bad queries."""

from __future__ import annotations

from pathlib import Path

import pytest

from query.readonly import QueryError, ReadOnly
from query.search import Filters, search, snippet


@pytest.fixture
def ro(sample_db: Path) -> ReadOnly:
    return ReadOnly(sample_db)


def _titles(ro: ReadOnly, terms: str, **filters: str) -> list[tuple[str, ...]]:
    columns, rows = search(ro, terms, Filters(**filters), limit=200)
    return [dict(zip(columns, r, strict=True)) for r in rows]  # type: ignore[misc]


@pytest.mark.parametrize("term", ["限薪", "精英", "薪酬", "共同富裕"])
def test_chinese_terms_find_their_articles(ro: ReadOnly, term: str) -> None:
    hits = _titles(ro, term)
    assert hits
    for hit in hits:
        text = ro.run("SELECT title || ' ' || text FROM articles WHERE id = ?", [hit["id"]])[1]
        assert term in text[0][0]
        assert f"**{term}**" in hit["snippet"] or term in hit["title"]


def test_every_article_containing_a_two_character_term_is_found(ro: ReadOnly) -> None:
    expected = {
        r[0]
        for r in ro.run("SELECT id FROM articles WHERE instr(title || ' ' || text, '精英') > 0")[1]
    }
    assert expected
    assert {h["id"] for h in _titles(ro, "精英")} == expected


def test_english_phrase_prefix_and_boolean(ro: ReadOnly) -> None:
    phrase = _titles(ro, '"brain drain"')
    assert phrase
    assert all(
        "**brain drain**" in h["snippet"].lower() or "brain drain" in h["title"].lower()
        for h in phrase
    )
    prefix = {h["id"] for h in _titles(ro, "regulat*")}
    assert prefix >= {h["id"] for h in _titles(ro, "regulators")}
    both = {h["id"] for h in _titles(ro, "clawback AND Shanghai")}
    either = {h["id"] for h in _titles(ro, "clawback OR Shanghai")}
    assert both
    assert both < either
    assert not both & {h["id"] for h in _titles(ro, "clawback NOT Shanghai")}


def test_filters_combine(ro: ReadOnly) -> None:
    western = _titles(ro, "pay", group="western")
    assert western
    assert {h["group"] for h in western} == {"western"}
    narrow = _titles(ro, "pay", group="western", tone="negative", since="2024-01-01")
    assert narrow
    assert all(h["tone"] == "negative" and h["published"] >= "2024-01-01" for h in narrow)
    assert len(narrow) < len(western)
    framed = _titles(ro, "pay", frame="talent_drain", lang="en")
    assert framed
    for hit in framed:
        frames = ro.run("SELECT frames FROM article_labels WHERE id = ?", [hit["id"]])[1][0][0]
        assert "talent_drain" in frames
        assert hit["language"] == "en"
    assert {h["outlet"] for h in _titles(ro, "限薪", outlet="xiangjiang-ribao")} == {
        "xiangjiang-ribao"
    }
    assert {h["language"] for h in _titles(ro, "限薪", lang="zh")} <= {"zh", "zh-Hant"}


def test_results_are_ranked_title_matches_first(ro: ReadOnly) -> None:
    hits = _titles(ro, "clawbacks")
    assert "clawback" in hits[0]["title"].lower()


def test_bad_terms_and_filters_are_clear_errors(ro: ReadOnly) -> None:
    with pytest.raises(QueryError, match="not a valid search"):
        search(ro, '"unclosed', Filters())
    with pytest.raises(QueryError, match="--tone 'angry' is unknown"):
        search(ro, "pay", Filters(tone="angry"))
    with pytest.raises(QueryError, match="give search terms"):
        search(ro, "  ", Filters())


def test_snippet_highlights_around_the_first_match() -> None:
    text = "word " * 100 + "the Brain Drain worsens; regulators act" + " tail" * 50
    cut = snippet(text, ["brain drain", "regulat*"], width=80)
    assert cut.startswith("…")
    assert cut.endswith("…")
    assert "**Brain Drain**" in cut
    assert "**regulators**" in cut
    assert snippet("金融业限薪政策", ["限薪"]) == "金融业**限薪**政策"

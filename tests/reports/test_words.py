"""Word choice: tokens in English and Chinese, distinctive terms, sampling, word families."""

from __future__ import annotations

from typing import Any

from reports import words
from reports.words import family_counts, tokens, word_choice


def _article(group: str, text: str, language: str = "en", outlet: str = "o") -> dict[str, Any]:
    return {"grp": group, "title": "", "text": text, "language": language, "outlet": outlet}


def test_english_tokens_drop_stop_words_and_short_words() -> None:
    assert tokens("The crackdown on Bankers' pay is a campaign.", "en") == [
        "crackdown",
        "bankers",
        "pay",
        "campaign",
    ]


def test_chinese_is_segmented_with_the_codebook_words_kept_whole() -> None:
    words_ = tokens("金融业限薪政策推动共同富裕，的了", "zh")
    assert "限薪" in words_
    assert "共同富裕" in words_
    assert "的" not in words_
    assert all(len(w) >= 2 for w in words_)


def test_distinctive_terms_point_the_right_way() -> None:
    articles = [_article("western", "crackdown crackdown purge bankers pay") for _ in range(5)]
    articles += [_article("chinese", "reform regulate fairness pay bankers") for _ in range(5)]
    table = word_choice(articles)[0]
    assert (table["language"], table["first"], table["second"]) == ("en", "western", "chinese")
    assert table["first_terms"][0]["term"] == "crackdown"
    assert table["first_terms"][0]["first"] == 10
    assert table["first_terms"][0]["second"] == 0
    assert {r["term"] for r in table["second_terms"]} == {"reform", "regulate", "fairness"}
    assert "pay" not in {r["term"] for r in table["first_terms"] + table["second_terms"]}
    assert table["articles"] == {
        "western": {"articles": 5, "counted": 5},
        "chinese": {"articles": 5, "counted": 5},
    }
    # no Chinese-language articles on the Western side: said, not computed
    assert word_choice(articles)[2]["note"] == "needs articles on both sides"


def test_outlet_names_are_not_counted() -> None:
    articles = [_article("western", "Meridian Wire reports the crackdown") for _ in range(4)]
    articles += [_article("chinese", "reform reports") for _ in range(4)]
    terms = {r["term"] for r in word_choice(articles, names=["Meridian Wire"])[0]["first_terms"]}
    assert "crackdown" in terms
    assert "meridian" not in terms
    assert "wire" not in terms


def test_large_groups_are_sampled_and_say_so(monkeypatch: Any) -> None:
    monkeypatch.setattr(words, "SAMPLE", 10)
    articles = [_article("western", f"crackdown story {i}") for i in range(25)]
    articles += [_article("chinese", "reform story") for _ in range(3)]
    sizes = word_choice(articles, seed=1)[0]["articles"]
    assert sizes["western"] == {"articles": 25, "counted": 10}
    assert word_choice(articles, seed=1) == word_choice(articles, seed=1)


def test_family_counts_trace_claim_5_to_words() -> None:
    articles = [
        _article("western", "A crackdown, then another crackdown."),
        _article("western", "Reform."),
    ]
    table = family_counts(
        articles, {"crackdown": ("crackdown",), "reform": ("reform",)}, ["western"]
    )
    assert table["western"]["crackdown"]["crackdown"] == {"occurrences": 2, "articles": 1}
    assert table["western"]["reform"]["reform"] == {"occurrences": 1, "articles": 1}
    assert table["western"]["n_articles"] == 2

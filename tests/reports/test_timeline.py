"""The monthly timeline: every month listed, counts per group, milestones inside the window."""

from __future__ import annotations

from reports.timeline import milestones_in, monthly


def test_monthly_counts_fill_empty_months_and_count_undated() -> None:
    articles = [
        {"grp": "western", "published": "2024-11-03", "tone": "negative", "text": "x"},
        {"grp": "western", "published": "2025-01-20T08:00:00+00:00", "tone": "neutral"},
        {"grp": "chinese", "published": "2025-01-02", "tone": "positive"},
        {"grp": "chinese", "published": None, "tone": "positive"},
    ]
    table = monthly(articles, ["western", "chinese"], lambda a: a["published"] >= "2025")
    assert table["months"] == ["2024-11", "2024-12", "2025-01"]
    assert [c["articles"] for c in table["groups"]["western"]] == [1, 0, 1]
    assert [c["negative"] for c in table["groups"]["western"]] == [1, 0, 0]
    assert [c["co_mention"] for c in table["groups"]["chinese"]] == [0, 0, 1]
    assert table["undated"] == 1
    assert [m["label"] for m in milestones_in(table["months"])] == ["DeepSeek"]


def test_no_dated_articles_gives_an_empty_timeline() -> None:
    table = monthly([{"grp": "western", "published": "", "tone": None}], ["western"], bool)
    assert table == {"months": [], "groups": {"western": []}, "undated": 1}
    assert milestones_in([]) == []

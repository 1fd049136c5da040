"""Word choice: the terms that most distinguish Western from Chinese coverage.

English and Chinese are counted apart (an article counts in the language it was labelled
in); Chinese is segmented with jieba, with the codebook's Chinese cue words added to its
dictionary so 限薪 or 共同富裕 stay whole. Scores are log-odds with an informative Dirichlet
prior (stats.log_odds).

Segmenting runs at a few hundred thousand characters a second, so for large corpora the counts come
from a seeded random sample of at most SAMPLE articles per group and language; the report states
how many articles each count rests on.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections import Counter
from collections.abc import Iterable
from functools import cache
from typing import Any

import numpy as np

from db.codebook import CHINA_FINANCE_CUES, FRAME_CUES, PAY_CUES, TONE_CUES
from reports.stats import log_odds

SAMPLE = 1500  # articles per group and language at most
TOP = 15  # terms shown per side
MIN_COUNT = 3  # a term must occur this often in both corpora together
_EN_WORD = re.compile(r"[a-z][a-z'-]{2,}")
_CJK_WORD = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]{2,}$")
_EN_STOP = frozenset(
    """
    the and for that with this from have has had was were are been being but not its his her
    their they them she him who whom which what when where why how all any both each few more
    most other some such than too very can will just should would could may might must shall
    our ours your yours about above after again against below between into through during
    before under over out off once here there then also said says say one two three new year
    years per cent percent mr ms mrs it's that's don't there's while because until these those
    only own same into upon yet did does doing done get got make made many much like even
    still well back last first told according including since among across within without
    """.split()
)
_ZH_STOP = frozenset(
    """
    的 了 是 在 和 与 及 等 也 都 就 而 对 把 被 让 从 向 为 以 于 之 其 这 那 这些 那些 一个 一些
    我们 他们 她们 你们 自己 没有 不是 已经 可以 因为 所以 但是 如果 以及 还是 或者 以上 以下 之后
    之前 目前 其中 进行 表示 认为 指出 记者 报道 今年 去年 一位 这个 那个 以来 通过 对于 关于
    """.split()
)


def searchable(article: dict[str, Any]) -> str:
    """The article's title and text, lower-cased and padded with spaces, for word-family and
    co-mention tests (" ai "); computed once per article and kept on it."""
    if "_searchable" not in article:
        article["_searchable"] = f" {article['title']} {article['text']} ".lower()
    return str(article["_searchable"])


def _language(article: dict[str, Any]) -> str:
    language = (article.get("language") or "").lower()
    return "zh" if language.startswith("zh") else "en" if language.startswith("en") else ""


@cache
def _jieba() -> Any:
    with warnings.catch_warnings():  # jieba 0.42 probes the deprecated pkg_resources
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated")
        import jieba

    jieba.setLogLevel(logging.WARNING)
    for cue in (*PAY_CUES, *CHINA_FINANCE_CUES, *_all_cues()):
        if _CJK_WORD.match(cue):
            jieba.add_word(cue)
    return jieba


def _all_cues() -> Iterable[str]:
    for cues in (*FRAME_CUES.values(), *TONE_CUES.values()):
        yield from cues


def tokens(text: str, language: str) -> list[str]:
    """The countable words of a text: lower-cased English words of 3+ letters, or Chinese
    words of 2+ characters from jieba; stop words dropped."""
    if language == "zh":
        words = _jieba().lcut(text, HMM=False)
        return [w for w in words if _CJK_WORD.match(w) and w not in _ZH_STOP]
    return [w.strip("'-") for w in _EN_WORD.findall(text.lower()) if w not in _EN_STOP]


def _sample(articles: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    if len(articles) <= SAMPLE:
        return articles
    picks = np.random.default_rng(seed).choice(len(articles), size=SAMPLE, replace=False)
    return [articles[i] for i in sorted(picks.tolist())]


COMPARISONS = (("western", "chinese"), ("hongkong", "chinese"))


def word_choice(
    articles: list[dict[str, Any]], seed: int = 0, names: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """Per language, for Western vs Chinese (and Hong Kong vs Chinese) coverage: the terms
    most typical of each side, with counts and the number of articles counted on each side.
    The words of `names` (the outlets' own names) are never counted."""
    excluded = {w for name in names for lang in ("en", "zh") for w in tokens(name, lang)}
    counts: dict[tuple[str, str], Counter[str]] = {}
    sizes: dict[tuple[str, str], dict[str, int]] = {}
    for language in ("en", "zh"):
        for group in ("western", "chinese", "hongkong"):
            members = [a for a in articles if a["grp"] == group and _language(a) == language]
            counted = _sample(members, seed)
            counter: Counter[str] = Counter()
            for article in counted:
                counter.update(tokens(f"{article['title']}\n{article['text']}", language))
            for word in excluded & set(counter):
                del counter[word]
            counts[language, group], sizes[language, group] = (
                counter,
                {
                    "articles": len(members),
                    "counted": len(counted),
                },
            )
    return [
        {
            "language": language,
            "first": first,
            "second": second,
            "articles": {first: sizes[language, first], second: sizes[language, second]},
            **_distinctive(counts[language, first], counts[language, second]),
        }
        for language in ("en", "zh")
        for first, second in COMPARISONS
    ]


def _distinctive(first: Counter[str], second: Counter[str]) -> dict[str, Any]:
    if not first or not second:
        return {"first_terms": [], "second_terms": [], "note": "needs articles on both sides"}
    total = first + second
    kept = {w for w, n in total.items() if n >= MIN_COUNT}
    scores = log_odds(
        {w: n for w, n in first.items() if w in kept},
        {w: n for w, n in second.items() if w in kept},
    )

    def row(s: Any) -> dict[str, Any]:
        return {"term": s.word, "z": s.z, "first": s.count_a, "second": s.count_b}

    return {
        "first_terms": [row(s) for s in scores[:TOP] if s.z > 0],
        "second_terms": [row(s) for s in reversed(scores[-TOP:]) if s.z < 0],
        "note": "",
    }


def family_counts(
    articles: list[dict[str, Any]], families: dict[str, tuple[str, ...]], groups: Iterable[str]
) -> dict[str, Any]:
    """Claim 5's word families: per group, how often each family's words occur (occurrences
    and articles with at least one), so the scorecard's shares can be traced to words."""
    table: dict[str, Any] = {}
    for group in groups:
        members = [a for a in articles if a["grp"] == group]
        texts = [searchable(a) for a in members]
        table[group] = {
            family: {
                word: {
                    "occurrences": sum(t.count(word) for t in texts),
                    "articles": sum(word in t for t in texts),
                }
                for word in words
            }
            for family, words in families.items()
        }
        table[group]["n_articles"] = len(members)
    return table

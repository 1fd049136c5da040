"""Coverage over time: monthly volume of relevant articles per group, the share with negative
tone, the policy's milestones, and claim 6's hedge-fund-and-AI co-mentions by month."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Milestone:
    """A policy event marked on the charts. Months are approximate where `approximate`."""

    month: str  # YYYY-MM
    label: str
    approximate: bool = True


MILESTONES: tuple[Milestone, ...] = (
    Milestone("2021-08", "common prosperity push", approximate=False),
    Milestone("2022-08", "regulators' pay guidance"),
    Milestone("2023-08", "2.9m yuan cap, bonus clawbacks"),
    Milestone("2024-07", "pay caps widen"),
    Milestone("2025-01", "DeepSeek", approximate=False),
)


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def monthly(
    articles: list[dict[str, Any]], groups: Iterable[str], co_mention: Callable[[Any], bool]
) -> dict[str, Any]:
    """Per group and month: relevant articles, negative ones, and quant-and-AI co-mentions.
    Every month between the first and last dated article is listed (zeros included);
    undated articles are counted apart."""
    dated = [a for a in articles if a["published"] and len(a["published"]) >= 7]
    groups = list(groups)
    if not dated:
        return {"months": [], "groups": {g: [] for g in groups}, "undated": len(articles)}
    months = _months(min(a["published"][:7] for a in dated), max(a["published"][:7] for a in dated))
    index = {m: i for i, m in enumerate(months)}
    table: dict[str, list[dict[str, Any]]] = {
        g: [{"month": m, "articles": 0, "negative": 0, "co_mention": 0} for m in months]
        for g in groups
    }
    for article in dated:
        if article["grp"] not in table:
            continue
        cell = table[article["grp"]][index[article["published"][:7]]]
        cell["articles"] += 1
        cell["negative"] += int(article["tone"] == "negative")
        cell["co_mention"] += int(co_mention(article))
    return {"months": months, "groups": table, "undated": len(articles) - len(dated)}


def milestones_in(months: list[str]) -> list[dict[str, Any]]:
    """The milestones that fall inside the charted months."""
    if not months:
        return []
    return [
        {"month": m.month, "label": m.label, "approximate": m.approximate}
        for m in MILESTONES
        if months[0] <= m.month <= months[-1]
    ]

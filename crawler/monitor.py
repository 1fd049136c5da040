"""After each crawl: per outlet, what it yielded against its usual, field coverage and error rate,
with flags for what needs a look (an outlet that suddenly yields nothing, above all).

The "usual" is the median over the outlet's last five finished runs. Candidates *discovered*
(article links found in sitemaps, feeds and listings, known or new) are the signal for a silent
outlet: an incremental run stores nothing new on a quiet day, but an outlet whose sources still
work keeps listing its articles. The result goes into the run's stats (`framegap/monitor`,
`framegap/flags`), which `framegap runs` shows.
"""

from __future__ import annotations

from statistics import median
from typing import Any

from sqlite_utils import Database

from db.queries import recent_monitors, run_outlet_health

MIN_COVERAGE = 0.8  # share of new articles with a title, a date and a text of 50+ words
MAX_ERROR_RATE = 0.5  # errors / (pages + errors), judged from MIN_REQUESTS requests on
MIN_REQUESTS = 4


def monitor(
    db: Database, run_id: int, outlets: list[str], stats: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Per-outlet health of a run and the flags raised (`outlet: reason`)."""
    health = run_outlet_health(db, run_id)
    history = recent_monitors(db, run_id)
    result: dict[str, Any] = {}
    flags: list[str] = []
    for outlet in outlets:
        cell = health.get(outlet, {})
        discovered = int(stats.get(f"framegap/discovered/{outlet}", 0))
        past = [h[outlet] for h in history if outlet in h]
        usual_discovered = median(p["discovered"] for p in past) if past else None
        usual_stored = median(p["stored"] for p in past) if past else None
        stored, pages, errors = cell.get("stored", 0), cell.get("pages", 0), cell.get("errors", 0)
        coverage = {
            field: round(cell.get(f"with_{field}", 0) / stored, 3) if stored else None
            for field in ("title", "date", "text")
        }
        error_rate = round(errors / (pages + errors), 3) if pages + errors else 0.0
        reasons = []
        if discovered == 0 and (usual_discovered is None or usual_discovered > 0):
            reasons.append(
                "yields nothing"
                + (f" (usually {usual_discovered:g} candidates)" if usual_discovered else "")
            )
        for field, share in coverage.items():
            if share is not None and stored >= 5 and share < MIN_COVERAGE:
                reasons.append(f"{field} on only {share:.0%} of new articles")
        if pages + errors >= MIN_REQUESTS and error_rate > MAX_ERROR_RATE:
            reasons.append(f"error rate {error_rate:.0%}")
        result[outlet] = {
            "discovered": discovered,
            "usual_discovered": usual_discovered,
            "pages": pages,
            "stored": stored,
            "usual_stored": usual_stored,
            "coverage": coverage,
            "errors": errors,
            "error_rate": error_rate,
            "flags": reasons,
        }
        flags += [f"{outlet}: {reason}" for reason in reasons]
    return result, flags

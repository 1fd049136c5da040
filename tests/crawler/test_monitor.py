"""The crawl monitor: an outlet that suddenly yields nothing is flagged; coverage and errors."""

from __future__ import annotations

from sqlite_utils import Database

from crawler.monitor import monitor
from db import store
from db.queries import recent_monitors


def _outlet(db: Database, slug: str) -> None:
    store.upsert_outlets(
        db,
        [
            {
                "slug": slug,
                "name": slug,
                "group": "western",
                "country": "GB",
                "language": "en",
                "ownership": "commercial",
                "homepage": f"http://{slug}.test/",
                "timezone": "UTC",
            }
        ],
        is_sample=True,
    )


def _run(db: Database, discovered: dict[str, int], errors: int = 0) -> list[str]:
    run = store.start_run(db, "outlets", list(discovered), is_sample=True)
    for n in range(errors):
        store.record_error(
            db, url=f"http://a.test/{run}/{n}", outlet="a", crawl_run=run, stage="fetch",
            reason="HTTP 500",
        )  # fmt: skip
    stats = {f"framegap/discovered/{o}": n for o, n in discovered.items()}
    result, flags = monitor(db, run, list(discovered), stats)
    store.finish_run(db, run, "finished", {"framegap/monitor": result, "framegap/flags": flags})
    return flags


def test_an_outlet_that_suddenly_yields_nothing_is_flagged(db: Database) -> None:
    for slug in ("a", "b"):
        _outlet(db, slug)
    assert _run(db, {"a": 12, "b": 8}) == []
    assert _run(db, {"a": 10, "b": 9}) == []
    flags = _run(db, {"a": 0, "b": 9})
    assert flags == ["a: yields nothing (usually 11 candidates)"]
    latest = recent_monitors(db, 10)[0]
    assert latest["a"]["usual_discovered"] == 11
    assert latest["b"]["flags"] == []


def test_a_new_outlet_with_nothing_and_many_errors_is_flagged(db: Database) -> None:
    _outlet(db, "a")
    flags = _run(db, {"a": 0}, errors=5)
    assert flags == ["a: yields nothing", "a: error rate 100%"]

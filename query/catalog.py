"""The registry and the crawl history, as the database records them."""

from __future__ import annotations

from typing import Any

from query.readonly import ReadOnly

OUTLETS_SQL = """
SELECT o.slug, o.name, o."group", o.language, o.ownership,
    (SELECT max(p.fetched) FROM pages p WHERE p.outlet = o.slug) AS last_crawled,
    (SELECT count(*) FROM articles a WHERE a.outlet = o.slug) AS articles,
    (SELECT count(*) FROM article_labels l WHERE l.outlet = o.slug AND l.relevant = 1)
        AS relevant,
    o.is_sample
FROM outlets o
WHERE (:group = '' OR o."group" = :group)
ORDER BY o."group", o.slug
"""

RUNS_SQL = """
SELECT r.id, r.started, r.finished, r.status, r.spider,
    json_array_length(r.outlets) AS outlets,
    (SELECT count(*) FROM pages p WHERE p.crawl_run = r.id) AS pages,
    (SELECT count(*) FROM articles a WHERE a.crawl_run = r.id) AS articles,
    (SELECT count(*) FROM crawl_errors e WHERE e.crawl_run = r.id) AS errors,
    json_extract(r.stats, '$.finish_reason') AS finish_reason,
    (SELECT group_concat(value, '; ') FROM json_each(r.stats, '$."framegap/flags"')) AS flags,
    r.is_sample
FROM crawl_runs r
ORDER BY r.id DESC
LIMIT :limit
"""


def outlets(ro: ReadOnly, group: str = "") -> tuple[list[str], list[tuple[Any, ...]]]:
    """Each outlet with its last crawl, articles stored and articles the current model found
    relevant."""
    return ro.run(OUTLETS_SQL, {"group": group})


def runs(ro: ReadOnly, limit: int = 50) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The crawl history, newest first: pages fetched, new articles, errors, and the monitor's
    flags (an outlet that suddenly yields nothing, poor field coverage, many errors)."""
    return ro.run(RUNS_SQL, {"limit": limit})

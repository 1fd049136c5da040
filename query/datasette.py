"""Datasette for a framegap database: metadata that describes every table and column, default
facets, full-text search on articles, and stored queries for the codebook's claims and for
evidence by frame. Read-only unless asked: a small plugin turns on `PRAGMA query_only` for the
framegap database's connections, and Datasette's own SQL page already runs reads only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from db.codebook import AI_STORY_SINCE, AI_WORDS, CRACKDOWN_WORDS, QUANT_WORDS, REFORM_WORDS

CURRENT = "(SELECT version FROM current_model)"
TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "outlets": (
        "The outlets crawled, from the registry (crawler/outlets.toml or the sample sites').",
        {
            "slug": "Short name used everywhere (articles.outlet).",
            "name": "The outlet's name; sample outlets say (sample).",
            "group": "western, chinese (mainland state and commercial media) or hongkong.",
            "country": "ISO country code.",
            "language": "Main language of the outlet (en, zh, zh-Hant).",
            "ownership": "state, commercial or public.",
            "homepage": "The outlet's home page.",
            "timezone": "Time zone used when a page's date has none.",
            "is_sample": "1 for the bundled fictional sample outlets.",
            "updated": "When the registry row was last written (UTC).",
        },
    ),
    "crawl_runs": (
        "One row per crawl: when, which spider and outlets, how it ended, Scrapy's stats.",
        {
            "id": "Run number.",
            "started": "Start time (UTC).",
            "finished": "End time (UTC); empty while running or after a crash.",
            "spider": "The spider that ran (outlets, sitemap, feed, listing, urls, gdelt).",
            "outlets": "JSON list of the outlets crawled.",
            "status": "running, finished, or how it stopped.",
            "stats": "Scrapy's and framegap's counters for the run, as JSON.",
            "is_sample": "1 when the run crawled the sample sites.",
        },
    ),
    "pages": (
        "Every article-candidate page fetched, with its raw HTML (zlib), so extraction can be "
        "re-run without crawling again.",
        {
            "url": "The URL fetched (tracking parameters removed).",
            "outlet": "The outlet's slug.",
            "fetched": "When it was fetched (UTC).",
            "status": "HTTP status.",
            "headers": "Response headers as JSON.",
            "html": "Raw HTML, zlib-compressed.",
            "encoding": "The character encoding the page was decoded with.",
            "kind": "article, non-article (video, paywall stub, index), duplicate or dropped.",
            "note": "Why a page is not an article, or what it duplicates.",
            "crawl_run": "The run that fetched it.",
            "is_sample": "1 for sample-site pages.",
        },
    ),
    "articles": (
        "Extracted articles, one per canonical URL.",
        {
            "id": "First 16 hex digits of the SHA-1 of the canonical URL.",
            "url": "The URL fetched.",
            "canonical_url": "The page's canonical URL.",
            "outlet": "The outlet's slug.",
            "title": "Headline.",
            "byline": "Author(s) as the page states them.",
            "published": "Publication date or time (ISO 8601, UTC when a time is known).",
            "modified": "Last-modified date or time, when the page states one.",
            "language": "Detected language (en, zh, zh-Hant, ...).",
            "text": "Body text, paragraphs separated by blank lines.",
            "paragraphs": "Body paragraphs as a JSON list.",
            "word_count": "Words (a Chinese character counts as one).",
            "content_hash": "SHA-1 of the normalised text.",
            "minhash": "MinHash signature used to find near-duplicates.",
            "dup_cluster": "Id of the first article of its near-duplicate cluster (its own id "
            "when it has none).",
            "topic_score": "Prefilter score from the codebook's pay and China-finance cues.",
            "topic_match": "1 when the prefilter thinks it is on topic (the classifier decides).",
            "topic_cues": "The cues found, as a JSON list.",
            "first_seen": "When first stored (UTC).",
            "last_seen": "When last seen by a crawl (UTC).",
            "crawl_run": "The run that stored it.",
            "is_sample": "1 for sample-site articles.",
        },
    ),
    "crawl_errors": (
        "Pages a crawl did not get, and why.",
        {
            "id": "Row number.",
            "url": "The URL.",
            "outlet": "The outlet's slug.",
            "crawl_run": "The run.",
            "stage": "fetch, robots, parse, ...",
            "reason": "What went wrong.",
            "at": "When (UTC).",
        },
    ),
    "articles_fts": (
        "Full-text index of titles and texts (Chinese stored as overlapping character pairs).",
        {"title": "Indexed title.", "text": "Indexed text."},
    ),
    "models": (
        "Classifier models that labelled articles.",
        {
            "version": "Model version (data fingerprint, encoders, seed, content hash).",
            "created": "When registered (UTC).",
            "encoders": "Encoder per language group, as JSON.",
            "record": "Training record: data fingerprint, seed, code version, dev and test "
            "figures, as JSON.",
        },
    ),
    "predictions": (
        "One row per article and model: relevance and tone.",
        {
            "article_id": "The article.",
            "model_version": "The model that labelled it.",
            "language": "Language the model read it as.",
            "relevant": "1 when the article is about the pay caps (codebook scope).",
            "relevance": "Relevance score (0-1).",
            "tone": "negative, neutral or positive toward the policy; empty when not relevant.",
            "tone_scores": "Score per tone, as JSON.",
            "passages": "How many passages the article was split into.",
            "classified": "When labelled (UTC).",
        },
    ),
    "frame_predictions": (
        "One row per article, model and frame: score, presence and the evidence passage.",
        {
            "article_id": "The article.",
            "model_version": "The model.",
            "frame": "One of the codebook's eight frames.",
            "score": "Highest passage score for the frame (0-1).",
            "present": "1 when the frame is found (score over the model's threshold).",
            "evidence": "The passage that carries the frame (when present).",
            "evidence_score": "That passage's score.",
        },
    ),
    "annotations": (
        "Human labels for checking the model.",
        {
            "id": "Row number.",
            "article_id": "The article.",
            "annotator": "Who labelled it.",
            "relevant": "1 / 0.",
            "tone": "negative, neutral or positive.",
            "frames": "Frames present, as a JSON list.",
            "note": "Free text.",
            "created": "When (UTC).",
        },
    ),
    "current_model": (
        "The model whose labels the views show: the latest registered model with predictions.",
        {"version": "Model version.", "created": "When registered.", "encoders": "Encoders."},
    ),
    "article_labels": (
        "Articles with their outlet, group and the current model's labels.",
        {
            "id": "Article id.",
            "title": "Headline.",
            "url": "Link.",
            "outlet": "Outlet slug.",
            "outlet_name": "Outlet name.",
            "group": "western, chinese or hongkong.",
            "language": "Article language.",
            "published": "Publication date.",
            "month": "Publication month (YYYY-MM).",
            "word_count": "Words.",
            "dup_cluster": "Near-duplicate cluster.",
            "is_sample": "1 for sample data.",
            "model_version": "The current model (empty when it has not labelled the article).",
            "relevant": "1 when relevant.",
            "relevance": "Relevance score.",
            "tone": "Tone toward the policy.",
            "frames": "Frames present, as a JSON list.",
        },
    ),
    "frame_shares": (
        "Per group and frame: relevant articles, how many carry the frame, the share (all "
        "articles; the report also merges near-duplicates and gives intervals).",
        {
            "group": "Outlet group.",
            "frame": "Frame.",
            "relevant_articles": "Relevant articles in the group.",
            "with_frame": "Of those, with the frame.",
            "share": "with_frame / relevant_articles.",
        },
    ),
    "tone_shares": (
        "Per group and tone: relevant articles with the tone and their share.",
        {
            "group": "Outlet group.",
            "tone": "Tone.",
            "articles": "Relevant articles with the tone.",
            "share": "Share of the group's relevant articles.",
        },
    ),
    "evidence": (
        "Evidence passages of the current model: each frame found, with the passage that "
        "carries it, its outlet, date and link.",
        {
            "frame": "Frame.",
            "group": "Outlet group.",
            "outlet": "Outlet slug.",
            "outlet_name": "Outlet name.",
            "published": "Publication date.",
            "title": "Headline.",
            "url": "Link.",
            "passage": "The passage.",
            "evidence_score": "The passage's score.",
            "article_id": "Article id.",
            "model_version": "Model.",
        },
    ),
}
HIDDEN = ("_sqlite_migrations",)


def _share_by_group(label: str, condition: str) -> str:
    return (
        f'SELECT o."group", count(*) AS relevant_articles, sum({condition}) AS with_it,'
        f" round(1.0 * sum({condition}) / count(*), 4) AS share, '{label}' AS measure"
        " FROM predictions p JOIN articles a ON a.id = p.article_id"
        " JOIN outlets o ON o.slug = a.outlet"
        f" WHERE p.model_version = {CURRENT} AND p.relevant = 1"
        ' GROUP BY o."group"'
    )


def _frame(frame: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM frame_predictions f WHERE f.article_id = p.article_id"
        f" AND f.model_version = p.model_version AND f.frame = '{frame}' AND f.present = 1)"
    )


def _words(words: tuple[str, ...]) -> str:
    text = "lower(' ' || coalesce(a.title, '') || ' ' || a.text || ' ')"
    likes = " OR ".join(f"instr({text}, '{w}') > 0" for w in words)
    return f"({likes})"


def canned_queries() -> dict[str, dict[str, Any]]:
    """Stored queries: one per claim of the codebook, and evidence by frame."""
    union = " UNION ALL ".join
    co_mention = f"{_words(QUANT_WORDS)} AND {_words(AI_WORDS)}"
    return {
        "claim_1_harmful_move": {
            "title": "Claim 1: negative tone and the crackdown frame, by group",
            "sql": union(
                [
                    _share_by_group("negative tone", "p.tone = 'negative'"),
                    _share_by_group("crackdown frame", _frame("crackdown")),
                ]
            ),
        },
        "claim_2_bankers": {
            "title": "Claim 2: human_interest and talent_drain frames, by group",
            "sql": union(
                [
                    _share_by_group("human_interest frame", _frame("human_interest")),
                    _share_by_group("talent_drain frame", _frame("talent_drain")),
                ]
            ),
        },
        "claim_3_rationale": {
            "title": "Claim 3: fairness and real_economy frames, by group",
            "sql": union(
                [
                    _share_by_group("fairness frame", _frame("fairness")),
                    _share_by_group("real_economy frame", _frame("real_economy")),
                ]
            ),
        },
        "claim_4_productive_work": {
            "title": "Claim 4: the real_economy frame, by group",
            "sql": _share_by_group("real_economy frame", _frame("real_economy")),
        },
        "claim_5_word_choice": {
            "title": "Claim 5: crackdown-type and reform-type words, by group",
            "sql": union(
                [
                    _share_by_group("crackdown-type words", _words(CRACKDOWN_WORDS)),
                    _share_by_group("reform-type words", _words(REFORM_WORDS)),
                ]
            ),
        },
        "claim_6_quant_to_ai": {
            "title": f"Claim 6: hedge fund/quant and AI co-mentioned, before and after "
            f"{AI_STORY_SINCE}",
            "sql": (
                f"SELECT CASE WHEN a.published >= '{AI_STORY_SINCE}' THEN 'after' ELSE 'before'"
                " END AS period, count(*) AS relevant_articles,"
                f" sum({co_mention}) AS with_it, round(1.0 * sum({co_mention}) / count(*), 4)"
                " AS share FROM predictions p JOIN articles a ON a.id = p.article_id"
                f" WHERE p.model_version = {CURRENT} AND p.relevant = 1"
                " AND a.published IS NOT NULL GROUP BY period ORDER BY period DESC"
            ),
        },
        "evidence_by_frame": {
            "title": "Evidence passages for a frame (and optionally a group)",
            "sql": (
                'SELECT frame, "group", outlet_name, substr(published, 1, 10) AS published,'
                " title, url, passage, evidence_score FROM evidence WHERE frame = :frame"
                " AND (:group = '' OR \"group\" = :group)"
                " ORDER BY evidence_score DESC LIMIT 100"
            ),
            "params": ["frame", "group"],
        },
    }


def metadata(db_name: str) -> dict[str, Any]:
    """Datasette metadata for a framegap database named `db_name`."""
    tables: dict[str, Any] = {
        name: {
            "description": description,
            "columns": columns,
        }
        for name, (description, columns) in TABLES.items()
    }
    tables["articles"] |= {
        "fts_table": "articles_fts",
        "fts_pk": "rowid",
        "facets": ["outlet", "language"],
        "sort_desc": "published",
    }
    tables["article_labels"] |= {
        "facets": ["group", "outlet", "tone", "language", "month", {"array": "frames"}],
        "sort_desc": "published",
    }
    tables["evidence"] |= {"facets": ["frame", "group", "outlet"]}
    tables["predictions"] |= {"facets": ["tone", "relevant", "model_version"]}
    tables["frame_predictions"] |= {"facets": ["frame", "present"]}
    tables |= {name: {"hidden": True} for name in HIDDEN}
    return {
        "title": "framegap",
        "description": "How Western, Chinese and Hong Kong outlets frame China's finance pay "
        "caps. Start with article_labels, frame_shares, evidence and the stored queries. Rows "
        "with is_sample = 1 are the bundled fictional sample data. Search: single words, "
        "English phrases in quotes, and Chinese terms of two characters (for longer Chinese "
        "terms use `framegap search`).",
        "databases": {db_name: {"tables": tables, "queries": canned_queries()}},
    }


PLUGIN = '''"""framegap: the served database is read-only (written by framegap serve)."""
from datasette import hookimpl


@hookimpl
def prepare_connection(conn, database):
    if database == {name!r}:
        conn.execute("PRAGMA query_only = ON")
'''


def serve_command(db: Path, port: int, work: Path, writable: bool = False) -> list[str]:
    """The datasette command line for `db`, with metadata (and the read-only plugin) in `work`."""
    name = db.stem
    (work / "metadata.json").write_text(json.dumps(metadata(name), indent=2, ensure_ascii=False))
    command = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        str(db),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--metadata",
        str(work / "metadata.json"),
        "--setting",
        "sql_time_limit_ms",
        "5000",
        "--setting",
        "facet_time_limit_ms",
        "1000",
    ]
    if not writable:
        plugins = work / "plugins"
        plugins.mkdir(exist_ok=True)
        (plugins / "framegap_read_only.py").write_text(PLUGIN.replace("{name!r}", repr(name)))
        command += ["--plugins-dir", str(plugins)]
    return command

"""Render the report's numbers (reports.build) as Markdown, HTML and JSON, deterministically.

Markdown and JSON are byte-identical for equal inputs (golden-file tests). The HTML is one
self-contained file: CSS inline, charts inline as SVG, no scripts, no requests; readable offline
and printable.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from db.codebook import FRAMES, TONES

BANNER_TITLE = "Sample data."
BANNER_TEXT = (
    "Some or all of these articles come from the bundled fictional sample sites; the figures "
    "test the software, not the media."
)
TITLE = "framegap report: framing of China's finance pay caps"


def pct(value: float | None) -> str:
    """A share as a percentage, or a dash."""
    return "–" if value is None else f"{100 * value:.1f}%"


def figure(side: dict[str, Any]) -> str:
    """A share with its interval and what it rests on."""
    if side["value"] is None:
        return "no articles"
    return (
        f"{pct(side['value'])} [{pct(side['low'])}, {pct(side['high'])}] "
        f"(n={side['n_articles']}, {side['n_outlets']} outlets)"
    )


def points(diff: dict[str, Any]) -> str:
    """A difference in percentage points with its interval."""
    if diff["value"] is None:
        return "–"
    return f"{100 * diff['value']:+.1f} pts [{100 * diff['low']:+.1f}, {100 * diff['high']:+.1f}]"


def to_json(report: dict[str, Any]) -> str:
    """The report as stable JSON (sorted keys, two-space indent, trailing newline)."""
    return json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def summary_line(report: dict[str, Any]) -> str:
    """Model, corpus, window and database in one sentence."""
    params = report["parameters"]
    return (
        f"Model `{report['model_version']}`; {report['relevant_articles']} relevant articles "
        f"(one per near-duplicate cluster and group) from groups {', '.join(params['groups'])}; "
        f"window {params['since'] or 'start'} to {params['until'] or 'end'}; "
        f"database `{report['database_fingerprint'][:12]}`."
    )


def to_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown: every section of the HTML, tables in place of charts."""
    lines = [f"# {TITLE}", ""]
    if report["sample_data"]:
        lines += [f"> **{BANNER_TITLE}** {BANNER_TEXT}", ""]
    lines += [summary_line(report), ""]
    lines += _scorecard(report) + _groups(report["by_group"]) + _words(report)
    lines += _timeline(report["timeline"]) + _evidence(report["evidence"])
    lines += _method(report["method"])
    return "\n".join(lines)


def _scorecard(report: dict[str, Any]) -> list[str]:
    lines = [
        "## Scorecard of the claims",
        "",
        "| claim | measure | first set | second set | difference | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for claim in report["scorecard"]:
        for m in claim["measures"]:
            lines.append(
                f"| {claim['number']} | {m['label']} | {m['first']}: {figure(m[m['first']])} | "
                f"{m['second']}: {figure(m[m['second']])} | {points(m['difference'])} | "
                f"{m['verdict']} |"
            )
    lines += ["", "Claims:", ""]
    lines += [f"{c['number']}. {c['text']}" for c in report["scorecard"]]
    return [*lines, "", f"Rule: {report['rule']} Intervals resample outlets, not articles.", ""]


def _groups(table: dict[str, Any]) -> list[str]:
    groups = list(table)
    lines = [
        "## Tone and frames by group",
        "",
        "| share of relevant articles | " + " | ".join(groups) + " |",
        "|---|" + "---|" * len(groups),
    ]
    for key in table[groups[0]]["shares"] if groups else []:
        cells = [figure(table[g]["shares"][key]) for g in groups]
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    labels = [f"tone:{t}" for t in TONES] + [f"frame:{f}" for f in FRAMES]
    lines += [
        "",
        "Per outlet (n: relevant articles, one per cluster; shares of n):",
        "",
        "| group | outlet | n | " + " | ".join(k.split(":")[1] for k in labels) + " |",
        "|---|---|---|" + "---|" * len(labels),
    ]
    for group in groups:
        for outlet, n in table[group]["articles_per_outlet"].items():
            shares = table[group]["per_outlet"][outlet]
            row = " | ".join(f"{100 * shares[k]:.0f}%" for k in labels)
            lines.append(f"| {group} | {outlet} | {n} | {row} |")
    return [*lines, ""]


def _words(report: dict[str, Any]) -> list[str]:
    lines = ["## Word choice", ""]
    for table in report["word_choice"]:
        first, second = table["first"], table["second"]
        sizes = table["articles"]
        lines += [
            f"### {'English' if table['language'] == 'en' else 'Chinese'}: {first} vs {second} "
            f"({first} {sizes[first]['counted']} of {sizes[first]['articles']} articles counted, "
            f"{second} {sizes[second]['counted']} of {sizes[second]['articles']})",
            "",
        ]
        if table["note"]:
            lines += [f"Not computed: {table['note']}.", ""]
            continue
        lines += [
            f"| typical of | term | z | {first} count | {second} count |",
            "|---|---|---|---|---|",
        ]
        for side in ("first", "second"):
            lines += [
                f"| {table[side]} | {r['term']} | {r['z']:+.2f} | {r['first']} | {r['second']} |"
                for r in table[f"{side}_terms"]
            ]
        lines.append("")
    lines += [
        "Log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008); z above "
        "zero is typical of the first group named. The outlets' own names are not counted.",
        "",
        "Claim 5's word families (articles with the word / occurrences):",
        "",
    ]
    for group, families in report["word_families"].items():
        for family, words in families.items():
            if family == "n_articles":
                continue
            used = [
                f"{w} {c['articles']}/{c['occurrences']}"
                for w, c in words.items()
                if c["occurrences"]
            ]
            lines.append(
                f"- {group} ({families['n_articles']} articles), {family}: "
                f"{', '.join(used) or 'none'}"
            )
    return [*lines, ""]


def _timeline(timeline: dict[str, Any]) -> list[str]:
    lines = ["## Over time", ""]
    if not timeline["months"]:
        return [*lines, "No dated articles.", ""]
    groups = list(timeline["groups"])
    lines += [
        "| month | " + " | ".join(f"{g}: relevant / negative / quant+AI" for g in groups) + " |",
        "|---|" + "---|" * len(groups),
    ]
    for i, month in enumerate(timeline["months"]):
        cells = [timeline["groups"][g][i] for g in groups]
        if any(c["articles"] for c in cells):
            lines.append(
                f"| {month} | "
                + " | ".join(
                    f"{c['articles']} / {c['negative']} / {c['co_mention']}" for c in cells
                )
                + " |"
            )
    lines += ["", "Months with no relevant article are left out of this table.", ""]
    if timeline["undated"]:
        lines += [f"Undated articles (not charted): {timeline['undated']}.", ""]
    lines += ["Milestones:", ""]
    lines += [
        f"- {m['month']}: {m['label']}{' (approximate month)' if m['approximate'] else ''}"
        for m in timeline["milestones"]
    ]
    return [*lines, ""]


def _evidence(rows: list[dict[str, Any]]) -> list[str]:
    lines = ["## Evidence", ""]
    if not rows:
        return [*lines, "No frame was found in these articles.", ""]
    current = None
    for row in rows:
        if (row["frame"], row["grp"]) != current:
            current = (row["frame"], row["grp"])
            lines += ["", f"### {row['frame']} · {row['grp']}", ""]
        lines.append(
            f"- {row['outlet_name']}, {(row['published'] or 'undated')[:10]}, score "
            f"{row['evidence_score']:.2f}, [{row['title'] or row['url']}]({row['url']}): "
            f"“{_one_line(row['evidence'])}”"
        )
    return [*lines, ""]


def _one_line(text: str, limit: int = 400) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _method(method: dict[str, Any]) -> list[str]:
    window = method["window"]
    lines = [
        "## Method and caveats",
        "",
        f"- Window: {window['since'] or 'start'} to {window['until'] or 'end'}; relevant "
        f"articles published {(window['first_published'] or '–')[:10]} to "
        f"{(window['last_published'] or '–')[:10]}.",
        f"- Near-duplicates merged (syndicated copies counted once per group): "
        f"{method['duplicates_merged']}.",
        "- Corpus per outlet (stored / labelled by this model / relevant):",
    ]
    lines += [
        f"  - {o['grp']} · {o['name']} ({o['slug']}): {o['stored']} / {o['labelled']} / "
        f"{o['relevant']}" + (" (sample)" if o["is_sample"] else "")
        for o in method["corpus"]
    ]
    lines.append("- Pages the crawl did not get, by stage and reason:")
    lines += [f"  - {e['stage']}: {e['reason']} ({e['n']})" for e in method["crawl_errors"]]
    if not method["crawl_errors"]:
        lines.append("  - none recorded")
    model = method["model"]
    lines.append(f"- Model `{model['version']}`; its measured accuracy (from its training record):")
    for split in ("test", "dev"):
        for group, figures in sorted(model[split].items()):
            text = ", ".join(f"{k} {v:.3f}" for k, v in sorted(figures.items()))
            lines.append(f"  - {split}, {group}: {text}")
    if not model["test"] and not model["dev"]:
        lines.append("  - not recorded")
    return [*lines, ""]


def to_html(report: dict[str, Any]) -> str:
    """The report as one self-contained HTML page with inline SVG charts."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from reports import charts

    env = Environment(
        loader=FileSystemLoader(Path(__file__).with_name("templates")),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pct=pct, figure=figure, points=points, one_line=_one_line)
    svgs = {
        "scorecard": charts.scorecard(report["scorecard"]),
        "shares": charts.shares(report["by_group"]) if report["relevant_articles"] else "",
        "timeline": charts.timeline(report["timeline"]) if report["timeline"]["months"] else "",
    }
    return env.get_template("report.html.j2").render(
        r=report,
        title=TITLE,
        banner=f"{BANNER_TITLE} {BANNER_TEXT}",
        summary=summary_line(report),
        svgs=svgs,
        tones=TONES,
        frames=FRAMES,
        labels=[f"tone:{t}" for t in TONES] + [f"frame:{f}" for f in FRAMES],
    )

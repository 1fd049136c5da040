"""Render the report's numbers (reports.build) as Markdown and JSON, deterministically."""

from __future__ import annotations

import json
from typing import Any

BANNER = (
    "> **Sample data.** Some or all of these articles come from the bundled fictional sample "
    "sites; the figures test the software, not the media."
)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _figure(side: dict[str, Any]) -> str:
    if side["value"] is None:
        return "no articles"
    return (
        f"{_pct(side['value'])} [{_pct(side['low'])}, {_pct(side['high'])}] "
        f"(n={side['n_articles']}, {side['n_outlets']} outlets)"
    )


def to_json(report: dict[str, Any]) -> str:
    """The report as stable JSON (sorted keys, two-space indent, trailing newline)."""
    return json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def to_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown: banner, parameters, the scorecard, the rule."""
    lines = ["# framegap report: framing of China's finance pay caps", ""]
    if report["sample_data"]:
        lines += [BANNER, ""]
    params = report["parameters"]
    lines += [
        f"Model `{report['model_version']}`; {report['relevant_articles']} relevant articles "
        f"(one per near-duplicate cluster and group); window {params['since'] or 'start'} to "
        f"{params['until'] or 'end'}; database `{report['database_fingerprint'][:12]}`.",
        "",
        "## Scorecard of the claims",
        "",
        "| claim | measure | first set | second set | difference | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for claim in report["scorecard"]:
        for measure in claim["measures"]:
            first, second = measure[measure["first"]], measure[measure["second"]]
            diff = measure["difference"]
            diff_text = (
                "–"
                if diff["value"] is None
                else (
                    f"{100 * diff['value']:+.1f} pts [{100 * diff['low']:+.1f}, "
                    f"{100 * diff['high']:+.1f}]"
                )
            )
            lines.append(
                f"| {claim['number']} | {measure['label']} | {measure['first']}: "
                f"{_figure(first)} | {measure['second']}: {_figure(second)} | {diff_text} | "
                f"{measure['verdict']} |"
            )
    lines += ["", "Claims:", ""]
    lines += [f"{c['number']}. {c['text']}" for c in report["scorecard"]]
    lines += ["", f"Rule: {report['rule']} Intervals resample outlets, not articles.", ""]
    lines += _groups(report["by_group"]) + _method(report["method"])
    return "\n".join(lines)


def _groups(table: dict[str, Any]) -> list[str]:
    groups = list(table)
    lines = [
        "## Tone and frames by group",
        "",
        "| share of relevant articles | " + " | ".join(groups) + " |",
        "|---|" + "---|" * len(groups),
    ]
    for key in table[groups[0]]["shares"]:
        cells = [_figure(table[g]["shares"][key]) for g in groups]
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    lines += ["", "Articles per outlet (relevant, one per cluster):", ""]
    for group in groups:
        outlets = table[group]["articles_per_outlet"]
        listed = ", ".join(f"{o} {n}" for o, n in outlets.items()) or "none"
        lines.append(f"- {group}: {listed}")
    return [*lines, ""]


def _method(method: dict[str, Any]) -> list[str]:
    lines = [
        "## Method and caveats",
        "",
        f"- Near-duplicates merged (syndicated copies counted once per group): "
        f"{method['duplicates_merged']}.",
        "- Pages the crawl did not get, by stage and reason:",
    ]
    lines += [f"  - {e['stage']}: {e['reason']} ({e['n']})" for e in method["crawl_errors"]]
    if not method["crawl_errors"]:
        lines.append("  - none recorded")
    lines.append("- The model's measured accuracy on dev (from its training record):")
    for group, figures in sorted(method["model_dev_figures"].items()):
        text = ", ".join(f"{k} {v:.3f}" for k, v in sorted(figures.items()))
        lines.append(f"  - {group}: {text}")
    if not method["model_dev_figures"]:
        lines.append("  - not recorded")
    return [*lines, ""]

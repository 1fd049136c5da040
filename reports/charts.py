"""The report's charts: matplotlib figures returned as inline SVG text (no files, no fonts to
fetch: glyphs are drawn as paths), deterministic for equal inputs."""

from __future__ import annotations

import io
from typing import Any

from db.codebook import FRAMES, GROUPS, TONES

COLOURS = {"western": "#1f6fb4", "chinese": "#c0392b", "hongkong": "#2e8b57"}
VERDICT_COLOURS = {"supports": "#2e7d32", "contradicts": "#c62828", "too thin to say": "#757575"}


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.hashsalt": "framegap",
            "svg.fonttype": "path",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


def _svg(fig: Any) -> str:
    plt = _pyplot()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog and doctype: inlined in HTML


def shares(by_group: dict[str, Any]) -> str:
    """Every tone and frame share per group, as points with outlet-bootstrap intervals."""
    plt = _pyplot()
    labels = [f"tone:{t}" for t in TONES] + [f"frame:{f}" for f in FRAMES]
    groups = [g for g in GROUPS if g in by_group]
    fig, ax = plt.subplots(figsize=(7.5, 0.42 * len(labels) + 0.8))
    for k, group in enumerate(groups):
        offset = (k - (len(groups) - 1) / 2) * 0.22
        for row, label in enumerate(labels):
            est = by_group[group]["shares"][label]
            if est["value"] is None:
                continue
            y = row + offset
            ax.errorbar(
                100 * est["value"],
                y,
                xerr=[[100 * (est["value"] - est["low"])], [100 * (est["high"] - est["value"])]],
                fmt="o",
                color=COLOURS[group],
                markersize=4,
                capsize=2,
            )
        ax.plot([], [], "o", color=COLOURS[group], label=group)
    ax.set_yticks(range(len(labels)), [label.split(":")[1] for label in labels])
    ax.axhline(len(TONES) - 0.5, color="#bbbbbb", linewidth=0.8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of the group's relevant articles (95% outlet-bootstrap interval)")
    ax.legend(loc="lower right", frameon=False)
    ax.grid(axis="x", color="#eeeeee")
    return _svg(fig)


def scorecard(claims: list[dict[str, Any]]) -> str:
    """Each measure's difference between its two sets, with interval, coloured by verdict."""
    plt = _pyplot()
    rows = [(c["number"], m) for c in claims for m in c["measures"]]
    fig, ax = plt.subplots(figsize=(7.5, 0.38 * len(rows) + 0.9))
    for y, (_, measure) in enumerate(rows):
        diff = measure["difference"]
        if diff["value"] is None:
            ax.text(0, y, "no data", va="center", ha="center", color="#757575")
            continue
        ax.errorbar(
            100 * diff["value"],
            y,
            xerr=[[100 * (diff["value"] - diff["low"])], [100 * (diff["high"] - diff["value"])]],
            fmt="s",
            color=VERDICT_COLOURS[measure["verdict"]],
            markersize=5,
            capsize=3,
        )
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_yticks(
        range(len(rows)),
        [f"{n}. {m['label']} ({m['first']} − {m['second']})" for n, m in rows],
    )
    ax.invert_yaxis()
    ax.set_xlabel("difference in percentage points (95% outlet-bootstrap interval)", labelpad=2)
    for verdict, colour in VERDICT_COLOURS.items():
        ax.plot([], [], "s", color=colour, label=verdict)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False, fontsize=8)
    ax.grid(axis="x", color="#eeeeee")
    return _svg(fig)


def timeline(timeline: dict[str, Any], min_month: int = 3) -> str:
    """Monthly relevant articles per group, the share with negative tone (months with at
    least `min_month` articles), and claim 6's co-mentions, with the policy milestones."""
    plt = _pyplot()
    months = timeline["months"]
    fig, axes = plt.subplots(3, 1, figsize=(8, 7), sharex=True)
    x = range(len(months))
    for group, cells in timeline["groups"].items():
        colour = COLOURS[group]
        axes[0].plot(x, [c["articles"] for c in cells], color=colour, label=group, linewidth=1.3)
        points = [
            (i, 100 * c["negative"] / c["articles"])
            for i, c in enumerate(cells)
            if c["articles"] >= min_month
        ]
        if points:
            axes[1].plot(*zip(*points, strict=True), "o", color=colour, markersize=3.5)
        axes[2].bar(
            [i + (list(timeline["groups"]).index(group) - 1) * 0.27 for i in x],
            [c["co_mention"] for c in cells],
            width=0.27,
            color=colour,
        )
    axes[0].set_ylabel("relevant articles")
    axes[0].legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    axes[1].set_ylabel(f"% negative\n(months with ≥{min_month})")
    axes[1].set_ylim(0, 100)
    axes[2].set_ylabel("quant/hedge fund\n+ AI co-mentions")
    for milestone in timeline["milestones"]:
        i = months.index(milestone["month"])
        for ax in axes:
            ax.axvline(i, color="#999999", linestyle="--", linewidth=0.8)
        label = milestone["label"] + (" (approx.)" if milestone["approximate"] else "")
        axes[0].annotate(
            label,
            (i, 1.03),
            xycoords=("data", "axes fraction"),
            rotation=35,
            va="bottom",
            ha="left",
            fontsize=7,
            color="#555555",
        )
    step = max(1, len(months) // 12)
    axes[2].set_xticks(list(x)[::step], months[::step], rotation=45, ha="right")
    return _svg(fig)

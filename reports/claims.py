"""The essay's claims (../shared/CODEBOOK.md) as measurable comparisons.

Each measure is the share of relevant articles with a property, compared between two sets of
articles; `expected_sign` +1 means the claim expects the first set's share to be higher.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    """One comparison: a property of articles, the two sets compared, the expected direction."""

    label: str
    kind: str  # "tone", "frame", "words" or "co-mention"
    value: str  # the tone, the frame, or the word family's name
    first: str  # "western", or "after" for claim 6
    second: str  # "chinese", or "before"
    expected_sign: int


@dataclass(frozen=True)
class Claim:
    """A claim of the essay and the measures that test it."""

    number: int
    text: str
    measures: tuple[Measure, ...]


def _groups(label: str, kind: str, value: str, sign: int) -> Measure:
    return Measure(label, kind, value, "western", "chinese", sign)


CLAIMS: tuple[Claim, ...] = (
    Claim(
        1,
        "Western coverage presents the pay caps as a harmful move: more negative tone and "
        "more crackdown.",
        (
            _groups("negative tone", "tone", "negative", +1),
            _groups("crackdown frame", "frame", "crackdown", +1),
        ),
    ),
    Claim(
        2,
        "Western coverage sympathises with the bankers: more human_interest and talent_drain.",
        (
            _groups("human_interest frame", "frame", "human_interest", +1),
            _groups("talent_drain frame", "frame", "talent_drain", +1),
        ),
    ),
    Claim(
        3,
        "Western coverage rarely explains the rationale: fewer fairness and real_economy frames.",
        (
            _groups("fairness frame", "frame", "fairness", -1),
            _groups("real_economy frame", "frame", "real_economy", -1),
        ),
    ),
    Claim(
        4,
        "Chinese coverage presents the caps as redirecting talent to productive work: more "
        "real_economy.",
        (Measure("real_economy frame", "frame", "real_economy", "chinese", "western", +1),),
    ),
    Claim(
        5,
        "Word choice differs: crackdown-type words in Western text, reform/regulate-type "
        "words in Chinese text.",
        (
            _groups("crackdown-type words", "words", "crackdown", +1),
            _groups("reform-type words", "words", "reform", -1),
        ),
    ),
    Claim(
        6,
        "The hedge-fund-to-AI story appears in coverage of the caps after January 2025.",
        (
            Measure(
                "hedge fund/quant and AI co-mentioned",
                "co-mention",
                "quant-ai",
                "after",
                "before",
                +1,
            ),
        ),
    ),
)

"""db/codebook.py holds exactly the codebook's names."""

from __future__ import annotations

import re

import pytest

from db.codebook import FRAMES, TONES
from tests.conftest import SHARED

CODEBOOK = SHARED / "CODEBOOK.md"


@pytest.fixture
def codebook_text() -> str:
    if not CODEBOOK.exists():
        pytest.skip(f"{CODEBOOK} is absent (the shared folder is not beside this checkout)")
    return CODEBOOK.read_text(encoding="utf-8")


def _table_names(text: str, heading: str) -> list[str]:
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M)


def test_tones_match_codebook(codebook_text: str) -> None:
    assert tuple(_table_names(codebook_text, "## Tone")) == TONES


def test_frames_match_codebook(codebook_text: str) -> None:
    assert tuple(_table_names(codebook_text, "## Frames")) == FRAMES

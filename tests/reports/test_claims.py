"""The claims use only the codebook's names and cover its six claims."""

from __future__ import annotations

from db.codebook import FRAMES, TONES
from reports.claims import CLAIMS


def test_six_claims_with_codebook_names() -> None:
    assert [c.number for c in CLAIMS] == [1, 2, 3, 4, 5, 6]
    for claim in CLAIMS:
        assert claim.measures
        for measure in claim.measures:
            assert measure.expected_sign in (-1, 1)
            if measure.kind == "tone":
                assert measure.value in TONES
            if measure.kind == "frame":
                assert measure.value in FRAMES
                assert measure.value in claim.text

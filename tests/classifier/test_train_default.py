"""Slow: train the default model (MiniLM and e5) on a subset and check it beats the keywords."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifier.config import TrainingArgs
from classifier.data import load_examples
from classifier.evaluate import evaluate, headline
from classifier.train import train
from tests.conftest import DATA

pytestmark = pytest.mark.slow


def test_default_encoders_on_a_subset_beat_the_keyword_baseline(tmp_path: Path) -> None:
    model, _ = train(TrainingArgs(limit=700), tmp_path / "models", cache_dir=tmp_path / "cache")
    # MiniLM cannot read Chinese: dev should route Chinese to e5, alone or joined with MiniLM
    assert "e5" in model.route["zh"].split("+"), model.route
    test = [e for e in load_examples(DATA) if e.split == "test"]
    report = evaluate(model, test)
    for group in ("en", "zh"):
        mine = headline(report["groups"][group]["model"])
        theirs = headline(report["groups"][group]["baseline"])
        assert mine["tone_macro_f1"] > theirs["tone_macro_f1"] + 0.1, (group, mine, theirs)
        # a 700-passage subset: the full model's margin (+0.22 Chinese frames) is not expected here
        assert mine["frames_micro_f1"] > theirs["frames_micro_f1"], (group, mine, theirs)
        assert mine["relevance_f1"] > theirs["relevance_f1"] + 0.2, (group, mine, theirs)


def test_committed_default_model_passes_its_pinned_floors() -> None:
    import subprocess
    import sys

    from tests.crawler.test_crawl_e2e import ROOT

    result = subprocess.run(
        [sys.executable, str(ROOT / "framegap.py"), "evaluate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "[en]" in result.stdout
    assert "[zh]" in result.stdout

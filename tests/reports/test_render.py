"""A fixture database gives byte-identical report.md and report.json (golden files)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlite_utils import Database

from db import open_db
from reports.build import build
from reports.render import to_json, to_markdown
from tests.crawler.test_crawl_e2e import ROOT
from tests.reports.test_build import _fill

EXPECTED = Path(__file__).with_name("expected")


def _fixture(db: Database) -> None:
    outlets = {f"w{i}": "western" for i in range(3)} | {f"c{i}": "chinese" for i in range(3)}
    _fill(db, outlets, {"western": 0.6, "chinese": 0.1})


def test_golden_markdown_and_json(tmp_path: Path) -> None:
    outputs = []
    for run in range(2):
        db = open_db(tmp_path / f"r{run}.db")
        _fixture(db)
        numbers = build(db)
        outputs.append((to_markdown(numbers), to_json(numbers)))
        db.close()
    assert outputs[0] == outputs[1]
    markdown, json_text = outputs[0]
    if os.environ.get("FRAMEGAP_UPDATE_GOLDEN"):  # after a deliberate change: review the diff
        (EXPECTED / "report.md").write_text(markdown, encoding="utf-8")
        (EXPECTED / "report.json").write_text(json_text, encoding="utf-8")
    assert markdown == (EXPECTED / "report.md").read_text(encoding="utf-8")
    assert json_text == (EXPECTED / "report.json").read_text(encoding="utf-8")
    assert "**Sample data.**" in markdown


def test_report_command_on_an_empty_database_says_what_to_do(tmp_path: Path) -> None:
    open_db(tmp_path / "empty.db").close()
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "framegap.py"),
            "report",
            "--db",
            str(tmp_path / "empty.db"),
            "--out",
            str(tmp_path / "out"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "no labelled articles in this database; run `framegap classify`" in result.stderr
    assert "Traceback" not in result.stderr

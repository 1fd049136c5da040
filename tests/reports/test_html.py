"""report.html: self-contained, every section present, and rendered by a real headless Chromium
(Debian's `chromium`; .ci/run installs it). Without a browser the rendering test skips, except
under CI=true, where a missing browser is a failure."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from db import open_db
from reports.build import build
from reports.render import to_html
from tests.reports.test_render import _fixture

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@pytest.fixture(scope="module")
def html_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    db = open_db(folder / "r.db")
    _fixture(db)
    page = folder / "report.html"
    page.write_text(to_html(build(db)), encoding="utf-8")
    db.close()
    return page


def test_html_is_self_contained_with_every_section(html_file: Path) -> None:
    html = html_file.read_text(encoding="utf-8")
    for section in ("scorecard", "groups", "words", "time", "evidence", "method"):
        assert f'<section id="{section}">' in html
    for chart in ("chart-scorecard", "chart-shares", "chart-timeline"):
        assert re.search(rf'<figure id="{chart}"><svg', html), chart
    assert 'id="sample-banner"' in html
    assert "<script" not in html
    # nothing is fetched: no external stylesheet, image, font or script
    assert not re.search(r'(src|href)="(https?:)?//(?!\w+\.test/)', html)
    assert "金融行业限薪引发担忧" in html  # evidence passages, Chinese included


def _browser() -> str | None:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI") == "true":
        pytest.fail("no Chromium under CI: .ci/run must apt-get install chromium")
    pytest.skip("no headless browser installed (apt-get install chromium)")


def _chromium(browser: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            f"--user-data-dir={cwd / 'profile'}",
            *args,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_chromium_renders_the_report_without_console_errors(html_file: Path) -> None:
    browser = _browser()
    assert browser
    url = html_file.as_uri()
    dom = _chromium(browser, "--dump-dom", url, cwd=html_file.parent)
    assert dom.returncode == 0, dom.stderr[-2000:]
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line]
    assert not console, console
    # the parsed page: the scorecard's rows and the three charts' drawings
    assert dom.stdout.count('<td class="verdict') == 10
    assert len(re.findall(r'<figure id="chart-[a-z]+"><svg', dom.stdout)) == 3
    shot = html_file.parent / "shot.png"
    result = _chromium(
        browser, "--window-size=1200,3000", f"--screenshot={shot}", url, cwd=html_file.parent
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.exists()
    from matplotlib.image import imread

    pixels = imread(str(shot))
    assert pixels.shape[:2] == (3000, 1200)
    # a rendered page, not a blank one: many distinct colours (text, charts, the banner)
    colours = np.unique((pixels[..., :3] * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    assert len(colours) > 50

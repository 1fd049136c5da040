"""framegap schedule: the cron and systemd entries, --install and --remove against a stand-in
crontab command (a script on PATH that keeps the table in a file) and a temporary HOME."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ops.schedule import MARK, Every, ScheduleError

ROOT = Path(__file__).resolve().parents[2]
FAKE_CRONTAB = """#!/bin/sh
# stand-in for crontab(1): -l prints the table, - replaces it from stdin
table="$HOME/crontab.txt"
if [ "$1" = "-l" ]; then
    [ -f "$table" ] && cat "$table" && exit 0
    echo "no crontab" >&2; exit 1
fi
if [ "$1" = "-" ]; then cat > "$table"; exit 0; fi
exit 2
"""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "crontab").write_text(FAKE_CRONTAB)
    (bin_dir / "crontab").chmod(0o755)
    (bin_dir / "systemctl").write_text('#!/bin/sh\necho "$@" >> "$HOME/systemctl.txt"\n')
    (bin_dir / "systemctl").chmod(0o755)
    return {**os.environ, "HOME": str(tmp_path), "PATH": f"{bin_dir}:{os.environ['PATH']}"}


def _schedule(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "framegap.py"), "schedule", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("every", "cron"),
    [("15m", "*/15 * * * *"), ("6h", "17 */6 * * *"), ("1h", "17 * * * *"), ("1d", "17 3 * * *")],
)
def test_intervals(every: str, cron: str) -> None:
    assert Every.parse(every).cron() == cron


@pytest.mark.parametrize("every", ["7h", "0h", "soon", "45m"])
def test_bad_intervals_say_why(every: str) -> None:
    with pytest.raises(ScheduleError, match="--every"):
        Every.parse(every)


def test_install_replace_and_remove_a_crontab_entry(env: dict[str, str], tmp_path: Path) -> None:
    table = tmp_path / "crontab.txt"
    table.write_text("MAILTO=me@example.test\n0 1 * * * backup\n")
    result = _schedule(env, "--every", "6h", "--db", "data/x.db", "--install", "--", "--sample")
    assert result.returncode == 0, result.stderr
    lines = table.read_text().splitlines()
    assert lines[:2] == ["MAILTO=me@example.test", "0 1 * * * backup"]
    assert lines[2] == MARK
    assert lines[3].startswith("17 */6 * * * cd ")
    assert "framegap update --db" in lines[3]
    assert "--sample >> " in lines[3]
    assert lines[3].endswith("update.log 2>&1")
    result = _schedule(env, "--every", "8h", "--install")  # replaces, never duplicates
    assert result.returncode == 0, result.stderr
    assert table.read_text().count(MARK) == 1
    assert "17 */8 * * *" in table.read_text()
    result = _schedule(env, "--remove")
    assert result.stdout.strip() == "removed the framegap schedule"
    assert table.read_text().splitlines() == ["MAILTO=me@example.test", "0 1 * * * backup"]
    assert _schedule(env, "--remove").stdout.strip() == "no framegap schedule"


def test_print_only_changes_nothing(env: dict[str, str], tmp_path: Path) -> None:
    result = _schedule(env, "--every", "1d")
    assert result.returncode == 0
    assert result.stdout.startswith(MARK)
    assert not (tmp_path / "crontab.txt").exists()


def test_systemd_timer_install_and_remove(env: dict[str, str], tmp_path: Path) -> None:
    result = _schedule(env, "--every", "6h", "--systemd", "--install")
    assert result.returncode == 0, result.stderr
    units = tmp_path / ".config" / "systemd" / "user"
    timer = (units / "framegap-update.timer").read_text()
    assert "OnUnitActiveSec=6h" in timer
    assert "framegap update --db" in (units / "framegap-update.service").read_text()
    assert "enable --now framegap-update.timer" in (tmp_path / "systemctl.txt").read_text()
    assert _schedule(env, "--systemd", "--remove").stdout.strip() == "removed the framegap schedule"
    assert not (units / "framegap-update.timer").exists()

"""`framegap schedule`: a crontab entry (or a systemd user timer) that runs `framegap update`
every N minutes, hours or days, with its output appended to a log file. Printed by default;
installed for the current user with --install; removed with --remove."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

MARK = "# framegap update (managed by `framegap schedule`)"
UNIT = "framegap-update"


class ScheduleError(Exception):
    """A schedule that cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class Every:
    """An interval: a number and a unit (m, h, d)."""

    n: int
    unit: str

    @classmethod
    def parse(cls, text: str) -> Every:
        """'30m', '6h', '1d'; cron needs minutes dividing 60, hours dividing 24."""
        match = re.fullmatch(r"(\d+)\s*([mhd])", text.strip().lower())
        if not match or int(match.group(1)) == 0:
            raise ScheduleError(f"--every {text!r}: write a number and m, h or d, e.g. 6h")
        every = cls(int(match.group(1)), match.group(2))
        if (every.unit == "m" and 60 % every.n) or (every.unit == "h" and 24 % every.n):
            raise ScheduleError(
                f"--every {text}: cron repeats evenly only for minutes dividing 60 and hours "
                "dividing 24 (e.g. 15m, 6h, 8h)"
            )
        return every

    def cron(self) -> str:
        """The five cron time fields (at minute 17, off the hour when everybody runs)."""
        if self.unit == "m":
            return f"*/{self.n} * * * *" if self.n > 1 else "* * * * *"
        if self.unit == "h":
            return f"17 */{self.n} * * *" if self.n > 1 else "17 * * * *"
        return f"17 3 */{self.n} * *" if self.n > 1 else "17 3 * * *"

    def systemd(self) -> str:
        """A systemd OnUnitActiveSec value."""
        return f"{self.n}{ {'m': 'min', 'h': 'h', 'd': 'd'}[self.unit] }"


def command(framegap: Path, db: Path, log: Path, extra: list[str]) -> str:
    """The shell command a scheduler runs."""
    args = [str(framegap), "update", "--db", str(db.resolve()), *extra]
    return f"{shlex.join(args)} >> {shlex.quote(str(log.resolve()))} 2>&1"


def cron_line(every: Every, cmd: str, workdir: Path) -> str:
    """The crontab line (with the marker comment above it)."""
    return f"{MARK}\n{every.cron()} cd {shlex.quote(str(workdir.resolve()))} && {cmd}"


def _crontab() -> str:
    path = shutil.which("crontab")
    if not path:
        raise ScheduleError("no crontab command here; install cron, or use --systemd")
    return path


def _current_crontab() -> list[str]:
    result = subprocess.run([_crontab(), "-l"], capture_output=True, text=True, check=False)
    return result.stdout.splitlines() if result.returncode == 0 else []


def _without_ours(lines: list[str]) -> list[str]:
    kept, skip = [], False
    for line in lines:
        if line == MARK:
            skip = True
            continue
        if skip:
            skip = False
            continue
        kept.append(line)
    return kept


def _write_crontab(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n" if lines else ""
    subprocess.run([_crontab(), "-"], input=text, text=True, check=True)


def install_cron(line: str) -> None:
    """Put the entry in the user's crontab, replacing an earlier framegap entry."""
    _write_crontab([*_without_ours(_current_crontab()), *line.splitlines()])


def remove_cron() -> bool:
    """Take the framegap entry out of the user's crontab; whether there was one."""
    lines = _current_crontab()
    kept = _without_ours(lines)
    if kept != lines:
        _write_crontab(kept)
    return kept != lines


def systemd_units(every: Every, cmd: str, workdir: Path) -> dict[str, str]:
    """The service and timer unit files for a systemd user timer."""
    service = (
        "[Unit]\nDescription=framegap update: crawl, classify, report\n\n"
        f"[Service]\nType=oneshot\nWorkingDirectory={workdir.resolve()}\n"
        f"ExecStart=/bin/sh -c {shlex.quote(cmd)}\n"
    )
    timer = (
        "[Unit]\nDescription=Run framegap update on a schedule\n\n"
        f"[Timer]\nOnBootSec=5min\nOnUnitActiveSec={every.systemd()}\nPersistent=true\n\n"
        "[Install]\nWantedBy=timers.target\n"
    )
    return {f"{UNIT}.service": service, f"{UNIT}.timer": timer}


def systemd_dir() -> Path:
    """Where user units live."""
    return Path.home() / ".config" / "systemd" / "user"


def install_systemd(units: dict[str, str]) -> list[str]:
    """Write the units and enable the timer; the commands run (systemctl may be absent)."""
    folder = systemd_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in units.items():
        (folder / name).write_text(text)
    return _systemctl(["daemon-reload"], ["enable", "--now", f"{UNIT}.timer"])


def remove_systemd() -> bool:
    """Disable the timer and delete the units; whether there were any."""
    folder = systemd_dir()
    files = [folder / f"{UNIT}.service", folder / f"{UNIT}.timer"]
    present = [f for f in files if f.exists()]
    if present:
        _systemctl(["disable", "--now", f"{UNIT}.timer"])
        for path in present:
            path.unlink()
        _systemctl(["daemon-reload"])
    return bool(present)


def _systemctl(*commands: list[str]) -> list[str]:
    systemctl = shutil.which("systemctl")
    done = []
    for args in commands:
        if systemctl:
            subprocess.run([systemctl, "--user", *args], check=False, capture_output=True)
        done.append(f"systemctl --user {' '.join(args)}" + ("" if systemctl else " (not run)"))
    return done

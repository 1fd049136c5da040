"""The project deploys to a real Scrapyd (started here on a free loopback port) with
scrapyd-deploy, and its `outlets` spider crawls the sample sites there into a database."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.sample.server import SampleServer
from tests.conftest import free_port, wait_for_http
from tests.ops.test_update import _count

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.network, pytest.mark.slow]


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    (tmp_path / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {tmp_path / 'eggs'}\nlogs_dir = {tmp_path / 'logs'}\nitems_dir =\n"
        f"dbs_dir = {tmp_path / 'dbs'}\npoll_interval = 0.5\nmax_proc = 1\n"
    )
    with (tmp_path / "scrapyd.log").open("w") as log:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("scrapyd"))],
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    wait_for_http(f"{url}/daemonstatus.json", process, tmp_path / "scrapyd.log")
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_deploy_and_crawl_on_scrapyd(
    tmp_path: Path, scrapyd: str, sample_server: SampleServer
) -> None:
    import requests

    egg = tmp_path / "framegap.egg"
    built = subprocess.run(
        [str(Path(sys.executable).with_name("scrapyd-deploy")), "--build-egg", str(egg)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    with egg.open("rb") as handle:
        added = requests.post(
            f"{scrapyd}/addversion.json",
            data={"project": "framegap", "version": "test"},
            files={"egg": handle},
            timeout=60,
        ).json()
    assert added["status"] == "ok", added
    spiders = requests.get(f"{scrapyd}/listspiders.json", params={"project": "framegap"}).json()
    assert set(spiders["spiders"]) == {"feed", "gdelt", "listing", "outlets", "sitemap", "urls"}
    db = tmp_path / "f.db"
    job = requests.post(
        f"{scrapyd}/schedule.json",
        data=[
            ("project", "framegap"),
            ("spider", "outlets"),
            ("registry", "sample"),
            ("setting", f"FRAMEGAP_DB={db}"),
            ("setting", f"FRAMEGAP_SAMPLE_PROXY={sample_server.proxy}"),
            ("setting", "RETRY_BACKOFF_BASE=0.05"),
        ],
        timeout=60,
    ).json()
    assert job["status"] == "ok", job
    deadline = time.monotonic() + 240
    while True:
        jobs = requests.get(f"{scrapyd}/listjobs.json", params={"project": "framegap"}).json()
        if any(j["id"] == job["jobid"] for j in jobs["finished"]):
            break
        assert time.monotonic() < deadline, jobs
        time.sleep(1)
    logs = "".join(p.read_text() for p in (tmp_path / "logs").rglob("*.log"))
    assert _count(db, "SELECT count(*) FROM articles") == 169, logs[-3000:]
    assert _count(db, "SELECT count(*) FROM crawl_runs WHERE status = 'finished'") == 1

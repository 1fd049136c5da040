"""Shared fixtures: an in-memory database, the sample sites, a running sample server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler.sample.server import SampleServer, serving
from crawler.sample.site import SampleSites, load_sites
from db import open_db

os.environ.setdefault("HF_HUB_OFFLINE", "1")
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def db() -> Iterator[Database]:
    """A fresh in-memory framegap database."""
    database = open_db(":memory:")
    yield database
    database.close()


@pytest.fixture(scope="session")
def sample_sites() -> SampleSites:
    """The bundled sample sites, loaded once."""
    return load_sites()


@pytest.fixture
def sample_server(sample_sites: SampleSites) -> Iterator[SampleServer]:
    """The sample server on a free loopback port, with its own request log."""
    with serving(0, sample_sites) as server:
        yield server

"""Shared fixtures: an in-memory database, the sample sites, a running sample server, and a
tiny classifier model."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from classifier.config import TrainingArgs
from classifier.data import load_examples
from classifier.model import Model
from classifier.train import train
from crawler.sample.server import SampleServer, serving
from crawler.sample.site import SampleSites, load_sites
from db import open_db

os.environ.setdefault("HF_HUB_OFFLINE", "1")
SHARED = Path(__file__).resolve().parents[2] / "shared"


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (for servers a test starts)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, process: subprocess.Popen[bytes], log: Path, limit: float = 60) -> None:
    """Wait until `url` answers; fail with the end of `log` if the process dies or time runs out."""
    deadline = time.monotonic() + limit
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"{url} did not answer: {log.read_text()[-2000:]}")
            time.sleep(0.2)


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


# A tiny transformer encoder built in the test (random weights, a small vocabulary), and a tiny
# model trained on it: fast, and nothing downloaded or shipped (classifier and ops tests).
DATA = Path(__file__).resolve().parents[1] / "classifier" / "data"


@pytest.fixture(scope="session")
def tiny_encoder(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A 2-layer BERT with a vocabulary from the training data, saved to a temporary folder."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-bert")
    words: dict[str, int] = {}
    for example in load_examples(DATA):
        for token in re.findall(r"[a-z]+|[\u4e00-\u9fff]", example.text.lower()):
            words[token] = words.get(token, 0) + 1
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab += sorted(w for w, n in words.items() if n >= 3)[:6000]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(folder / "vocab.txt"), do_lower_case=True)
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=48,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=96,
        max_position_embeddings=256,
    )
    BertModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return str(folder)


@pytest.fixture(scope="session")
def tiny_model(tiny_encoder: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Model, Path]:
    """A model trained on 400 passages with the tiny encoder (seconds)."""
    args = TrainingArgs(encoders=(tiny_encoder,), limit=400, max_tokens=64, c_grid=(1.0, 4.0))
    return train(args, tmp_path_factory.mktemp("models"), cache_dir=None)

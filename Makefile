# framegap: `make demo` runs the main job on the bundled sample sites; `make test` runs the checks.
# Both create .venv and install what they need (torch is the CPU build from this machine's disk).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DB := data/demo/framegap.db

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/framegap crawl --sample --db $(DEMO_DB)
	test -f models/DEFAULT || $(BIN)/framegap train
	$(BIN)/framegap classify --db $(DEMO_DB)
	$(BIN)/framegap report --db $(DEMO_DB) --out data/demo/report

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	HF_HUB_OFFLINE=1 $(BIN)/pytest

bench: install
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/crawl.py
	$(BIN)/python bench/classify.py
	$(BIN)/python bench/report.py

clean:
	rm -rf $(VENV) data/demo .pytest_cache .mypy_cache .ruff_cache

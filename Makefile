# The README's commands. `make run` and `make test` each set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run test bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

## Ingest seeds/ into content/, then build the archive into public/.
run: $(STAMP)
	$(BIN)/gazette ingest seeds
	$(BIN)/gazette build

## The whole test suite.
test: $(STAMP)
	$(BIN)/python -m pytest -q

## Benchmarks against Hugo and Pelican (see bench/README.md).
bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf public .gazette

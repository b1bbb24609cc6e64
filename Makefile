# The README's commands. `make run` and `make test` each set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run test bench clean lock install-check

# every dependency at the version in requirements.lock, the versions the tests ran with
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

# axe-core for the accessibility tests, at the version in tests/a11y/package-lock.json
# (without npm the accessibility tests skip, or fail under CI=true)
AXE := tests/a11y/node_modules/axe-core/axe.min.js
$(AXE): tests/a11y/package.json tests/a11y/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/a11y --no-audit --no-fund --loglevel=error && touch $(AXE); \
	else echo "npm not found: the accessibility tests will be skipped (apt-get install npm)"; fi

setup: $(STAMP) $(AXE)

## Ingest seeds/ into content/, then build the archive into public/.
run: $(STAMP)
	$(BIN)/gazette ingest seeds
	$(BIN)/gazette build

## The whole test suite.
test: $(STAMP) $(AXE)
	$(BIN)/python -m pytest -q

## Benchmarks against Hugo and Pelican (see bench/README.md).
bench: $(STAMP)
	$(BIN)/python bench/run.py

## Refresh requirements.lock after changing the dependencies in pyproject.toml.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet pip-tools==7.7.0
	.venv-lock/bin/pip-compile --quiet --extra test --strip-extras --no-emit-index-url --no-emit-find-links \
	    --output-file requirements.lock pyproject.toml
	rm -rf .venv-lock

## `pip install .` with the pip that Python bundles (not upgraded) into a fresh venv, then ingest an HTML seed.
install-check:
	bash .ci/install-check

clean:
	rm -rf public .gazette

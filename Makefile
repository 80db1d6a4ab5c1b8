# urbanorder — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=
# One test worker per core (pytest-xdist); a file's tests stay together, in order, on one
# worker. PYTEST_WORKERS= runs them in this process (for -x, --pdb).
PYTEST_WORKERS ?= -n auto --dist loadfile

.PHONY: run test setup test-setup system-deps test-system-deps lint bench clean

run: setup
	$(BIN)/urbanorder init
	$(BIN)/urbanorder demo --if-empty
	$(BIN)/urbanorder serve --host $(HOST) --port $(PORT)

test: test-setup
	$(BIN)/python -m pytest --doctest-modules $(PYTEST_WORKERS) $(PYTEST_ARGS)

setup: system-deps $(VENV)/.installed

# eslint (tests/test_eslint.py) comes from npm, for the tests only: `make run` needs no npm.
test-setup: test-system-deps $(VENV)/.installed-test node_modules/.installed

system-deps:
	@bash scripts/system-deps.sh run

test-system-deps:
	@bash scripts/system-deps.sh test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(VENV)/.installed $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lint: test-setup
	$(BIN)/ruff check .
	node_modules/.bin/eslint static/js static/sw.js eslint.config.js

bench: test-setup
	$(BIN)/python bench/bench_foundation.py

clean:
	rm -rf $(VENV) node_modules instance/urbanorder.db

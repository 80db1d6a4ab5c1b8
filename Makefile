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

.PHONY: run test setup test-setup system-deps test-system-deps lint bench catalogue clean

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

# The message catalogue (docs/translating.md): extract the Vietnamese msgids into the .pot,
# merge them into each language's .po (translators fill in the new ones), compile the .mo
# that the app reads, and the browser's share of it (static/i18n/<lang>.json, read by
# static/js/i18n.js). The .mo and the JSON are committed, so `make run` needs no build step.
TRANSLATIONS := data/translations
catalogue: test-setup
	$(BIN)/pybabel extract --mapping-file babel.cfg --keywords _l --keywords lazy_gettext \
		--keywords translate --keywords translate_plural:1,2 --keywords pgettext:1c,2 \
		--no-location --sort-output --ignore-dirs '.*' \
		--output-file $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update --input-file $(TRANSLATIONS)/messages.pot \
		--output-dir $(TRANSLATIONS) --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile --directory $(TRANSLATIONS) --statistics
	$(BIN)/python scripts/js_catalogue.py

clean:
	rm -rf $(VENV) node_modules instance/urbanorder.db

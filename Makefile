# Two commands on a fresh clone:  `make run` (set up, open the app)  and  `make test`.
VENV   ?= .venv
PYTHON ?= python3
PY      = $(VENV)/bin/python
ARGS   ?=

.PHONY: setup system-deps test-system-deps run test lint bench build clean

$(VENV)/.installed: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

system-deps:
	@sh packaging/system-deps.sh

test-system-deps:
	@sh packaging/system-deps.sh --test

setup: system-deps $(VENV)/.installed

run: setup
	$(VENV)/bin/stancemark $(ARGS)

lint: setup
	$(PY) -m ruff check desktop tests
	$(PY) -m mypy

# Lint and tests both run (so a lint slip still shows the test results); any failure fails.
test: setup test-system-deps
	@status=0; \
	$(PY) -m ruff check desktop tests || status=1; \
	$(PY) -m mypy || status=1; \
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS) || status=1; \
	exit $$status

bench: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.benchmarks $(ARGS)

build: setup
	$(PY) packaging/build.py $(ARGS)

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache

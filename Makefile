# Quick start: `make demo` and `make test` set everything up themselves.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test test-slow bench docs clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test,cluster]"
	touch $@ $(STAMP)

demo: $(STAMP)
	$(PY) -m sim run scenarios/baseline.toml

test: $(TEST_STAMP)
	$(PY) -m pytest

test-slow: $(TEST_STAMP)
	$(PY) -m pytest -m slow

bench: $(STAMP)
	$(PY) experiments/benchmark.py

docs: $(STAMP)
	$(PY) -m sim.docs > docs/scenario-format.md

clean:
	rm -rf $(VENV) build *.egg-info

# Quick start: `make demo` and `make test` set everything up themselves.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
VIZ_STAMP := $(VENV)/.installed-viz
SCENARIO ?= scenarios/baseline.toml

.PHONY: demo test test-slow bench bench-city docs viz clean baseline

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test,viz,cluster]"
	touch $@ $(STAMP) $(VIZ_STAMP)

$(VIZ_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[viz]"
	touch $@ $(STAMP)

# The main job: compare the Changsha district's budget splits, spreading rules and platform
# matching (20 paired replications each) and write the planner's report under results/.
DEMO_SCENARIOS := $(addprefix scenarios/changsha/,base.toml spread_equal.toml spread_need_weighted.toml \
	spread_performance.toml split_stations_heavy.toml split_services_heavy.toml platform.toml)
DEMO_OUT := results/demo-changsha

demo: $(STAMP)
	$(PY) -m sim compare $(DEMO_SCENARIOS) --replications 20 --seed 2026 --out $(DEMO_OUT) --lang zh
	$(PY) -m sim report $(DEMO_OUT) --lang en
	@echo "Demo done: open $(DEMO_OUT)/report-zh/report.html (中文) or $(DEMO_OUT)/report-en/report.html (English)"

test: $(TEST_STAMP)
	$(PY) -m pytest

# rewrite the golden baseline on purpose (tests/golden/baseline.json); commit its diff on its own
baseline: $(TEST_STAMP)
	$(PY) -m tests.golden.runs --write

test-slow: $(TEST_STAMP)
	$(PY) -m pytest -m slow

# the classroom app on http://127.0.0.1:8765 (`make viz SCENARIO=scenarios/levers/points.toml`)
viz: $(VIZ_STAMP)
	$(PY) -m sim viz $(SCENARIO)

bench: $(STAMP)
	$(PY) experiments/benchmark.py

# the city at 25, 100 and 500 communities of 10,000 residents, one year each (several minutes)
bench-city: $(STAMP)
	$(PY) experiments/benchmark_city.py

docs: $(STAMP)
	$(PY) -m sim.docs > docs/scenario-format.md

clean:
	rm -rf $(VENV) build *.egg-info

"""The golden baseline: a refactor leaves every KPI and series of the fixed runs unchanged, bit for bit."""

from __future__ import annotations

import json

import pytest

from .golden.runs import GOLDEN, RUNS, golden_run, key

STORED = json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.mark.parametrize("run", RUNS, ids=[key(*run) for run in RUNS])
def test_fixed_run_matches_the_golden_file(run: tuple[str, int, int]) -> None:
    """Exact equality; if the model changed on purpose, run `make baseline` and commit the diff alone."""
    stored, fresh = STORED[key(*run)], golden_run(*run)
    moved = {k: (stored["kpis"].get(k), v) for k, v in fresh["kpis"].items() if stored["kpis"].get(k) != v}
    assert not moved, f"KPIs moved (stored, now): {moved}"
    assert set(stored["kpis"]) == set(fresh["kpis"]), "the set of KPIs changed"
    assert stored["series"] == fresh["series"], "a daily series changed"
    assert stored["communities"] == fresh["communities"], "per-community KPIs changed"
    assert stored["unmet_by_cell"] == fresh["unmet_by_cell"], "the unmet-need map changed"


def test_golden_file_names_exactly_the_fixed_runs() -> None:
    assert set(STORED) == {key(*run) for run in RUNS}

"""Hypothesis: over random valid scenarios, every invariant holds, every need ends in exactly one state, and
a headless run (no Mesa agents) gives exactly the results of a run with agents."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings

from sim.metrics import invariants
from sim.needs import State
from sim.run import resolve, simulate

from .conftest import BASELINE, run_model
from .strategies import scenarios


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_invariants_hold_in_every_run(case) -> None:
    scenario, seed = case
    model = run_model(scenario, seed=seed)
    checks = invariants(model)
    assert all(checks.values()), checks
    state = model.needs.view("state")
    assert set(np.unique(state).tolist()) <= {int(s) for s in State}
    kpis = model.result().kpis
    assert kpis["needs_arisen"] == kpis["needs_met"] + kpis["needs_unmet"] + kpis["needs_pending"]
    assert all(np.isfinite(v) for v in kpis.values())
    for key in ("coverage", "coverage_elderly", "coverage_hardship", "volunteer_retention", "unmet_gini", "satisfaction_mean"):
        assert 0.0 <= kpis[key] <= 1.0, key
    assert kpis["leverage"] >= 0.0 and kpis["cost_per_need_met_yuan"] >= 0.0
    closed = state >= State.MET
    assert np.all(model.needs.view("close_day")[closed] >= model.needs.view("arrival_day")[closed])
    met = state == State.MET
    assert np.all(model.needs.view("match_day")[met] >= 0)
    assert simulate(scenario, seed=seed) == model.result()  # the Mesa view changes nothing


def test_tiny_budget_gives_finite_leverage() -> None:
    scenario = resolve(BASELINE, {"days": 20, "communities.baseline.residents": 50, "budget.total_yuan": 2.2e-311})
    assert run_model(scenario, seed=2).result().kpis["leverage"] == 0.0

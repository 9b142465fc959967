"""Hypothesis: over random valid scenarios, every invariant holds and every need ends in exactly one state."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.metrics import invariants
from sim.needs import State
from sim.run import resolve

from .conftest import BASELINE, run_model

SPLIT_LINES = ("stations", "demonstration", "hub_awards", "purchased_services", "fund_seed")


@st.composite
def scenarios(draw: st.DrawFn):
    """Small random valid scenarios: one or two communities, any lever settings."""
    raw = draw(st.lists(st.floats(0.0, 1.0), min_size=5, max_size=5).filter(lambda xs: sum(xs) > 0.01))
    shares = [x / sum(raw) for x in raw]
    shares[-1] = max(0.0, 1.0 - sum(shares[:-1]))
    elderly = draw(st.floats(0.0, 0.6))
    overrides = {
        "days": draw(st.integers(1, 60)),
        "communities.baseline.residents": draw(st.integers(1, 600)),
        "communities.baseline.volunteers": draw(st.integers(0, 60)),
        "communities.baseline.compounds": draw(st.integers(1, 12)),
        "communities.baseline.share_elderly": elderly,
        "communities.baseline.share_children": draw(st.floats(0.0, 1.0 - elderly)),
        "communities.baseline.share_hardship": draw(st.floats(0.0, 0.3)),
        "communities.baseline.vulnerable_clustering": draw(st.floats(0.0, 1.0)),
        "budget.total_yuan": draw(st.floats(0.0, 2e6)),
        "budget.spread_rule": draw(st.sampled_from(["equal", "per_capita", "need_weighted", "performance"])),
        **{f"budget.split_{line}": share for line, share in zip(SPLIT_LINES, shares)},
        "linkage.online_reporting": draw(st.booleans()),
        "linkage.matching_scope": draw(st.sampled_from(["community", "platform"])),
        "linkage.service_mode": draw(st.sampled_from(["order", "list", "mixed"])),
        "linkage.points_enabled": draw(st.booleans()),
        "linkage.fund_matching_ratio": draw(st.floats(0.0, 3.0)),
        "linkage.deliberation": draw(st.booleans()),
        "linkage.discovery.patrol_share": draw(st.floats(0.0, 1.0)),
        "linkage.discovery.visit_interval_days": draw(st.integers(0, 40)),
        "linkage.discovery.meeting_interval_days": draw(st.integers(0, 40)),
        "volunteers.quit_rate_per_year": draw(st.floats(0.0, 0.9)),
    }
    if draw(st.booleans()):
        overrides["communities.second.residents"] = draw(st.integers(1, 400))
        overrides["communities.second.volunteers"] = draw(st.integers(0, 20))
    return resolve(BASELINE, overrides), draw(st.integers(0, 2**32))


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


def test_tiny_budget_gives_finite_leverage() -> None:
    scenario = resolve(BASELINE, {"days": 20, "communities.baseline.residents": 50, "budget.total_yuan": 2.2e-311})
    assert run_model(scenario, seed=2).result().kpis["leverage"] == 0.0

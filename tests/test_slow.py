"""Long checks, run with ``make test-slow`` (deselected from ``make test``)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from sim.calibration import Objective, load_targets
from sim.loading import load_scenario
from sim.metrics import invariants

from .conftest import ROOT, run_model
from .test_calibration import SHIPPED
from .strategies import scenarios

pytestmark = pytest.mark.slow


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_invariants_hold_over_a_wide_random_search(case) -> None:  # noqa: ANN001
    """Not derandomised: each run explores new scenarios (the fast suite's search is fixed)."""
    scenario, seed = case
    checks = invariants(run_model(scenario, seed=seed))
    assert all(checks.values()), checks


@pytest.mark.parametrize(("scenario", "targets"), SHIPPED)
def test_calibration_holds_on_seeds_the_fit_never_saw(scenario: str, targets: str) -> None:
    loaded = load_scenario(ROOT / "scenarios" / scenario)
    spec = load_targets(ROOT / "scenarios" / "targets" / targets)
    objective = Objective(loaded, spec, [loaded.seed + 100 + i for i in range(5)], spec.days, targets)
    evaluation = objective.evaluate(objective.start)
    assert evaluation.all_within, evaluation.relative_error

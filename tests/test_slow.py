"""Long checks, run with ``make test-slow`` (deselected from ``make test``)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from sim.calibration.joint import JointObjective, load_places
from sim.calibration.joint_spec import load_joint
from sim.metrics import invariants

from .conftest import run_model
from .test_calibration import JOINT
from .strategies import scenarios

pytestmark = pytest.mark.slow


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_invariants_hold_over_a_wide_random_search(case) -> None:  # noqa: ANN001
    """Not derandomised: each run explores new scenarios (the fast suite's search is fixed)."""
    scenario, seed = case
    checks = invariants(run_model(scenario, seed=seed))
    assert all(checks.values()), checks


def test_joint_calibration_holds_on_seeds_the_fit_never_saw() -> None:
    """Five unseen seeds per place (scenario seed + 100..104): every fitted and held-out pattern within tolerance."""
    spec = load_joint(JOINT)
    objective = JointObjective(spec, load_places(spec, JOINT, fitted=True), seeds=5, workers=2, seed_offset=100)
    try:
        evaluation = objective.evaluate({})
    finally:
        objective.close()
    assert all(evaluation.within.values()), {n: e for n, e in evaluation.relative_error.items() if not evaluation.within[n]}

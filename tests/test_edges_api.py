"""The Python API's argument checks, numpy scalars, default seed and flat memory (issue 12)."""

from __future__ import annotations

import gc

import numpy as np
import pytest

import sim
from sim.errors import ScenarioError
from sim.loading import load_scenario

from .conftest import BASELINE, small

TINY = {"communities.baseline.residents": 300, "communities.baseline.volunteers": 10}


def test_bad_overrides_name_the_argument() -> None:
    with pytest.raises(ScenarioError, match=r"overrides: key 1 is not a dotted key string"):
        sim.run_scenario(BASELINE, overrides={1: 2}, days=2)
    with pytest.raises(TypeError, match=r"^overrides: expected a mapping of dotted keys to values.*\(got list\)"):
        sim.run_scenario(BASELINE, overrides=[("budget.total_yuan", 1.0)], days=2)  # type: ignore[arg-type]


@pytest.mark.parametrize(("kwargs", "message"), [({"days": 0}, r"^days: must be a whole number from 1 to 36500 \(got 0\)"),
                                                 ({"days": 2.5}, r"^days: "), ({"seed": -1}, r"^seed: must be a whole number"),
                                                 ({"seed": 2**63}, r"^seed: "), ({"seed": "7"}, r"^seed: ")])
def test_simulate_checks_seed_and_days(kwargs: dict, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        sim.simulate(small(TINY, days=2), **kwargs)


def test_simulate_takes_a_path_or_a_shipped_name_and_refuses_anything_else() -> None:
    assert sim.simulate("changsha/base", days=2).kpis["needs_arisen"] >= 0
    assert sim.simulate(str(BASELINE), days=2).kpis == sim.simulate(load_scenario(BASELINE), days=2).kpis
    with pytest.raises(TypeError, match=r"^scenario: expected a path"):
        sim.simulate(42, days=2)  # type: ignore[arg-type]


def test_overrides_seed_and_days_accept_numpy_scalars() -> None:
    plain = sim.run_scenario(BASELINE, seed=3, days=4, overrides={**TINY, "linkage.online_reporting": True})
    numpy = sim.run_scenario(BASELINE, seed=np.int64(3), days=np.int32(4),  # type: ignore[arg-type]
                             overrides={"communities.baseline.residents": np.int64(300),
                                        "communities.baseline.volunteers": np.int16(10),
                                        "linkage.online_reporting": np.bool_(True)})
    assert numpy == plain


def test_run_scenario_uses_the_scenario_seed_by_default() -> None:
    scenario = small(TINY, days=5)
    assert scenario.seed != 0
    assert sim.run_scenario(scenario) == sim.run_scenario(scenario, seed=scenario.seed)
    assert sim.run_scenario(scenario) != sim.run_scenario(scenario, seed=0)


def test_repeated_runs_leave_no_model_behind() -> None:
    """Mesa keeps each model in ``Agent._ids``; ``simulate`` builds none (it runs without Mesa), so memory stays flat."""
    import mesa

    from sim.model import FiveSocietyModel

    def alive() -> tuple[int, int]:
        gc.collect()
        return len(mesa.Agent._ids), sum(isinstance(o, FiveSocietyModel) for o in gc.get_objects())

    scenario = small(TINY, days=3)
    before = alive()  # other tests' models, built directly, may still be held by Mesa
    for seed in range(5):
        sim.run_scenario(scenario, seed=seed)
    assert alive() == before

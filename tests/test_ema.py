"""sim.ema: the simulator as an EMA Workbench model (levers, uncertainties, seeded replications)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from sim.errors import ScenarioError

from .conftest import BASELINE, ROOT

ema_workbench = pytest.importorskip("ema_workbench")
warnings.filterwarnings("ignore", message="ipyparallel not installed")

UNCERTAINTIES = ROOT / "scenarios" / "uncertainties" / "changsha.toml"
SMALL = {"communities.baseline.residents": 800, "communities.baseline.volunteers": 30}


def _model(**kwargs):
    from sim.ema import model

    defaults = {"levers": {"budget.split_stations": (0.2, 0.7), "budget.spread_rule": ["per_capita", "equal"]},
                "outcomes": ["coverage", "cost_per_need_met_yuan"], "replications": 2, "days": 15, "overrides": SMALL}
    return model(BASELINE, UNCERTAINTIES, **{**defaults, **kwargs})


def test_parameters_outcomes_and_directions_are_ema_objects() -> None:
    m = _model()
    names = [u.name for u in m.uncertainties]
    assert "hidden_share" in names and "yuan_per_social_worker_year" in names
    assert [lever.name for lever in m.levers] == ["budget__split_stations", "budget__spread_rule"]
    kinds = {o.name: o.kind for o in m.outcomes}
    assert kinds == {"coverage": ema_workbench.ScalarOutcome.MAXIMIZE, "cost_per_need_met_yuan": ema_workbench.ScalarOutcome.MINIMIZE}


def test_budget_shares_always_sum_to_one_and_numpy_scalars_are_accepted() -> None:
    function = _model().function
    found = function.overrides({"budget__split_stations": np.float64(0.9), "hidden_share": np.float64(1.5),
                                "budget__spread_rule": np.str_("equal")})
    shares = [value for key, value in found.items() if key.startswith("budget.split_")]
    assert len(shares) == 5 and sum(shares) == pytest.approx(1.0)
    assert found["budget.spread_rule"] == "equal" and type(found["budget.spread_rule"]) is str
    assert found["needs.meals.hidden_share"] == pytest.approx(0.3)  # 1.5 x the type default 0.2


def test_the_same_inputs_give_the_same_outcomes_common_random_numbers() -> None:
    function = _model().function
    values = {"budget__split_stations": np.float64(0.5), "hidden_share": np.float64(1.2), "quit_rate_per_year": 0.3}
    assert function(**values) == function(**values)


def test_perform_experiments_runs_on_the_simulator() -> None:
    m = _model()
    with ema_workbench.SequentialEvaluator(m) as evaluator:
        experiments, outcomes = ema_workbench.perform_experiments(m, scenarios=2, policies=2, evaluator=evaluator)
    assert len(experiments) == 4 and outcomes["coverage"].shape == (4,)
    assert np.all((outcomes["coverage"] >= 0) & (outcomes["coverage"] <= 1))


def test_bad_levers_and_outcomes_are_one_line_errors() -> None:
    with pytest.raises(ScenarioError) as caught:
        _model(levers={"budget.split_station": (0.1, 0.2)}, outcomes=["coverage", "happiness"])
    assert any("budget.split_station" in line and "unknown key" in line for line in caught.value.problems)
    assert any("happiness: not a KPI" in line for line in caught.value.problems)


def test_the_ema_example_runs_on_tiny_settings(capsys) -> None:
    from .test_uncertainties import _example

    assert _example("ema_example").main(["--scenarios", "4", "--policies", "1", "--days", "5"]) == 0
    out = capsys.readouterr().out
    assert "coverage_hardship" in out and "PRIM" in out

"""The Mesa-free run (``sim.run.simulate``) gives the Mesa model's result bit for bit, and never loads Mesa or pandas."""

from __future__ import annotations

import subprocess
import sys

from sim.loading import load_scenario
from sim.model import FiveSocietyModel
from sim.run import HeadlessRun, simulate

from .conftest import ROOT, small
from .golden.runs import RUNS


def test_mesa_model_gives_the_headless_result_of_a_golden_run() -> None:
    """A golden run with several communities and the platform: the Mesa view (agents off) equals ``simulate`` exactly."""
    path, seed, days = next(run for run in RUNS if run[0].endswith("platform.toml"))
    scenario = load_scenario(ROOT / path)
    model = FiveSocietyModel(scenario, seed=seed, agents=False)
    model.run(days)
    assert simulate(scenario, seed=seed, days=days) == model.result()


def test_mesa_model_with_agents_gives_the_headless_result() -> None:
    scenario = small({"linkage.service_mode": "mixed", "linkage.discovery.patrol_share": 0.3}, residents=600, days=45)
    model = FiveSocietyModel(scenario, seed=7)
    model.run(45)
    headless = HeadlessRun(scenario, seed=7)
    headless.run(45)
    assert headless.steps == model.steps == 45
    assert headless.result() == model.result()


def test_a_headless_run_loads_neither_mesa_nor_pandas() -> None:
    code = ("import sys, sim.run; r = sim.run.simulate('scenarios/baseline.toml', days=5); "
            "assert r.kpis['needs_arisen'] > 0; print(sorted(m for m in ('mesa', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

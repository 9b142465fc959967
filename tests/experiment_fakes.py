"""Injectable run functions for the experiment tests (importable by worker processes).

``fake_run`` stands in for the model where a test is about the machinery, not the model: its
numbers depend on the scenario and the seed only, like a real run's.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import numpy as np

from sim.run import RunResult
from sim.scenario import Scenario

MARKER_ENV = "SIM_TEST_MARKER_DIR"


def fake_run(scenario: Scenario, seed: int, days: int) -> RunResult:
    """A deterministic stand-in: random walks seeded by (seed, residents, budget)."""
    residents = sum(c.residents for c in scenario.communities.values())
    rng = np.random.default_rng([seed, residents, int(scenario.budget.total_yuan)])
    walk = np.cumsum(rng.normal(0.0, 1.0, size=(2, days)), axis=1)
    series = {"coverage": list(walk[0]), "unmet_needs": list(walk[1] ** 2)}
    kpis = {"coverage": float(walk[0, -1]), "unmet_needs": float(walk[1, -1] ** 2), "residents": float(residents)}
    communities = {name: {"residents": float(c.residents), "draw": float(rng.random())}
                   for name, c in scenario.communities.items()}
    cells = rng.integers(0, 5, size=(3, 4)).tolist()
    return RunResult(kpis=kpis, series=series, communities=communities, unmet_by_cell=cells)


def slow_fake_run(scenario: Scenario, seed: int, days: int) -> RunResult:
    """``fake_run`` that takes 0.2 s."""
    time.sleep(0.2)
    return fake_run(scenario, seed, days)


def failing_run(scenario: Scenario, seed: int, days: int) -> RunResult:
    """Raises for scenarios with an odd number of residents, else ``fake_run``."""
    residents = sum(c.residents for c in scenario.communities.values())
    if residents % 2:
        raise RuntimeError(f"deliberate failure for {residents} residents")
    return fake_run(scenario, seed, days)


def killing_run(scenario: Scenario, seed: int, days: int) -> RunResult:
    """SIGKILLs its own worker the first time it sees this seed (marker file), then succeeds."""
    marker = Path(os.environ[MARKER_ENV]) / f"killed-{seed}"
    if not marker.exists():
        marker.write_text("killed once")
        os.kill(os.getpid(), signal.SIGKILL)
    return fake_run(scenario, seed, days)


def always_killing_run(scenario: Scenario, seed: int, days: int) -> RunResult:
    """SIGKILLs its worker every time."""
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable")


_calls = {"count": 0}


def interrupting_run(scenario: Scenario, seed: int, days: int) -> RunResult:
    """Like Ctrl-C during the third run of this process (serial executor only)."""
    _calls["count"] += 1
    if _calls["count"] == 3:
        raise KeyboardInterrupt
    return fake_run(scenario, seed, days)


def reset_calls() -> None:
    """Restart ``interrupting_run``'s count."""
    _calls["count"] = 0


def busy_worker_state(seconds: float = 0.3) -> dict[str, int]:
    """``worker_state()`` after holding the worker ``seconds`` (so two calls land on two workers)."""
    from sim.experiment.worker import worker_state

    time.sleep(seconds)
    return worker_state()


def killing_odd_run(scenario: Scenario, seed: int, days: int) -> RunResult:
    """SIGKILLs its worker for scenarios with an odd number of residents, else ``fake_run``."""
    if sum(c.residents for c in scenario.communities.values()) % 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return fake_run(scenario, seed, days)

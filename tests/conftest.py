"""Shared fixtures: small scenarios that run in a fraction of a second."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sim.model import FiveSocietyModel
from sim.run import resolve
from sim.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"


def small(overrides: dict[str, Any] | None = None, residents: int = 1500, days: int = 120) -> Scenario:
    """The baseline shrunk to ``residents`` and ``days``, with overrides."""
    base = {"communities.baseline.residents": residents, "communities.baseline.volunteers": residents // 30, "days": days}
    return resolve(BASELINE, {**base, **(overrides or {})})


def run_model(scenario: Scenario, seed: int | None = None) -> FiveSocietyModel:
    """Build and run a model for the scenario's days."""
    model = FiveSocietyModel(scenario, seed=seed)
    model.run(scenario.days)
    return model


@pytest.fixture
def root() -> Path:
    """The repository root."""
    return ROOT

"""Shared fixtures: small scenarios that run in a fraction of a second."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sim.loading import apply_overrides, read_merged, validate
from sim.model import FiveSocietyModel
from sim.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"
ARTIFACTS = ROOT / "results" / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def small(overrides: dict[str, Any] | None = None, residents: int = 1500, days: int = 120,
          communities: dict[str, dict[str, Any]] | None = None) -> Scenario:
    """The baseline shrunk to ``residents`` and ``days``, plus extra ``communities``, with overrides."""
    data = read_merged(BASELINE)
    data["communities"].update(communities or {})
    base = {"communities.baseline.residents": residents, "communities.baseline.volunteers": residents // 30, "days": days}
    return validate(apply_overrides(data, {**base, **(overrides or {})}, source="test"), source="test")


def run_model(scenario: Scenario, seed: int | None = None) -> FiveSocietyModel:
    """Build and run a model for the scenario's days."""
    model = FiveSocietyModel(scenario, seed=seed)
    model.run(scenario.days)
    return model


@pytest.fixture
def root() -> Path:
    """The repository root."""
    return ROOT


def missing(reason: str) -> None:
    """Fail in CI (``CI=true``), skip elsewhere: CI must run the browser tests."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must run the browser test)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless chromium driven by playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright package is missing (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()

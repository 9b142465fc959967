"""Documents that must stay true to the code."""

from __future__ import annotations

from sim.docs import render
from sim.scenario import Scenario

from .conftest import ROOT


def test_scenario_format_doc_is_generated_from_the_schema() -> None:
    text = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    assert text == render(), "docs/scenario-format.md is stale: run `make docs`"


def test_every_scenario_key_is_documented() -> None:
    text = render()
    for name in Scenario.model_fields:
        assert f"`{name}" in text or f"[{name}" in text, name

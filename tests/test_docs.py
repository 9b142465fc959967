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


def _numeric(node) -> bool:  # noqa: ANN001
    """A number, arithmetic on numbers, or ``np.array`` of numbers."""
    import ast

    if isinstance(node, ast.Constant):
        return isinstance(node.value, (int, float)) and not isinstance(node.value, bool)
    if isinstance(node, ast.BinOp):
        return _numeric(node.left) and _numeric(node.right)
    if isinstance(node, ast.UnaryOp):
        return _numeric(node.operand)
    if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "array" and node.args:
        return isinstance(node.args[0], ast.List) and all(_numeric(e) for e in node.args[0].elts)
    return False


def test_odd_lists_every_numeric_constant_of_the_model() -> None:
    """docs/ODD.md names every module-level numeric constant of the model code."""
    import ast

    odd = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
    missing = []
    for path in (ROOT / "sim").rglob("*.py"):
        if any(part in ("viz", "report", "experiment", "calibration", "commands", "advise") for part in path.parts):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                targets = [node.target.id]
            for name in targets:
                if name.isupper() and _numeric(getattr(node, "value", None)) and f"`{name}`" not in odd:
                    missing.append(f"{path.name}: {name}")
    assert not missing, missing


def test_odd_phases_match_the_day() -> None:
    """ODD section 3 and the docstring of ``sim.core.day`` list the phases of ``PHASES``, in its order."""
    import re

    from sim.core import day

    names = [name for name, _ in day.PHASES]
    odd = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
    section = odd[odd.index("## 3. Process overview"):odd.index("## 4.")]
    assert re.findall(r"^\d+\. \*\*([a-z ]+)\*\*", section, flags=re.M) == names
    assert re.findall(r"^\d+\. ([a-z ]+?) +--", day.__doc__ or "", flags=re.M) == names

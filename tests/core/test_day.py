"""A day of the core without Mesa: the phases in order, an exact trace, and no Mesa import."""

from __future__ import annotations

import subprocess
import sys

from sim.core.day import PHASES, step_day
from sim.needs import State

from ..tiny import tiny_state, waiting_needs


def test_the_phases_run_in_the_documented_order() -> None:
    assert [name for name, _ in PHASES] == [
        "funding", "arrivals", "discovery", "volunteering", "sessions open", "list visits", "dispatch",
        "sessions close", "life cycle", "giving", "deliberation", "effort",
    ]


def test_trace_of_whole_days_on_the_bare_state() -> None:
    """One volunteer banking 1 hour a day serves a 3-hour and a 2-hour need in parts, oldest first."""
    state, scenario = tiny_state()
    ids = waiting_needs(state, scenario, [3.0, 2.0])
    log = []
    for day in range(6):
        step_day(state, scenario, day)
        needs = state.needs
        log.append((day, *[(State(int(needs.state[i])).name, float(needs.hours_left[i])) for i in ids], float(state.volunteers.bank[0])))
    assert log == [
        (0, ("IN_SERVICE", 2.0), ("WAITING", 2.0), 0.0),
        (1, ("IN_SERVICE", 1.0), ("WAITING", 2.0), 0.0),
        (2, ("MET", 0.0), ("WAITING", 2.0), 0.0),
        (3, ("MET", 0.0), ("IN_SERVICE", 1.0), 0.0),
        (4, ("MET", 0.0), ("MET", 0.0), 0.0),
        (5, ("MET", 0.0), ("MET", 0.0), 1.0),
    ]
    assert len(state.changes.volunteer_moves) == 5  # nobody applies the changes to a view here


def test_the_core_runs_without_importing_mesa() -> None:
    code = ("import sys; from sim.core.build import build_state; from sim.core.day import step_day; "
            "from sim.loading import load_scenario; s = load_scenario('scenarios/baseline.toml', {'days': 3}); "
            "state = build_state(s, 1); [step_day(state, s, d) for d in range(3)]; "
            "assert not [m for m in sys.modules if m.split('.')[0] == 'mesa'], 'mesa imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=__file__.rsplit("/tests/", 1)[0])


def test_every_phase_has_one_shape_and_its_module_names_the_scenario_sections_it_reads() -> None:
    import ast
    import inspect
    import sys

    for name, phase in PHASES:
        assert list(inspect.signature(phase).parameters) == ["state", "scenario", "day"], name
        module = sys.modules[phase.__module__]
        doc = module.__doc__ or ""
        tree = ast.parse(inspect.getsource(module))
        sections = {node.attr for node in ast.walk(tree)
                    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "scenario"}
        assert "Phase" in doc and " read" in doc, name
        for section in sections:
            assert f"``{section}" in doc, f"{module.__name__} reads scenario.{section} but its docstring does not say so"

"""Calibration: targets files, the objective, fitting (recovers known parameters), writing, CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.calibration import Objective, fit, load_targets
from sim.calibration.joint import JointObjective, load_places
from sim.calibration.joint_spec import load_joint
from sim.calibration.objective import current_values
from sim.cli import main
from sim.errors import ScenarioError
from sim.loading import load_scenario, read_toml
from sim.run import resolve, simulate

ROOT = Path(__file__).resolve().parents[1]
SMALL = """
name = "small"
seed = 11
days = 120
[communities.a]
residents = 1500
volunteers = 60
[budget]
total_yuan = 200000.0
"""


def _targets_text(observed: dict[str, float], tolerance: float = 0.1) -> str:
    text = 'name = "known"\nseeds = 2\nmax_evaluations = 40\n'
    text += '[parameters."volunteers.quit_rate_per_year"]\nlow = 0.05\nhigh = 0.9\nsource = "test"\n'
    text += '[parameters."conversion.yuan_per_place_day"]\nlow = 4.0\nhigh = 60.0\nsource = "test"\n'
    for kpi, value in observed.items():
        text += f'[targets.{kpi}]\nkpi = "{kpi}"\nobserved = {value!r}\ntolerance = {tolerance}\nsource = "model"\n'
    return text


@pytest.fixture()
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.toml"
    path.write_text(SMALL)
    return path


def _observe(path: Path, truth: dict[str, float], seeds: list[int]) -> dict[str, float]:
    scenario = resolve(path, truth)
    runs = [simulate(scenario, seed=s).kpis for s in seeds]
    return {k: sum(r[k] for r in runs) / len(runs) for k in ("volunteer_attrition_per_year", "person_times_per_activity")}


def test_fit_recovers_parameters_that_generated_the_targets(small: Path, tmp_path: Path) -> None:
    truth = {"volunteers.quit_rate_per_year": 0.5, "conversion.yuan_per_place_day": 20.0}
    scenario = load_scenario(small)
    targets_path = tmp_path / "t.toml"
    targets_path.write_text(_targets_text(_observe(small, truth, [11, 12])))
    objective = Objective(scenario, load_targets(targets_path), [11, 12], None, "t.toml")
    assert not objective.evaluate(objective.start).all_within  # the start (0.3, 12) is off
    result = fit(objective)
    assert result.best.all_within
    for key, value in truth.items():
        assert result.best.values[key] == pytest.approx(value, rel=0.15)


def test_fitted_file_extends_the_original_and_reproduces_the_fit(small: Path, tmp_path: Path) -> None:
    targets_path = tmp_path / "t.toml"
    observed = _observe(small, {"conversion.yuan_per_place_day": 24.0}, [11, 12])["person_times_per_activity"]
    targets_path.write_text(_targets_text({"person_times_per_activity": observed}, tolerance=0.1))
    assert main(["calibrate", str(small), "--targets", str(targets_path), "--check"]) == 1  # the start is off
    out = tmp_path / "fitted.toml"
    assert main([ "calibrate", str(small), "--targets", str(targets_path), "--out", str(out), "--budget", "15"]) == 0
    text = out.read_text()
    assert 'extends = "small.toml"' in text and "[fitted]" in text
    assert main(["calibrate", str(out), "--targets", str(targets_path), "--check"]) == 0
    fitted = load_scenario(out)
    assert fitted.conversion.yuan_per_place_day != load_scenario(small).conversion.yuan_per_place_day


def test_check_exits_1_when_a_target_is_outside_tolerance(small: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    targets_path = tmp_path / "t.toml"
    targets_path.write_text(_targets_text({"person_times_per_activity": 1000.0}))
    assert main(["calibrate", str(small), "--targets", str(targets_path), "--check", "--days", "30", "--seeds", "1"]) == 1
    assert "OUTSIDE" in capsys.readouterr().out


@pytest.mark.parametrize(("text", "expected"), [
    ('name = "x"\n[targets.a]\nkpi = "coverage"\nobserved = 0.5\ntolerance = 0.1\nsource = "s"\nsurprise = 1\n',
     "t.toml: targets.a.surprise: unknown key (allowed: kpi, observed, per, source, tolerance, weight)"),
    ('name = "x"\n[parameters."volunteers.quit_rate_per_year"]\nlow = 0.5\nhigh = 0.1\nsource = "s"\n'
     '[targets.a]\nkpi = "coverage"\nobserved = 0.5\ntolerance = 0.1\nsource = "s"\n',
     'parameters.volunteers.quit_rate_per_year: low (0.5) must be below high (0.1)'),
    ('name = "x"\n[parameters."volunteers.quit_rat"]\nlow = 0.1\nhigh = 0.5\nsource = "s"\n'
     '[targets.a]\nkpi = "coverage"\nobserved = 0.5\ntolerance = 0.1\nsource = "s"\n',
     "volunteers.quit_rat: unknown key 'quit_rat'"),
    ('name = "x"\n[targets.a]\nkpi = "coverage"\nobserved = 0.0\ntolerance = 0.1\nsource = "s"\n',
     "targets.a: observed must not be 0"),
])
def test_bad_targets_files_give_one_line_per_problem(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "t.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load_targets(path)
    assert len(caught.value.problems) == 1
    assert expected in caught.value.problems[0] and str(path) in caught.value.problems[0]


def test_unknown_kpi_exits_2_with_the_dotted_key(small: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.toml"
    path.write_text('name = "x"\n[targets.a]\nkpi = "coverag"\nobserved = 0.5\ntolerance = 0.1\nsource = "s"\n')
    assert main(["calibrate", str(small), "--targets", str(path), "--check", "--days", "5", "--seeds", "1"]) == 2
    assert f"{path}: targets.a.kpi: unknown KPI 'coverag'" in capsys.readouterr().err


def test_fitting_without_parameters_exits_2(small: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.toml"
    path.write_text('name = "x"\n[targets.a]\nkpi = "coverage"\nobserved = 0.5\ntolerance = 0.1\nsource = "s"\n')
    assert main(["calibrate", str(small), "--targets", str(path)]) == 2
    assert "parameters: no free parameters" in capsys.readouterr().err


JOINT = ROOT / "scenarios" / "targets" / "joint.toml"


def test_shipped_scenarios_pass_their_calibration_check() -> None:
    """The fitted files of every place, as shipped, meet every fitted and held-out pattern of the joint fit."""
    spec = load_joint(JOINT)
    objective = JointObjective(spec, load_places(spec, JOINT, fitted=True), seeds=spec.check_seeds, workers=1)
    evaluation = objective.evaluate({})
    assert all(evaluation.within.values()), {n: e for n, e in evaluation.relative_error.items() if not evaluation.within[n]}


def test_shipped_fitted_files_share_the_joint_constants() -> None:
    """Every fitted file carries the shared values of the record; only place-specific keys differ."""
    spec = load_joint(JOINT)
    record = read_toml(JOINT.parent / spec.shared_out)
    places = load_places(spec, JOINT, fitted=True)
    for key, value in record["shared"].items():
        for name, scenario in places.items():
            if key not in spec.places[name].parameters:
                assert current_values(scenario, [key], "test")[key] == pytest.approx(value, rel=1e-5), (name, key)

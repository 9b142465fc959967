"""Joint calibration: the joint file, recovery of known shared parameters, held-out patterns, --check."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.calibration.joint import (
    JointObjective,
    fit_joint,
    load_places,
    place_path,
    previous_fit,
)
from sim.calibration.joint_spec import load_joint
from sim.cli import main
from sim.errors import ScenarioError
from sim.run import resolve, simulate

ROOT = Path(__file__).resolve().parents[1]
PLACE = """
name = "{name}"
seed = {seed}
days = 90
[communities.c]
residents = {residents}
volunteers = {volunteers}
[budget]
total_yuan = 150000.0
"""
PLACES = {"a": {"seed": 11, "residents": 1200, "volunteers": 90}, "b": {"seed": 23, "residents": 1000, "volunteers": 70}}
TRUTH = {"volunteers.quit_rate_per_year": 0.5, "organizations.sessions_per_week": 1.0}
FITTED = [("attrition", "volunteer_attrition_per_year"), ("activities", "activities_per_community_year")]
HELD_OUT = ("stock", "volunteer_stock_ratio")


def _joint_text(observed: dict[tuple[str, str], float], held_out: float | None = None, budget: int = 30) -> str:
    text = f'name = "known"\nseeds = 1\nmax_evaluations = {budget}\nshared_out = "fit/shared.toml"\n'
    for place in PLACES:
        text += f'[places.{place}]\nscenario = "{place}.toml"\nout = "fit/{place}.toml"\n'
    text += '[shared."volunteers.quit_rate_per_year"]\nlow = 0.05\nhigh = 0.9\nsource = "test"\n'
    text += '[shared."organizations.sessions_per_week"]\nlow = 0.2\nhigh = 3.0\nsource = "test"\n'
    for (place, name), value in observed.items():
        kpi = dict(FITTED)[name]
        text += f'[patterns.{name}_{place}]\nplace = "{place}"\nkpi = "{kpi}"\nobserved = {value!r}\ntolerance = 0.1\nsource = "model"\n'
    if held_out is not None:
        text += (f'[patterns.{HELD_OUT[0]}_b]\nplace = "b"\nkpi = "{HELD_OUT[1]}"\nobserved = {held_out!r}\n'
                 'tolerance = 0.1\nrole = "held_out"\nsource = "model"\n')
    return text


@pytest.fixture()
def world(tmp_path: Path) -> Path:
    """Two small places, their fitted-file folder, and targets the model made at ``TRUTH``."""
    for place, values in PLACES.items():
        (tmp_path / f"{place}.toml").write_text(PLACE.format(name=place, **values))
    (tmp_path / "fit").mkdir()
    return tmp_path


def _observed(world: Path, truth: dict[str, float]) -> dict[tuple[str, str], float]:
    observed = {}
    for place, values in PLACES.items():
        kpis = simulate(resolve(world / f"{place}.toml", truth), seed=values["seed"]).kpis
        observed.update({(place, name): float(kpis[kpi]) for name, kpi in FITTED})
    return observed


def _fit(world: Path, text: str) -> tuple[dict, object]:
    path = world / "joint.toml"
    path.write_text(text)
    spec = load_joint(path)
    objective = JointObjective(spec, load_places(spec, path, fitted=False), workers=1)
    return spec, fit_joint(objective)


def test_joint_fit_recovers_shared_parameters_that_generated_the_targets(world: Path) -> None:
    spec, result = _fit(world, _joint_text(_observed(world, TRUTH)))
    assert not result.start.all_within(spec.fitted)  # the start (0.3, 1500) is off
    assert result.best.all_within(spec.fitted)
    for key, value in TRUTH.items():
        assert result.best.values[("", key)] == pytest.approx(value, rel=0.15)


def test_held_out_patterns_are_not_in_the_objective(world: Path) -> None:
    """Changing a held-out target changes nothing the search sees: the same fit, step by step."""
    observed = _observed(world, TRUTH)
    at_truth = simulate(resolve(world / "b.toml", TRUTH), seed=PLACES["b"]["seed"]).kpis[HELD_OUT[1]]
    spec, near = _fit(world, _joint_text(observed, held_out=float(at_truth), budget=8))
    _, far = _fit(world, _joint_text(observed, held_out=50.0, budget=8))
    assert near.best.values == far.best.values and near.place_runs == far.place_runs
    assert {n: near.best.relative_error[n] for n in spec.fitted} == {n: far.best.relative_error[n] for n in spec.fitted}
    assert near.best.within["stock_b"] != far.best.within["stock_b"]  # the held-out verdict is what moved


def test_a_time_limit_ends_the_search_at_the_best_point_so_far(world: Path) -> None:
    path = world / "joint.toml"
    path.write_text(_joint_text(_observed(world, TRUTH)))
    spec = load_joint(path)
    objective = JointObjective(spec, load_places(spec, path, fitted=False), workers=1)
    result = fit_joint(objective, max_seconds=0.0)
    assert result.message == "time limit reached" and result.best == result.start and result.place_runs == 2


def test_check_fails_when_a_held_out_pattern_is_missed(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    observed = _observed(world, {})  # the places as they stand are exactly on their fitted patterns
    for place in PLACES:
        (world / "fit" / f"{place}.toml").write_text(f'extends = "../{place}.toml"\n')
    stock = simulate(resolve(world / "b.toml"), seed=PLACES["b"]["seed"]).kpis["volunteer_stock_ratio"]
    path = world / "joint.toml"
    path.write_text(_joint_text(observed, held_out=float(stock)))
    assert main(["calibrate", "--joint", str(path), "--check", "--workers", "1"]) == 0
    capsys.readouterr()
    path.write_text(_joint_text(observed, held_out=float(stock) * 2))
    assert main(["calibrate", "--joint", str(path), "--check", "--workers", "1"]) == 1
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if "stock_b [b]" in line)
    assert "OUTSIDE" in row and "-50.0%" in row  # reported in the held-out column
    assert "4 fitted patterns (0 identities) and 1 held out; 2 free parameters (2 shared, 0 place-specific)" in out
    assert main(["calibrate", "--joint", str(path), "--check", "--workers", "1", "--lang", "zh"]) == 1
    assert "留出误差" in capsys.readouterr().out


def test_joint_fit_writes_place_files_and_the_shared_record(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = world / "joint.toml"
    path.write_text(_joint_text(_observed(world, TRUTH), budget=4))
    out_dir = world / "elsewhere"
    out_dir.mkdir()
    assert main(["calibrate", "--joint", str(path), "--workers", "1", "--out-dir", str(out_dir), "--budget", "3"]) == 0
    text = (out_dir / "a.toml").read_text()
    assert 'extends = "../a.toml"' in text and "[fitted] joint, shared" in text
    record = (out_dir / "shared.toml").read_text()
    assert "patterns_fitted = 4" in record and "patterns_held_out = 0" in record and "[shared]" in record
    spec = load_joint(path)
    places = load_places(spec, path, fitted=True, out_dir=out_dir)
    assert places["a"].volunteers.quit_rate_per_year == places["b"].volunteers.quit_rate_per_year
    assert place_path(path, "fit/a.toml", out_dir) == out_dir / "a.toml"


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda t: t.replace('place = "b"', 'place = "c"', 1), "patterns.attrition_b.place: unknown place 'c'"),
    (lambda t: t.replace('scenario = "a.toml"', 'scenario = "nowhere.toml"'), "places.a.scenario: file"),
    (lambda t: t.replace('observed', 'observd', 1), "patterns.attrition_a.observd: unknown key"),
    (lambda t: t + '[patterns.x]\nplace = "a"\nkpi = "coverage"\nobserved = 0.5\ntolerance = 0.1\nsource = "s"\nidentity = "budget.total_yuan"\n',
     "patterns.x.identity: 'budget.total_yuan' is not a free parameter of a"),
])
def test_bad_joint_files_give_one_line_per_problem(world: Path, edit, expected: str) -> None:
    path = world / "joint.toml"
    path.write_text(edit(_joint_text({("a", "attrition"): 0.3, ("b", "attrition"): 0.3})))
    with pytest.raises(ScenarioError) as caught:
        load_joint(path)
    assert any(expected in problem for problem in caught.value.problems), caught.value.problems


def test_joint_and_one_place_arguments_do_not_mix(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calibrate", "--joint", "j.toml", "--targets", "t.toml"]) == 2
    assert "--joint: give no SCENARIO" in capsys.readouterr().err
    assert main(["calibrate"]) == 2
    assert "give SCENARIO and --targets" in capsys.readouterr().err


def test_the_shipped_joint_file_counts_more_patterns_than_parameters() -> None:
    spec = load_joint(ROOT / "scenarios" / "targets" / "joint.toml")
    free = len(spec.free_keys())
    assert len(spec.fitted) > free and len(spec.held_out) >= 2
    non_identity = [p for p in spec.fitted.values() if not p.identity]
    assert len(non_identity) > len(spec.shared)


def test_a_refit_starts_at_the_fitted_files_and_takes_shared_values_from_a_place_without_its_own() -> None:
    """After a model change a re-fit starts near the old optimum; Qiaotou's own recruit rate never seeds the shared one."""
    path = ROOT / "scenarios" / "targets" / "joint.toml"
    spec = load_joint(path)
    previous = previous_fit(spec, path)
    first = {"qiaotou": previous["qiaotou"]}  # a partial fit, led by a place with its own recruit rate
    objective = JointObjective(spec, load_places(spec, path, fitted=False), start_from=first)
    shared = ("", "volunteers.recruit_rate_per_year")
    assert objective.start[shared] != previous["qiaotou"].volunteers.recruit_rate_per_year
    assert objective.start[("qiaotou", "volunteers.recruit_rate_per_year")] == previous["qiaotou"].volunteers.recruit_rate_per_year
    assert objective.start[("", "volunteers.quit_rate_per_year")] == previous["qiaotou"].volunteers.quit_rate_per_year

"""Nothing silent in experiments, and plans that stay small: issue 12's experiment-side checks."""

from __future__ import annotations

import io
import shutil
import sqlite3
import subprocess
import sys
import threading
import tracemalloc
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.errors import ScenarioError
from sim.experiment import Experiment, load_results, plan_experiment, run_experiment
from sim.experiment.results import completeness
from sim.experiment.samplers import FactorRange, grid
from sim.experiment.store import ResultStore
from sim.scenario import Scenario
from tests.experiment_fakes import fake_run

from .conftest import BASELINE, ROOT
from .test_edges_input import one_line, outcome

TINY = ["--set", "communities.baseline.residents=300", "--set", "communities.baseline.volunteers=10"]


def sweep_file(tmp_path: Path, body: str, replications: int = 1) -> Path:
    path = tmp_path / "sweep.toml"
    path.write_text(f'name = "s"\nscenarios = ["{BASELINE.as_posix()}"]\nreplications = {replications}\nseed = 1\n'
                    f'days = 3\n{body}', encoding="utf-8")
    return path


def test_sweep_set_may_not_override_what_the_sweep_sets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sweep_file(tmp_path, '[levers."budget.total_yuan"]\nvalues = [1e5, 2e5]\n')
    line = one_line(["sweep", str(path), "--set", "budget.total_yuan=3e5", "--out", str(tmp_path / "o")], capsys)
    assert line.startswith("--set budget.total_yuan: ") and "also sets budget.total_yuan" in line


def test_absurd_sweeps_are_refused_by_their_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    levers = "".join(f'[levers."needs.{k}_multiplier"]\nlow = 0.0\nhigh = 10.0\nlevels = 1000\n'
                     for k in ("disabled", "hardship"))
    levers += '[levers."budget.total_yuan"]\nlow = 0.0\nhigh = 1e6\nlevels = 1000\n'
    levers += '[levers."giving.gift_mean_yuan"]\nlow = 0.0\nhigh = 1e3\nlevels = 1000\n'
    path = sweep_file(tmp_path, levers)
    line = one_line(["sweep", str(path), "--out", str(tmp_path / "o")], capsys)
    assert line == (f"{path}: 1,000,000,000,000 runs planned (1 scenarios x 1,000,000,000,000 points x 1 replications) "
                    "(allowed: at most 1,000,000; use fewer levels, samples, variants or replications)")
    path = sweep_file(tmp_path, '[levers."budget.total_yuan"]\nlow = 0.0\nhigh = 1e6\nlevels = 20\n', replications=100_000)
    assert "2,000,000 runs planned" in one_line(["sweep", str(path), "--out", str(tmp_path / "o")], capsys)


def test_grid_points_are_made_on_demand() -> None:
    points = grid([FactorRange(f"k{i}", low=0.0, high=1.0, levels=1000) for i in range(4)])
    assert points.size == 10**12
    assert points[0] == {"k0": 0.0, "k1": 0.0, "k2": 0.0, "k3": 0.0}
    assert points[10**12 - 1] == {"k0": 1.0, "k1": 1.0, "k2": 1.0, "k3": 1.0}
    assert points[1001]["k2"] == pytest.approx(1 / 999) and points[1001]["k3"] == pytest.approx(1 / 999)


def test_a_plan_keeps_bytes_per_cell_not_scenarios(monkeypatch: pytest.MonkeyPatch) -> None:
    import sim.experiment.spec

    monkeypatch.setattr(sim.experiment.spec, "CACHE_CELLS", 0)  # as for a plan of more than 1,000 cells
    points = [{"budget.total_yuan": 1e5 + i} for i in range(300)]
    spec = Experiment([Scenario()], replications=3, seed=1, days=5, points=points)
    tracemalloc.start()
    plan = plan_experiment(spec, "test")
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert plan.size == 900 and plan.cell_count == 300
    assert held < 300 * 1024, f"a plan of 300 cells holds {held / 1024:.0f} KB"
    first = next(plan.tasks())
    assert (first.point, first.replication, first.scenario.budget.total_yuan) == (0, 0, 1e5)


def test_sweep_file_problems_start_with_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sweep_file(tmp_path, '[levers."budget.total_yuan"]\nvalues = [1e5, -1.0]\n')
    code, lines = outcome(["sweep", str(path), "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and lines and all(line.startswith(f"{path}: ") for line in lines), lines


def test_no_more_workers_than_runs(tmp_path: Path) -> None:
    log = io.StringIO()
    spec = Experiment([Scenario()], replications=1, seed=1, days=3, name="few")
    summary = run_experiment(spec, tmp_path, executor="process", workers=64, run_fn=fake_run, progress=False, log=log)
    assert summary.ran == 1 and "1 to run on process x1" in log.getvalue()


def test_two_experiments_claiming_one_new_folder_at_once_one_wins(tmp_path: Path) -> None:
    for attempt in range(20):
        folder = tmp_path / str(attempt)
        barrier, errors, claimed = threading.Barrier(2, timeout=30), [], []

        def claim(key: str, folder: Path = folder, barrier: threading.Barrier = barrier,
                  claimed: list = claimed, errors: list = errors) -> None:
            barrier.wait()  # both create the store and claim it at once
            try:
                with ResultStore(folder, "v") as store:
                    store.claim(key, key)
                    claimed.append(key)
            except ScenarioError as exc:
                errors.append(str(exc))

        threads = [threading.Thread(target=claim, args=(f"key{i}",)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert (len(claimed), len(errors)) == (1, 1), (attempt, errors)
        assert "holds another experiment" in errors[0]


def test_failed_model_runs_are_printed_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import sim.run

    real = sim.run.simulate

    def fragile(scenario: Scenario, seed: int | None = None, days: int | None = None) -> sim.run.RunResult:
        if scenario.linkage.discovery.patrol_share > 0:
            raise ZeroDivisionError("patrols divided by zero on day 3")
        return real(scenario, seed=seed, days=days)

    monkeypatch.setattr(sim.run, "simulate", fragile)
    code, lines = outcome(["compare", "baseline", "levers/patrols", "--replications", "2", "--days", "3", "--executor",
                           "serial", "--no-progress", "--out", str(tmp_path), *TINY], capsys)
    assert code == 1
    assert "2 runs failed inside the model (exit 1); the first:" in lines
    assert sum("ZeroDivisionError: patrols divided by zero on day 3" in line for line in lines) == 2


def test_report_on_a_partial_store_says_how_many_runs_of_how_many(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import sim.report

    monkeypatch.setattr(sim.report, "build_report", lambda *a, **k: tmp_path / "report.html")  # the report's own tests build it
    assert outcome(["compare", "baseline", "levers/patrols", "--replications", "3", "--days", "3", "--executor",
                    "serial", "--no-progress", "--no-report", "--out", str(tmp_path), *TINY], capsys)[0] == 0
    assert completeness(tmp_path).complete
    with sqlite3.connect(tmp_path / "store.sqlite") as conn:
        conn.execute("DELETE FROM runs WHERE scenario = 'Lever: volunteer patrols' AND replication = 2")
    counts = {o.scenario: (o.stored, o.planned) for o in completeness(tmp_path).options}
    assert counts == {"Baseline community": (3, 3), "Lever: volunteer patrols": (2, 3)}
    code, lines = outcome(["report", str(tmp_path), "--lang", "en", "--out", str(tmp_path / "r")], capsys)
    assert code == 0
    assert lines[:2] == ["partial results: 5 of 6 planned runs are stored", "  Lever: volunteer patrols (point 0): 2 of 3 runs"]


def test_runs_of_another_code_version_are_named_and_rerun(tmp_path: Path) -> None:
    spec = Experiment([Scenario()], replications=2, seed=1, days=3, name="stale")
    run_experiment(spec, tmp_path, executor="serial", run_fn=fake_run, progress=False)
    with sqlite3.connect(tmp_path / "store.sqlite") as conn:
        conn.execute("UPDATE runs SET model_version = '0.0.1+src.000000000000'")
    old = completeness(tmp_path)
    assert old.options[0].other_version == 2 and not old.complete
    assert old.lines() == [f"2 stored runs were made by another code version than this one ({old.code_version}); "
                           "rerun the command that made them to redo them with this code"]
    log = io.StringIO()
    summary = run_experiment(spec, tmp_path, executor="serial", run_fn=fake_run, progress=False, log=log)
    assert "holds 2 runs made by another code version (0.0.1+src.000000000000" in log.getvalue()
    assert (summary.skipped, summary.ran) == (0, 2) and len(load_results(tmp_path)) == 2


@pytest.mark.slow
def test_editing_the_model_reruns_the_stored_runs(tmp_path: Path) -> None:
    """A copy of the package, run, edited (one constant of the model), run again: the runs are redone."""
    shutil.copytree(ROOT / "sim", tmp_path / "code" / "sim", symlinks=False,
                    ignore=shutil.ignore_patterns("__pycache__"))
    command = [sys.executable, "-m", "sim", "compare", "baseline", "--replications", "2", "--days", "3",
               "--executor", "serial", "--no-progress", "--no-report", "--out", str(tmp_path / "out"), *TINY]
    env = {"PYTHONPATH": str(tmp_path / "code"), "PATH": "/usr/bin:/bin"}

    def run() -> str:
        done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stderr

    assert "2 runs planned, 0 skipped" in run()
    assert "2 runs planned, 2 skipped" in run()
    lifecycle = tmp_path / "code" / "sim" / "lifecycle.py"
    source = lifecycle.read_text(encoding="utf-8")
    assert "SATISFACTION_GAIN = 0.1" in source
    lifecycle.write_text(source.replace("SATISFACTION_GAIN = 0.1", "SATISFACTION_GAIN = 0.2"), encoding="utf-8")
    stderr = run()
    assert "holds 2 runs made by another code version" in stderr and "2 runs planned, 0 skipped" in stderr


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_writes_tidy_tables(fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    spec = Experiment([Scenario()], replications=2, seed=1, days=4, name="export",
                      points=[{}, {"budget.total_yuan": 1e5}])
    run_experiment(spec, tmp_path, executor="serial", run_fn=fake_run, progress=False)
    assert main(["export", str(tmp_path), "--format", fmt]) == 0
    read = pd.read_parquet if fmt == "parquet" else pd.read_csv
    folder = tmp_path / f"export-{fmt}"
    runs, kpis, series = (read(folder / f"{name}.{fmt}") for name in ("runs", "kpis", "series"))
    assert len(runs) == 4 and "budget.total_yuan" in runs.columns and "coverage" not in runs.columns
    assert list(kpis.columns) == ["run_id", "scenario", "point", "replication", "seed", "kpi", "value"]
    assert len(kpis) == 4 * 3  # three KPIs of the fake run
    assert len(series) == 4 * 2 * 4 and set(series.columns) >= {"run_id", "kpi", "day", "value"}
    assert read(folder / f"community_kpis.{fmt}").shape[0] == 4 * 2
    assert capsys.readouterr().out.count(str(folder)) == 4

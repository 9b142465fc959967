"""run_experiment: resume, failures, worker deaths, common random numbers, metadata."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from tests.experiment_fakes import MARKER_ENV, always_killing_run, failing_run, fake_run, interrupting_run, killing_run, reset_calls

from sim.errors import ScenarioError
from sim.experiment import Experiment, load_metadata, load_results, load_scenarios, load_series, replication_seeds, run_experiment
from sim.scenario import Scenario

POINTS = [{"communities.community.residents": n} for n in (400, 401, 500)]  # 401 fails in failing_run
SPEC = Experiment([Scenario()], replications=3, seed=11, days=8, points=POINTS, name="fake")


def comparable(directory: Path):  # noqa: ANN201 - a DataFrame
    """The stored numbers, without timings."""
    return load_results(directory).drop(columns=["elapsed_s", "finished_at", "error"])


def test_resume_skips_runs_already_stored(tmp_path: Path) -> None:
    reset_calls()
    with pytest.raises(KeyboardInterrupt):
        run_experiment(SPEC, tmp_path, executor="serial", run_fn=interrupting_run, progress=False)
    assert len(load_results(tmp_path)) == 2  # runs 1 and 2 were stored before the interrupt
    summary = run_experiment(SPEC, tmp_path, executor="serial", run_fn=fake_run, progress=False)
    assert (summary.planned, summary.skipped, summary.ran, summary.failed) == (9, 2, 7, 0)
    again = run_experiment(SPEC, tmp_path, executor="serial", run_fn=fake_run, progress=False)
    assert (again.skipped, again.ran) == (9, 0)
    assert len(load_results(tmp_path)) == 9
    assert len(load_metadata(tmp_path)) == 3


def test_a_failing_run_is_stored_with_its_traceback_and_retried_on_rerun(tmp_path: Path) -> None:
    summary = run_experiment(SPEC, tmp_path, executor="process", workers=2, run_fn=failing_run, progress=False)
    assert (summary.ran, summary.failed) == (9, 3)
    frame = load_results(tmp_path)
    failed = frame[frame.status == "failed"]
    assert list(failed["communities.community.residents"]) == [401, 401, 401]
    assert all("RuntimeError: deliberate failure for 401 residents" in text for text in failed.error)
    assert all("Traceback (most recent call last)" in text for text in failed.error)
    assert failed.coverage.isna().all() and frame[frame.status == "ok"].coverage.notna().all()
    rerun = run_experiment(SPEC, tmp_path, executor="serial", run_fn=fake_run, progress=False)
    assert (rerun.skipped, rerun.ran, rerun.failed) == (6, 3, 0)
    assert (load_results(tmp_path).status == "ok").all()


def test_process_pool_survives_a_worker_killed_mid_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    monkeypatch.setenv(MARKER_ENV, str(markers))
    summary = run_experiment(SPEC, tmp_path / "killed", executor="process", workers=2, run_fn=killing_run,
                             progress=False)
    assert (summary.ran, summary.failed) == (9, 0)
    assert len(list(markers.iterdir())) == 3  # each of the 3 seeds killed its worker once
    run_experiment(SPEC, tmp_path / "serial", executor="serial", run_fn=fake_run, progress=False)
    assert comparable(tmp_path / "killed").equals(comparable(tmp_path / "serial"))


def test_a_run_that_always_kills_its_worker_is_given_up_as_failed(tmp_path: Path) -> None:
    spec = Experiment([Scenario()], replications=2, seed=1, days=3, name="doomed")
    summary = run_experiment(spec, tmp_path, executor="process", workers=2, run_fn=always_killing_run,
                             progress=False)
    assert (summary.ran, summary.failed) == (2, 2)
    assert all("worker process died 2 times running this run alone" in text for text in load_results(tmp_path).error)


def test_replication_i_uses_the_same_seed_in_every_scenario(tmp_path: Path) -> None:
    run_experiment(SPEC, tmp_path, executor="serial", run_fn=fake_run, progress=False)
    frame = load_results(tmp_path)
    seeds = replication_seeds(11, 3)
    for _, group in frame.groupby("point"):
        assert list(group.sort_values("replication").seed) == seeds
    assert len(set(seeds)) == 3 and replication_seeds(11, 3) == seeds and replication_seeds(12, 3) != seeds


def test_store_holds_series_scenarios_and_metadata(tmp_path: Path) -> None:
    run_experiment(SPEC, tmp_path, executor="serial", run_fn=fake_run, progress=False)
    series = load_series(tmp_path, kpis=["coverage"])
    assert len(series) == 9 * 8 and set(series.day) == set(range(1, 9))
    last = series[series.day == 8].reset_index(drop=True)
    assert list(last.value) == list(load_results(tmp_path).coverage)
    scenarios = load_scenarios(tmp_path)
    assert list(scenarios.point) == [0, 1, 2]
    assert [s["communities"]["community"]["residents"] for s in scenarios.resolved] == [400, 401, 500]
    meta = load_metadata(tmp_path).iloc[0]
    assert (meta.experiment_seed, meta.replications, meta.planned, meta.ran) == (11, 3, 9, 9)
    assert meta.package_version and meta.started_at <= meta.finished_at
    with sqlite3.connect(tmp_path / "store.sqlite") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_folder_of_another_experiment_is_refused(tmp_path: Path) -> None:
    run_experiment(SPEC, tmp_path, executor="serial", run_fn=fake_run, progress=False)
    other = Experiment([Scenario()], replications=1, seed=99, days=8, name="other")
    with pytest.raises(ScenarioError, match="holds another experiment"):
        run_experiment(other, tmp_path, executor="serial", run_fn=fake_run, progress=False)


def test_bad_overrides_name_the_key(tmp_path: Path) -> None:
    bad = Experiment([Scenario()], points=[{"budget.totl_yuan": 1.0}, {"budget.total_yuan": -5.0}])
    with pytest.raises(ScenarioError) as caught:
        run_experiment(bad, tmp_path, executor="serial", run_fn=fake_run, progress=False)
    text = "\n".join(caught.value.problems)
    assert "budget.totl_yuan: unknown key 'totl_yuan'" in text
    assert "budget.total_yuan: Input should be greater than or equal to 0" in text
    assert not (tmp_path / "store.sqlite").exists()


def test_import_sim_does_not_import_pandas_or_the_experiments() -> None:
    import subprocess
    import sys

    code = "import sys, sim; print('pandas' in sys.modules, 'sim.experiment' in sys.modules, callable(sim.load_results))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False", "True"]


def test_a_plan_of_many_communities_keeps_no_scenarios_and_hands_out_the_same_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    import sim.experiment.spec
    from sim.experiment import plan_experiment

    spec = Experiment([Scenario()], replications=2, seed=1, days=5, points=POINTS, name="big")
    kept = plan_experiment(spec, "test")
    monkeypatch.setattr(sim.experiment.spec, "CACHE_COMMUNITIES", 2)  # 3 cells of one community each: over
    resolved_again = plan_experiment(spec, "test")
    assert kept._cache is not None and resolved_again._cache is None
    assert [(t.run_id, t.scenario) for t in kept.tasks()] == [(t.run_id, t.scenario) for t in resolved_again.tasks()]

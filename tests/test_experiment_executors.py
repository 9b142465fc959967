"""The real model through every executor: serial, process pool and Dask store identical numbers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.experiment import Experiment, load_communities, load_results, load_series, load_unmet_map, run_experiment

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"
SPEC = Experiment([BASELINE], replications=2, seed=7, days=20, name="executors",
                  overrides={"communities.baseline.residents": 500},
                  points=[{}, {"budget.total_yuan": 300_000.0, "linkage.online_reporting": True}])


def stored(directory: Path) -> tuple:
    """Everything a report reads, without timings."""
    runs = load_results(directory).drop(columns=["elapsed_s", "finished_at"])
    maps = [load_unmet_map(directory, run_id) for run_id in runs.run_id]
    return runs, load_series(directory), load_communities(directory), maps


def assert_same(left: tuple, right: tuple) -> None:
    """Bit-identical stores (NaN equal to NaN)."""
    for a, b in zip(left[:3], right[:3], strict=True):
        assert a.equals(b)
    assert all(np.array_equal(a, b) for a, b in zip(left[3], right[3], strict=True))


@pytest.fixture(scope="module")
def serial_store(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    directory = tmp_path_factory.mktemp("serial")
    summary = run_experiment(SPEC, directory, executor="serial", progress=False)
    assert (summary.ran, summary.failed) == (4, 0)
    return stored(directory)


def test_real_runs_store_every_kpi_series_and_map(serial_store: tuple) -> None:
    runs, series, communities, maps = serial_store
    assert {"scenario", "replication", "seed", "status", "coverage", "needs_met"} <= set(runs.columns)
    assert (runs.status == "ok").all() and runs.coverage.between(0, 1).all()
    assert set(series.day) == set(range(1, 21)) and series.kpi.nunique() > 5
    assert set(communities.community) == {"baseline"}
    assert all(m.ndim == 2 and m.size > 0 for m in maps)
    by_point = runs.groupby("point").coverage.apply(list)
    assert by_point[0] != by_point[1]  # the lever changes the numbers


def test_process_pool_stores_the_same_numbers(serial_store: tuple, tmp_path: Path) -> None:
    run_experiment(SPEC, tmp_path, executor="process", workers=2, progress=False)
    assert_same(serial_store, stored(tmp_path))


def test_dask_stores_the_same_numbers(serial_store: tuple, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        run_experiment(SPEC, tmp_path, executor="dask", scheduler=cluster.scheduler_address, progress=False)
    assert_same(serial_store, stored(tmp_path))

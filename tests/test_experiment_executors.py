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


def test_the_pool_is_reused_and_each_worker_unpickles_each_scenario_once(tmp_path: Path) -> None:
    from tests.experiment_fakes import busy_worker_state, fake_run

    from sim.experiment import executors
    from sim.scenario import Scenario

    spec = Experiment([Scenario()], replications=4, seed=3, days=5, name="reuse",
                      points=[{"communities.community.residents": n} for n in (300, 400)])
    executors.shutdown_executors()
    run_experiment(spec, tmp_path / "first", executor="process", workers=2, run_fn=fake_run, progress=False)
    pool = executors.shared_pool(2)
    states = [future.result() for future in [pool.submit(busy_worker_state) for _ in range(2)]]
    assert len({state["pid"] for state in states}) == 2
    assert sum(state["unpickled"] for state in states) <= 2 * 2 < 8  # 8 runs of 2 scenarios on 2 workers
    again = Experiment([Scenario()], replications=4, seed=4, days=5, name="reuse-again",
                       points=[{"communities.community.residents": n} for n in (300, 400)])
    run_experiment(again, tmp_path / "second", executor="process", workers=2, run_fn=fake_run, progress=False)
    assert executors.shared_pool(2) is pool  # the second experiment ran on the same workers
    later = [future.result() for future in [pool.submit(busy_worker_state) for _ in range(2)]]
    assert {state["pid"] for state in later} == {state["pid"] for state in states}
    assert sum(state["unpickled"] for state in later) <= 2 * 2  # the same scenarios: not unpickled again
    executors.shutdown_executors()


def test_community_kpis_travel_as_one_table_and_come_back_bit_for_bit() -> None:
    import json
    import pickle

    from sim.experiment.worker import pack_result
    from sim.run import RunResult

    awkward = [0.1 + 0.2, float("nan"), -0.0, 5e-324, 1.7976931348623157e308, float("-inf")]
    communities = {f"c{i:04d}": {"coverage": awkward[i % len(awkward)], "residents": float(i), "unmet": i / 7}
                   for i in range(1884)}
    outcome = pack_result("run", RunResult({"coverage": 0.5}, {"coverage": [0.5, 0.25]}, communities, [[1, 2]]))
    assert outcome.communities == {} and len(outcome.community_names) == 1884
    back = dict(outcome.community_rows())
    assert list(back) == list(communities)
    assert all(json.dumps(back[c], sort_keys=True) == json.dumps(communities[c], sort_keys=True) for c in communities)
    as_dicts = pickle.dumps(communities, protocol=pickle.HIGHEST_PROTOCOL)
    assert len(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)) < 0.8 * len(as_dicts)
    ragged = {"a": {"coverage": 1.0}, "b": {"coverage": 2.0, "extra": 3.0}}  # different KPIs: sent as dicts
    outcome = pack_result("run", RunResult({}, {}, ragged, []))
    assert dict(outcome.community_rows()) == ragged and outcome.community_names == ()


def test_a_run_that_kills_its_dask_workers_is_stored_failed_and_the_others_are_stored(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    import dask
    from distributed import LocalCluster
    from tests.experiment_fakes import killing_odd_run

    from sim.scenario import Scenario

    spec = Experiment([Scenario()], replications=2, seed=1, days=3, name="killer",
                      points=[{"communities.community.residents": n} for n in (400, 401)])
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0") as cluster:
        summary = run_experiment(spec, tmp_path, executor="dask", scheduler=cluster.scheduler_address,
                                 run_fn=killing_odd_run, progress=False)
    assert (summary.ran, summary.failed) == (4, 2)
    runs = load_results(tmp_path)
    failed = runs[runs.status == "failed"]
    assert list(failed["communities.community.residents"]) == [401, 401]
    assert all(text.startswith("Dask worker processes died running this run") for text in failed.error)


def test_the_local_dask_cluster_is_reused_by_the_next_experiment(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from tests.experiment_fakes import fake_run

    from sim.experiment import executors
    from sim.scenario import Scenario

    executors.shutdown_executors()
    try:
        for seed in (1, 2):
            spec = Experiment([Scenario()], replications=3, seed=seed, days=5, name=f"local-{seed}")
            run_experiment(spec, tmp_path / str(seed), executor="dask", workers=2, run_fn=fake_run, progress=False)
            cluster = executors.shared_local_cluster(2)
            if seed == 1:
                first = cluster
        assert cluster is first  # starting the cluster changed os.environ and sys.path: still the same one
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
    finally:
        executors.shutdown_executors()


def test_unmet_maps_travel_compressed_and_stores_before_compression_still_read() -> None:
    import numpy as np

    from sim.experiment.worker import pack_result, unpack_cells
    from sim.run import RunResult

    grid = np.zeros((300, 400), dtype=np.int64)
    grid[5, 7], grid[299, 399] = 3, 1
    outcome = pack_result("r", RunResult({}, {}, {}, grid.tolist()))
    assert len(outcome.unmet_cells) < grid.nbytes / 50
    assert np.array_equal(unpack_cells(outcome.unmet_cells, 300, 400), grid)
    assert np.array_equal(unpack_cells(grid.astype("<i8").tobytes(), 300, 400), grid)  # a raw blob of an older store

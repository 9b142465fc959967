"""A reduced Changsha city on Dask clusters bound to 127.0.0.1.

The city's budget split variants, run on a local cluster, store exactly what the serial executor
stores (every KPI, series, per-community value and map); each worker unpickles each scenario once;
a scheduler killed in the middle of a sweep is one line and exit 2, and rerunning resumes.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sim.experiment import Experiment, compare_experiment, load_communities, load_results, run_experiment
from sim.experiment.worker import worker_state

from .test_experiment_executors import assert_same, stored

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
CITY = ROOT / "scenarios" / "changsha" / "city.toml"
SPLITS = [CITY, *(CITY.with_name(f"city_split_{name}_heavy.toml") for name in ("stations", "services"))]
COMMUNITIES = 12
REDUCED = {"city.communities": COMMUNITIES, "city.residents_per_community": 300}  # 3,600 residents
SPEC = Experiment(SPLITS, replications=3, seed=5, days=10, name="city-dask", overrides=REDUCED)
RUNS = len(SPLITS) * 3


@pytest.fixture(scope="module")
def cluster() -> Iterator[distributed.LocalCluster]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0") as local:
        yield local


def test_a_reduced_city_on_dask_stores_what_serial_stores(cluster: distributed.LocalCluster, tmp_path: Path) -> None:
    assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
    serial = run_experiment(SPEC, tmp_path / "serial", executor="serial", progress=False)
    on_dask = run_experiment(SPEC, tmp_path / "dask", executor="dask", scheduler=cluster.scheduler_address, progress=False)
    assert (serial.ran, serial.failed, on_dask.ran, on_dask.failed) == (RUNS, 0, RUNS, 0)
    assert_same(stored(tmp_path / "serial"), stored(tmp_path / "dask"))
    communities = load_communities(tmp_path / "dask")
    assert communities.groupby("run_id").community.nunique().eq(COMMUNITIES).all()
    assert len(communities) == RUNS * COMMUNITIES
    runs = load_results(tmp_path / "dask")
    assert runs.groupby("scenario").scenario_hash.nunique().eq(1).all() and runs.scenario_hash.nunique() == len(SPLITS)
    with distributed.Client(cluster.scheduler_address) as client:
        states = client.run(worker_state).values()
    assert sum(state["unpickled"] for state in states) <= len(SPLITS) * len(states) < RUNS  # each scenario once a worker


def test_an_interrupted_dask_sweep_resumes_from_the_store(cluster: distributed.LocalCluster, tmp_path: Path) -> None:
    run_experiment(SPEC, tmp_path / "serial", executor="serial", progress=False)
    run_experiment(SPEC, tmp_path / "dask", executor="dask", scheduler=cluster.scheduler_address, progress=False)
    with sqlite3.connect(tmp_path / "dask" / "store.sqlite") as conn:  # as if stopped before replication 2 was stored
        lost = [run_id for (run_id,) in conn.execute("SELECT run_id FROM runs WHERE replication = 2")]
        for table in ("runs", "series", "communities", "unmet_maps"):
            conn.executemany(f"DELETE FROM {table} WHERE run_id = ?", [(run_id,) for run_id in lost])
    resumed = run_experiment(SPEC, tmp_path / "dask", executor="dask", scheduler=cluster.scheduler_address, progress=False)
    assert (resumed.skipped, resumed.ran, resumed.failed) == (RUNS - len(SPLITS), len(SPLITS), 0)
    assert_same(stored(tmp_path / "serial"), stored(tmp_path / "dask"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _stored_runs(store: Path) -> int:
    try:
        with sqlite3.connect(f"{store.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_a_scheduler_killed_mid_sweep_is_one_line_and_exit_2_and_the_rerun_resumes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sim.cli import main

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = Path(sys.executable).with_name("dask")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    quiet = {"env": env, "cwd": ROOT, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    scheduler = subprocess.Popen([str(dask), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                  "--dashboard-address", "127.0.0.1:0"], **quiet)
    worker = subprocess.Popen([str(dask), "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                               "--nworkers", "1", "--no-dashboard", "--death-timeout", "5"], **quiet)
    out = tmp_path / "out"
    argv = ["compare", str(CITY), "--replications", "60", "--days", "10", "--set", "city.communities=4",
            "--set", "city.residents_per_community=200", "--executor", "dask", "--scheduler", address,
            "--out", str(out), "--no-report", "--no-progress"]

    def kill_after_two_runs() -> None:
        deadline = time.monotonic() + 60
        while _stored_runs(out / "store.sqlite") < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        scheduler.send_signal(signal.SIGKILL)

    try:
        _wait_for_port(port)
        killer = threading.Thread(target=kill_after_two_runs, daemon=True)
        killer.start()
        code = main(argv)
        killer.join(5)
    finally:
        for process in (scheduler, worker):
            process.kill()
            process.wait(10)
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 2, lines
    assert "Traceback" not in "\n".join(lines)
    assert lines[-1].startswith(f"--scheduler: lost the Dask scheduler at {address} during the sweep"), lines
    waiting = f"--scheduler {address}: no Dask workers yet"  # when the sweep starts before the worker has connected
    assert all(line.startswith(("compare-city", waiting)) for line in lines[:-1]), lines  # the plan's own lines
    done = _stored_runs(out / "store.sqlite")
    assert 2 <= done < 60
    again = compare_experiment([str(CITY)], 60, days=10, overrides={"city.communities": 4, "city.residents_per_community": 200})
    resumed = run_experiment(again, out, executor="serial", progress=False)
    assert resumed.skipped >= done and resumed.skipped + resumed.ran == 60


def _wait_for_port(port: int, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"no Dask scheduler on port {port} after {timeout_s} s")


def test_a_scheduler_without_workers_says_so_and_the_runs_wait_for_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.experiment_fakes import fake_run

    from sim.scenario import Scenario

    spec = Experiment([Scenario()], replications=2, seed=1, days=3, name="no-workers-yet")
    with distributed.LocalCluster(n_workers=0, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0") as empty:
        finished = []
        sweep = threading.Thread(target=lambda: finished.append(run_experiment(
            spec, tmp_path, executor="dask", scheduler=empty.scheduler_address, run_fn=fake_run, progress=False)))
        sweep.start()
        deadline, said = time.monotonic() + 30, ""
        while "no Dask workers yet" not in said and time.monotonic() < deadline:
            time.sleep(0.1)
            said += capsys.readouterr().err
        assert f"--scheduler {empty.scheduler_address}: no Dask workers yet; the runs wait for them" in said
        assert sweep.is_alive() and not finished  # waiting, not failed
        empty.scale(1)
        sweep.join(60)
    assert finished and (finished[0].ran, finished[0].failed) == (2, 0)

"""``python -m sim sweep`` / ``compare``: kill -9 and resume, bad input exits 2 in one line each."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.cli import main
from sim.experiment import load_results, load_sweep

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"

SWEEP = f"""
name = "kill-test"
scenarios = ["{BASELINE.as_posix()}"]
replications = 4
seed = 5
days = 150

[overrides]
"communities.baseline.residents" = 4000

[sampler]
method = "grid"

[levers."budget.total_yuan"]
values = [300000.0, 450000.0, 600000.0, 900000.0]
"""


def ok_runs(store: Path) -> int:
    """Runs stored ok so far (read-only, while the sweep writes)."""
    if not store.exists():
        return 0
    with sqlite3.connect(f"{store.as_uri()}?mode=ro", uri=True, timeout=5) as conn:
        try:
            return conn.execute("SELECT COUNT(*) FROM runs WHERE status = 'ok'").fetchone()[0]
        except sqlite3.OperationalError:
            return 0  # tables not created yet


def sweep_command(sweep: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "sim", "sweep", str(sweep), "--out", str(out), "--workers", "2"]


def test_kill_9_of_the_parent_then_rerun_stores_every_run_exactly_once(tmp_path: Path) -> None:
    sweep, out = tmp_path / "sweep.toml", tmp_path / "out"
    sweep.write_text(SWEEP, encoding="utf-8")
    process = subprocess.Popen(sweep_command(sweep, out), cwd=ROOT, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while ok_runs(out / "store.sqlite") < 3 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert process.poll() is None, "the sweep finished before it could be killed; make the runs longer"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        _kill_group(process.pid)
    stored = ok_runs(out / "store.sqlite")
    assert 3 <= stored < 16
    rerun = subprocess.run(sweep_command(sweep, out), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert f"16 runs planned, {stored} skipped (already stored), {16 - stored} to run" in rerun.stderr
    frame = load_results(out)
    assert len(frame) == 16 and frame.run_id.is_unique and (frame.status == "ok").all()
    assert sorted(zip(frame.point, frame.replication)) == [(p, r) for p in range(4) for r in range(4)]
    with sqlite3.connect(out / "store.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(DISTINCT run_id) FROM series").fetchone()[0] == 16


def _kill_group(pid: int) -> None:
    """Stop whatever the killed sweep left behind (its workers exit by themselves within ~1 s)."""
    time.sleep(1.5)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def test_compare_runs_paired_replications_and_reports_where(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lever = tmp_path / "online.toml"
    lever.write_text(f'extends = "{BASELINE.as_posix()}"\nname = "Online"\n[linkage]\nonline_reporting = true\n')
    out = tmp_path / "out"
    argv = ["compare", str(BASELINE), str(lever), "--replications", "2", "--days", "10", "--seed", "3",
            "--executor", "serial", "--out", str(out), "--set", "communities.baseline.residents=300", "--no-progress"]
    assert main(argv) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == [f"results: {out}", f"report: {out / 'report-zh' / 'report.html'}"]
    assert (out / "report-zh" / "report.html").is_file()
    frame = load_results(out)
    assert sorted(frame.scenario.unique()) == ["Baseline community", "Online"]
    seeds = frame.groupby("scenario").seed.apply(list)
    assert seeds.iloc[0] == seeds.iloc[1]  # replication i has the same seed in both
    assert main(argv) == 0
    assert "4 runs planned, 4 skipped" in capsys.readouterr().err


@pytest.mark.parametrize(("setting", "key"), [("budget.totl_yuan=5", "budget.totl_yuan"),
                                             ("budget.total_yuan=-5", "budget.total_yuan"),
                                             ("linkage.online_reporting=maybe", "linkage.online_reporting")])
def test_bad_overrides_exit_2_naming_the_key(setting: str, key: str, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["compare", str(BASELINE), "--replications", "1", "--out", str(tmp_path), "--set", setting]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f": {key}: " in err and "Traceback" not in err
    assert not (tmp_path / "store.sqlite").exists()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.toml"
    path.write_text(text.replace("BASELINE", BASELINE.as_posix()), encoding="utf-8")
    return path


BAD_FILES = [
    ('name = "x"\nscenarios = ["BASELINE"]\nreplications = 1\nseed = 1\nsamples = 3\n', "samples: unknown key"),
    ('name = "x"\nscenarios = ["BASELINE"]\nreplications = 1\nseed = 1\n[sampler]\nmethod = "lhs"\nsamples = 4\n'
     '[levers."budget.total_yuan"]\nlow = 1.0\nhigh = 2.0\nstep = 3\n', "levers.budget.total_yuan.step: unknown key"),
    ('name = "x"\nscenarios = ["BASELINE"]\nreplications = 1\nseed = 1\n[sampler]\nmethod = "lhs"\nsamples = 4\n'
     '[levers."budget.totl_yuan"]\nlow = 1.0\nhigh = 2.0\n', "levers.budget.totl_yuan: unknown key 'totl_yuan'"),
    ('name = "x"\nscenarios = ["BASELINE"]\nreplications = 0\nseed = 1\n', "replications: Input should be greater than or equal to 1"),
    ('name = "x"\nscenarios = ["BASELINE"]\nreplications = 1\nseed = 1\n[sampler]\nmethod = "sobol"\nsamples = 6\n'
     '[levers."budget.total_yuan"]\nlow = 1.0\nhigh = 2.0\n', "sampler.samples: 6 is not a power of 2"),
    ('name = "x"\nscenarios = ["BASELINE"]\nreplications = 1\nseed = 1\n[sampler]\nmethod = "lhs"\nsamples = 4\n'
     '[levers."budget.split_stations"]\nlow = 0.5\nhigh = 0.9\n[levers."budget.split_demonstration"]\nlow = 0.1\n'
     'high = 0.3\n[[balance]]\nparts = ["budget.split_stations", "budget.split_demonstration"]\n'
     'rest = { "budget.split_fund_seed" = 1.0 }\n', "balance.0.parts: can sum to 1.2, above total 1"),
    ('name = "x"\nscenarios = ["nowhere.toml"]\nreplications = 1\nseed = 1\n', "scenarios.0: file"),
]


@pytest.mark.parametrize(("text", "message"), BAD_FILES)
def test_bad_sweep_files_exit_2_with_file_and_dotted_key(text: str, message: str, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, text)
    assert main(["sweep", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"{path}: {message}" in err, err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_balance_keeps_the_budget_split_summing_to_one() -> None:
    spec = load_sweep(ROOT / "experiments" / "budget_split.toml")
    assert len(spec.points) == 8
    for point in spec.points:
        shares = [value for key, value in point.items() if key.startswith("budget.split_")]
        assert len(shares) == 5 and abs(sum(shares) - 1.0) < 1e-12 and min(shares) > 0


def test_example_sweep_files_are_valid() -> None:
    for path in sorted((ROOT / "experiments").glob("*.toml")):
        assert load_sweep(path).points

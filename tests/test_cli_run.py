"""``python -m sim run`` as a process: it exits without tearing everything down, its output and exit code intact."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sim.cli import main
from sim.commands.run import one_shot_process
from sim.run import simulate

from .conftest import BASELINE, ROOT


def test_one_shot_run_writes_all_its_output_to_a_file_and_exits_0(tmp_path) -> None:
    out = tmp_path / "kpis.json"
    with out.open("w") as handle:  # a file, not a terminal: output is block-buffered until the exit flushes it
        done = subprocess.run([sys.executable, "-m", "sim", "run", str(BASELINE), "--days", "15", "--seed", "4", "--json"],
                              stdout=handle, stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0 and done.stderr == ""
    assert json.loads(out.read_text()) == simulate(BASELINE, seed=4, days=15).kpis


def test_one_shot_table_and_bad_input_keep_their_exit_codes() -> None:
    done = subprocess.run([sys.executable, "-m", "sim", "run", str(BASELINE), "--days", "5", "--lang", "zh"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0 and "需求覆盖率" in done.stdout and done.stdout.endswith("\n")
    bad = subprocess.run([sys.executable, "-m", "sim", "run", str(BASELINE), "--set", "budget.total_yuan=-1"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert bad.returncode == 2 and "budget.total_yuan" in bad.stderr and "Traceback" not in bad.stderr


def test_in_process_callers_get_the_exit_code_back(capsys: pytest.CaptureFixture[str]) -> None:
    assert not one_shot_process()
    assert main(["run", str(BASELINE), "--days", "3", "--json"]) == 0
    assert "needs_arisen" in capsys.readouterr().out

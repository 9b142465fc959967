"""Bounded work and one-line errors: each bad input or environment is one line, the right exit code, no traceback."""

from __future__ import annotations

import errno
import os
import socket
import sqlite3
import sys
from pathlib import Path

import pytest

from sim.cli import main
from sim.errors import MAX_LINES

from .conftest import BASELINE, ROOT


def outcome(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """Exit code and stderr lines of one in-process CLI call (argparse exits count too)."""
    try:
        code = main(argv)
    except SystemExit as exit_info:
        code = int(exit_info.code or 0)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    return code, err.strip().splitlines()


def one_line(argv: list[str], capsys: pytest.CaptureFixture[str], code: int = 2) -> str:
    got, lines = outcome(argv, capsys)
    assert got == code, lines
    assert len(lines) == 1, lines
    return lines[0]


def last_line(argv: list[str], capsys: pytest.CaptureFixture[str], code: int = 2) -> str:
    """The error line after any progress lines of an experiment command."""
    got, lines = outcome(argv, capsys)
    assert got == code, lines
    assert all(line.startswith("compare-") for line in lines[:-1]), lines  # progress lines
    return lines[-1]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- work bounded before it starts ------------------------------------------------------------
@pytest.mark.parametrize("argv", [["run", "baseline", "--days", "100000000"], ["run", "baseline", "--seed", str(2**63)],
                                  ["compare", "baseline", "--replications", "1", "--workers", "100000"],
                                  ["compare", "baseline", "--replications", "1", "--seed", str(2**64)]])
def test_cli_numbers_are_bounded_like_the_schema(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert "allowed:" in one_line(argv, capsys)


@pytest.mark.parametrize("size", ["1", "1e-300"])
def test_cells_have_a_lower_bound(size: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "fine.toml", f'extends = "{BASELINE.as_posix()}"\ncell_size_m = {size}\n')
    assert "cell_size_m: Input should be greater than or equal to 5" in one_line(["validate", str(path)], capsys)


def test_a_layout_beyond_the_cell_budget_is_refused_with_a_cell_size_that_fits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocks = "".join(f"[communities.c{i}]\narea_km2 = 100.0\nresidents = 10\nvolunteers = 0\n" for i in range(20))
    path = write(tmp_path / "huge.toml", f"cell_size_m = 5.0\n{blocks}")
    line = one_line(["validate", str(path)], capsys)
    assert "cell_size_m: 5 m makes a grid of" in line and "use cell_size_m >=" in line


def test_a_run_too_big_for_memory_is_refused_with_the_estimate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocks = "".join(f"[communities.c{i}]\nresidents = 500000\nvolunteers = 1000\n" for i in range(200))
    path = write(tmp_path / "city.toml", f'name = "city"\ndays = 3650\n{blocks}')
    assert outcome(["validate", str(path)], capsys)[0] == 0  # valid: it only cannot fit here
    line = one_line(["run", str(path)], capsys)
    assert line.startswith(f"{path}: needs about 65.4 GB of memory (100,000,000 residents, 200,000 volunteers")
    assert "84,000 grid cells, 3,650 days)" in line
    assert "this machine has" in line


def test_regular_files_only_and_of_bounded_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "is not a regular file" in one_line(["validate", "/dev/zero"], capsys)
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    assert "is not a regular file" in one_line(["validate", str(fifo)], capsys)
    big = write(tmp_path / "big.toml", "# " + "x" * 1_100_000 + "\n")
    assert "bytes (allowed: at most 1,000,000)" in one_line(["validate", str(big)], capsys)


def test_symlink_loops_long_extends_chains_and_deep_nesting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)
    assert str(loop) in one_line(["run", str(loop)], capsys)
    write(tmp_path / "s0.toml", 'name = "start"\n')
    for i in range(1, 1000):
        write(tmp_path / f"s{i}.toml", f'extends = "s{i - 1}.toml"\n')
    assert "extends: chain of more than 32 files" in one_line(["validate", str(tmp_path / "s999.toml")], capsys)
    deep = write(tmp_path / "deep.toml", "name = " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert "nested too deeply" in one_line(["validate", str(deep)], capsys)
    assert "nested too deeply" in one_line(["run", "baseline", "--set", "name=" + "[" * 100_000 + "]" * 100_000], capsys)


def test_a_bom_is_named_and_does_not_exist_only_when_it_does_not(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbfname = 'x'\n")
    assert "byte-order mark (BOM)" in one_line(["validate", str(bom)], capsys)
    (tmp_path / "folder.toml").mkdir()
    child = write(tmp_path / "child.toml", 'extends = "folder.toml"\n')
    line = one_line(["validate", str(child)], capsys)
    assert "is a directory" in line and "does not exist" not in line


def test_long_values_and_many_problems_are_cut(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "long.toml", f'name = "{"x" * 5000}"\n')
    line = one_line(["validate", str(path)], capsys)
    assert len(line) < 400 and "more characters" in line
    digits = write(tmp_path / "digits.toml", f"seed = {'1' * 5000}\n")
    assert len(one_line(["validate", str(digits)], capsys)) < 400
    blocks = "".join(f"[communities.c{i}]\nresidents = -1\n" for i in range(120))
    many = write(tmp_path / "many.toml", blocks)
    code, lines = outcome(["validate", str(many)], capsys)
    assert code == 2 and len(lines) == MAX_LINES + 1 and lines[-1] == "... and 70 more problems like these"


# -- environment problems ----------------------------------------------------------------------
def test_out_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = write(tmp_path / "taken", "")
    assert "is a file, not a folder" in one_line(["compare", "baseline", "--replications", "1", "--out", str(out)], capsys)


@pytest.mark.parametrize("damage", ["corrupt", "truncated", "empty", "directory"])
def test_a_store_that_is_not_a_store_is_named_and_left_unchanged(damage: str, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store.sqlite"
    if damage == "directory":
        store.mkdir()
    elif damage == "empty":
        store.write_bytes(b"")
    else:
        with sqlite3.connect(store) as conn:
            conn.execute("CREATE TABLE runs (x)")
            conn.executemany("INSERT INTO runs VALUES (?)", [(str(i) * 100,) for i in range(2000)])
        data = store.read_bytes()
        store.write_bytes(data[: len(data) // 3] if damage == "truncated" else data[:100] + b"\x00garbage" * 500)
    before = sorted((p.name, p.stat().st_size) for p in tmp_path.rglob("*"))
    for argv in (["report", str(tmp_path)], ["compare", "baseline", "--replications", "1", "--out", str(tmp_path)],
                 ["export", str(tmp_path)]):
        assert "not a result store" in one_line(argv, capsys)
    assert sorted((p.name, p.stat().st_size) for p in tmp_path.rglob("*")) == before


def test_a_full_or_read_only_disk_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import sim.experiment.store as store

    def full(*_args: object, **_kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store.ResultStore, "start_experiment", full)
    argv = ["compare", "baseline", "--replications", "1", "--days", "2", "--executor", "serial", "--out", str(tmp_path / "o")]
    assert "store.sqlite: cannot write the result store: database or disk is full (free some disk space" in last_line(argv, capsys)
    import sim.report

    def read_only(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / "report-en"))

    monkeypatch.setattr(sim.report, "build_report", read_only)
    monkeypatch.setattr(store.ResultStore, "start_experiment", lambda *a, **k: 1)
    line = last_line(["compare", "baseline", "--replications", "1", "--days", "2", "--executor", "serial",
                      "--no-progress", "--out", str(tmp_path / "o2")], capsys)
    assert line == f"{tmp_path / 'report-en'}: Read-only file system (choose a folder on a writable disk)"


def test_a_malformed_or_unreachable_scheduler(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    base = ["compare", "baseline", "--replications", "1", "--days", "2", "--executor", "dask", "--out", str(tmp_path / "o")]
    assert "is not a scheduler address" in one_line([*base, "--scheduler", "not an address"], capsys)
    import sim.experiment.executors as executors

    monkeypatch.setattr(executors, "SCHEDULER_TIMEOUT_S", 1)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    line = last_line([*base, "--no-progress", "--scheduler", f"tcp://127.0.0.1:{port}"], capsys)
    assert line.startswith(f"--scheduler: cannot reach tcp://127.0.0.1:{port}")


def test_broken_pipe_is_a_quiet_exit(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    class Closed:
        def write(self, _text: str) -> int:
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")

        def flush(self) -> None:
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")

        def fileno(self) -> int:
            return os.open(os.devnull, os.O_WRONLY)

    monkeypatch.setattr(sys, "stdout", Closed())
    assert main(["run", "baseline", "--days", "2"]) == 141
    assert capsys.readouterr().err == ""


def test_a_reader_that_goes_away_is_a_quiet_exit() -> None:
    """``sim run ... | head``: the reader closes the pipe; no traceback, exit 141 like ``cat``."""
    import subprocess

    process = subprocess.Popen([sys.executable, "-m", "sim", "run", "baseline", "--days", "3", "--all"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141 and err == ""


# -- the classroom app --------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_viz_on_a_busy_port_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert f"--port {port}: already in use" in one_line(["viz", "--port", str(port)], capsys)


def test_viz_without_the_viz_extra_names_it(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "solara.__main__", None)
    assert "pip install 'five-society-sim[viz]'" in one_line(["viz", "--port", str(free_port())], capsys)


@pytest.mark.slow
def test_ctrl_c_on_viz_exits_130() -> None:
    import signal
    import subprocess
    import time
    import urllib.request

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "sim", "viz", "--port", str(port)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except OSError:
                time.sleep(0.3)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130
    assert "Traceback" not in err and err.strip().splitlines()[-1] == "interrupted"

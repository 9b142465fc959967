"""The ``viz`` command: one-line argument errors (exit 2) and a ``--help`` that does not load the UI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_help_does_not_import_the_visualization() -> None:
    code = ("import sys; from sim.cli import build_parser; build_parser(); "
            "print(sorted(m for m in ('solara', 'mesa.visualization', 'sim.viz', 'matplotlib') if m in sys.modules))")
    output = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"


@pytest.mark.parametrize("argv", [["viz", "--port", "0"], ["viz", "--port", "http"], ["viz", "--lang", "fr"]])
def test_bad_arguments_exit_2_in_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_a_missing_scenario_exits_2_before_serving(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["viz", str(ROOT / "scenarios" / "no-such-file.toml")]) == 2
    assert "file not found" in capsys.readouterr().err

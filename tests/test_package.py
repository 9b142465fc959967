"""The package outside the checkout: shipped scenarios, declared dependencies, licence, console script."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from sim.cli import main
from sim.library import find_scenario, library_dir, shipped_names

from .conftest import ROOT

# imported name -> distribution name, where they differ
DISTRIBUTIONS = {"yaml": "pyyaml"}
EXTRAS_ONLY = {"solara", "reacton", "ipyvuetify", "distributed", "dask", "playwright", "pyarrow", "click", "ema_workbench"}


def test_shipped_scenarios_are_found_by_name_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert {"baseline", "changsha/base", "levers/patrols"} <= set(shipped_names())
    assert find_scenario("changsha/base") == library_dir() / "changsha" / "base.toml"
    assert main(["run", "changsha/base", "--days", "2", "--json"]) == 0
    assert main(["validate", "baseline", "levers/patrols.toml"]) == 0
    (tmp_path / "baseline.toml").write_text('name = "local"\n', encoding="utf-8")
    assert find_scenario("baseline.toml") == Path("baseline.toml")  # a file that exists wins
    capsys.readouterr()


def test_every_imported_third_party_package_is_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {d.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower() for d in project["dependencies"]}
    imported = set()
    for path in (ROOT / "sim").rglob("*.py"):
        if "viz" in path.relative_to(ROOT / "sim").parts:
            continue  # the viz extra
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {name for name in imported if name not in sys.stdlib_module_names and name != "sim"}
    missing = {DISTRIBUTIONS.get(n, n).lower() for n in third_party - EXTRAS_ONLY} - declared
    assert not missing, f"imported but not in pyproject dependencies: {sorted(missing)}"
    assert {"pandas", "threadpoolctl"} <= declared


def test_licence_and_console_script_are_documented() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT" and "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    script = next(iter(project["scripts"]))
    assert f"`{script}`" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_blas_threads_are_set_through_threadpoolctl() -> None:
    import numpy  # noqa: F401 - loads the BLAS

    from sim.experiment import blas

    with blas.one_blas_thread():
        assert set(blas.blas_threads()) <= {1}
    assert "ctypes" not in (ROOT / "sim" / "experiment" / "blas.py").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_fresh_non_editable_install_runs_a_shipped_scenario_by_name(tmp_path: Path) -> None:
    """Build the wheel (it must hold the scenario library as files), ``pip install`` it into a new
    venv, and run a shipped scenario by name from a folder outside the checkout."""
    source = tmp_path / "source"  # a copy, so the build leaves no build/ folder in the checkout
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "results", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis"))
    wheel_dir = tmp_path / "wheel"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheel_dir), str(source)],
                           capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    wheel = next(wheel_dir.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {n.removeprefix("sim/_scenarios/") for n in names if n.startswith("sim/_scenarios/")}
    assert shipped == {p.relative_to(ROOT / "scenarios").as_posix() for p in (ROOT / "scenarios").rglob("*.toml")}
    assert any(n.endswith("licenses/LICENSE") for n in names)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    install = subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", str(wheel)], capture_output=True,
                             text=True, timeout=1800, cwd=tmp_path)
    assert install.returncode == 0, install.stderr
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    run = subprocess.run([str(venv / "bin" / "five-society-sim"), "run", "changsha/base", "--days", "3", "--json"],
                         cwd=outside, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert '"needs_arisen"' in run.stdout
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import sim.library; print(sim.__file__); "
                            "print(sim.library.library_dir())"], cwd=outside, capture_output=True, text=True, check=True)
    package, library = where.stdout.split()
    assert package.startswith(str(venv)) and not Path(library).is_symlink()
    assert (Path(library) / "changsha" / "base.toml").is_file()

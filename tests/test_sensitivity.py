"""Sensitivity: Morris and Sobol designs over the uncertain inputs, indices that find a known driver,
and the command (store, resume, table and figure in both languages)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.advise.sensitivity import Method, analyse, design
from sim.advise.uncertainties import Uncertainty
from sim.cli import main
from sim.errors import ScenarioError

from .conftest import BASELINE
from .test_uncertainties import GOOD

ITEMS = (Uncertainty("a", "volunteers.quit_rate_per_year", 0.2, 0.4, "input a", "输入a", "[assumed]"),
         Uncertainty("b", "volunteers.recruit_rate_per_year", 0.001, 0.004, "input b", "输入b", "[assumed]", "loguniform"),
         Uncertainty("c", "conversion.yuan_per_place_day", 8.0, 18.0, "input c", "输入c", "[assumed]"))


def _frame(settings, y: np.ndarray) -> pd.DataFrame:
    """A store's ok runs with one replication per design point."""
    return pd.DataFrame({"scenario": "s", "point": range(len(y)), "replication": 0, "coverage": y})


def test_designs_have_the_documented_sizes_and_stay_in_range() -> None:
    morris = design(ITEMS, Method.MORRIS, 5, seed=3)
    assert len(morris) == 5 * (3 + 1)
    values = np.asarray(morris.values)
    assert (values[:, 0] >= 0.2).all() and (values[:, 0] <= 0.4).all() and (values[:, 1] >= 0.001).all()
    assert design(ITEMS, Method.MORRIS, 5, seed=3).values == morris.values  # seeded
    assert len(design(ITEMS, Method.SOBOL, 8, seed=3)) == 8 * (3 + 2)
    with pytest.raises(ScenarioError, match="power of 2"):
        design(ITEMS, Method.SOBOL, 6, seed=3)


def test_morris_ranks_the_input_that_drives_the_kpi_first_and_finds_no_effect_of_an_inert_one() -> None:
    settings = design(ITEMS, Method.MORRIS, 8, seed=1)
    unit = np.asarray(settings.unit)
    table = analyse(_frame(settings, 0.3 * unit[:, 0] + 0.05 * unit[:, 2]), settings, "coverage").set_index("input")
    assert table.index[0] == "a" and table.loc["a", "mu_star"] == pytest.approx(0.3)
    assert table.loc["c", "mu_star"] == pytest.approx(0.05) and table.loc["b", "mu_star"] == pytest.approx(0.0)
    assert table.loc["a", "sigma"] == pytest.approx(0.0, abs=1e-12)  # linear: no interaction


def test_sobol_indices_with_confidence_intervals_find_the_only_driver() -> None:
    settings = design(ITEMS, Method.SOBOL, 64, seed=2)
    unit = np.asarray(settings.unit)
    table = analyse(_frame(settings, unit[:, 1] ** 2), settings, "coverage").set_index("input")
    assert table.loc["b", "ST"] == pytest.approx(1.0, abs=0.15) and table.loc["b", "S1"] == pytest.approx(1.0, abs=0.2)
    assert abs(table.loc["a", "ST"]) < 0.05 and table.loc["b", "ST_conf"] > 0


def test_missing_runs_are_reported_not_analysed() -> None:
    settings = design(ITEMS, Method.MORRIS, 2, seed=1)
    with pytest.raises(ScenarioError, match="no finished run; rerun to resume"):
        analyse(_frame(settings, np.zeros(len(settings)))[:-1], settings, "coverage")


def test_the_command_stores_resumes_and_writes_a_bilingual_table_and_figure(tmp_path: Path, capsys) -> None:
    path = tmp_path / "u.toml"
    path.write_text(GOOD, encoding="utf-8")
    args = ["sensitivity", str(BASELINE), "--uncertainties", str(path), "--samples", "2", "--replications", "1",
            "--days", "20", "--executor", "serial", "--out", str(tmp_path / "store"), "--no-progress",
            "--set", "communities.baseline.residents=800"]
    assert main([*args, "--lang", "en"]) == 0
    assert "6 runs planned, 0 skipped" in capsys.readouterr().err
    assert main([*args, "--lang", "zh"]) == 0
    assert "6 skipped" in capsys.readouterr().err
    english = (tmp_path / "store" / "sensitivity-morris-en" / "sensitivity.md").read_text(encoding="utf-8")
    assert "share of needs hidden" in english and "Hardship coverage" in english and "μ*" in english
    svg = (tmp_path / "store" / "sensitivity-morris-zh" / "figures" / "sensitivity.svg").read_text(encoding="utf-8")
    assert re.search(r"<title>[^<]*Morris[^<]*</title><desc>[^<]+</desc>", svg) and "隐性需求比例" in svg
    assert main([*args, "--kpi", "happiness"]) == 2
    assert "--kpi: happiness is not a KPI" in capsys.readouterr().err


def test_the_sensitivity_example_runs_on_tiny_settings(tmp_path: Path, capsys) -> None:
    from .test_uncertainties import _example

    example = _example("sensitivity_example")
    assert example.main(["--scenario", str(BASELINE), "--set", "communities.baseline.residents=800", "--samples", "2",
                         "--days", "10", "--executor", "serial", "--out", str(tmp_path / "s"), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "coverage_hardship: mu*" in out and "hidden_share" in out

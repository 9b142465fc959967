"""``sim optimise``: finds a known best split, reports no improvement when every split is equal,
never claims what the fresh-seed confirmation does not support, and resumes from its store."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sim.advise.optimise import (
    CURRENT,
    OptimiseSettings,
    candidate_set,
    confirm,
    parse_constraint,
    rounded,
    search,
    simplex_points,
    summary_text,
)
from sim.advise.paired import Backend
from sim.errors import ScenarioError
from sim.loading import load_scenario
from tests.test_margins import ROOT, one_line

SERIAL = Backend("serial", progress=False)
QUICK = OptimiseSettings(kpi="coverage", candidates=3, first=3, step=1, max_replications=4, budget_runs=60,
                         confirm_replications=4)


def test_simplex_points_are_shares_summing_to_one() -> None:
    points = simplex_points(64, seed=3)
    assert points.shape == (64, 5) and np.all(points >= 0) and np.allclose(points.sum(axis=1), 1.0)
    assert sum(rounded(points[0]).values()) == pytest.approx(1.0, abs=1e-9)


def test_candidates_include_the_current_split_every_vertex_and_every_rule() -> None:
    district = load_scenario(ROOT / "scenarios" / "changsha" / "district.toml")
    found = candidate_set(district.budget, OptimiseSettings(candidates=8), seed=0, communities=5)
    labels = [s.label for s in found]
    assert labels[0] == CURRENT and {f"all-{line}" for line in ("stations", "fund_seed")} <= set(labels)
    assert {s.rule for s in found} == {"equal", "per_capita", "need_weighted", "performance"}
    single = candidate_set(district.budget, OptimiseSettings(candidates=8), seed=0, communities=1)
    assert {s.rule for s in single} == {"per_capita"}  # one community: the rule changes nothing


def test_constraints_parse_points_percent_and_absolute_bounds() -> None:
    points = parse_constraint("coverage>=BASE-1pt")
    assert (points.kpi, points.op, points.relative, points.value) == ("coverage", ">=", True, pytest.approx(-0.01))
    assert points.slack(np.array([0.50]), np.array([0.505]))[0] == pytest.approx(0.005)
    percent = parse_constraint("cost_per_need_met_yuan<=BASE+5%")
    assert percent.percent and percent.slack(np.array([104.0]), np.array([100.0]))[0] == pytest.approx(1.0)
    absolute = parse_constraint("coverage >= 0.3")
    assert not absolute.relative and absolute.slack(np.array([0.25]), np.array([0.9]))[0] == pytest.approx(-0.05)
    for bad in ("coverag>=BASE", "coverage=>0.3", "coverage>=5%"):
        with pytest.raises(ScenarioError, match="--constraint"):
            parse_constraint(bad)


def test_optimise_finds_the_only_line_that_serves_and_confirms_it(tmp_path: Path) -> None:
    source = one_line(tmp_path)
    outcome = search(source, QUICK, tmp_path / "out", SERIAL)
    assert outcome.winner.label == "all-stations"
    assert any(s.dropped for s in outcome.standings)  # the race dropped the clearly worse
    outcome = confirm(source, outcome, QUICK, SERIAL, 0, None, None, "One line serves")
    assert outcome.improved and outcome.confirmation["verdict"] == "better"
    assert outcome.confirmation["low"] > outcome.confirmation["mid"]
    written = load_scenario(outcome.scenario_file)
    assert written.budget.split_stations == 1.0 and written.communities["only"].volunteers == 0  # extends the original
    confirm_seeds = {row[0] for row in sqlite3.connect(Path(outcome.confirmation["folder"]) / "store.sqlite")
                     .execute("SELECT seed FROM runs")}
    search_seeds = {row[0] for row in sqlite3.connect(tmp_path / "out" / "store.sqlite").execute("SELECT seed FROM runs")}
    assert confirm_seeds and not confirm_seeds & search_seeds  # fresh seeds only
    assert "Improvement confirmed" in summary_text(outcome, "en") and "改进已确认" in summary_text(outcome, "zh")


def test_zero_budget_reports_that_no_split_improves(tmp_path: Path) -> None:
    source = one_line(tmp_path, total=0.0, days=30, residents=400)
    outcome = search(source, QUICK, tmp_path / "out", SERIAL)
    assert outcome.winner.label == CURRENT  # every split is the same by design; the tie goes to the current
    outcome = confirm(source, outcome, QUICK, SERIAL, 0, None, None, "zero")
    assert not outcome.improved and not outcome.scenario_file
    assert "already as good as any found" in summary_text(outcome, "en")
    assert "现行分配已与搜索到的任何方案一样好" in summary_text(outcome, "zh")


def _frame(gain: float, coverage_change: float, n: int = 12):
    """A confirmation store's table: the option beats the scenario by ``gain`` on hardship coverage."""
    import pandas as pd

    rng = np.random.default_rng(5)
    base = 0.30 + rng.normal(0.0, 0.02, n)
    rows = [{"scenario": "base", "replication": i, "coverage_hardship": base[i], "coverage": 0.5} for i in range(n)]
    rows += [{"scenario": "best", "replication": i, "coverage_hardship": base[i] + gain + rng.normal(0.0, 0.001),
              "coverage": 0.5 + coverage_change} for i in range(n)]
    return pd.DataFrame(rows)


def test_a_gain_below_the_smallest_important_difference_is_not_claimed() -> None:
    from sim.advise.optimise import _confirmation

    settings = OptimiseSettings(kpi="coverage_hardship", constraints=("coverage>=BASE-1pt",))
    small_gain = _confirmation(_frame(0.004, 0.0), "base", "best", settings)
    assert small_gain["low"] > 0 and not small_gain["improved"]  # significant, yet under 1 point: not a finding
    assert small_gain["verdict"] == "equivalent"
    broken = _confirmation(_frame(0.05, -0.03), "base", "best", settings)
    assert broken["verdict"] == "better" and not broken["constraints"][0]["holds"] and not broken["improved"]
    clear = _confirmation(_frame(0.05, 0.0), "base", "best", settings)
    assert clear["improved"]
    from sim.advise.optimise import Outcome, Standing

    winner = Standing("split-01", {"stations": 0.5, "demonstration": 0.5, "hub_awards": 0.0,
                                   "purchased_services": 0.0, "fund_seed": 0.0}, "equal", 12, 0.31)
    unsupported = Outcome("coverage_hardship", winner, [winner], 60, improved=False, confirmation=small_gain)
    assert "already as good as any found" in summary_text(unsupported, "en")
    assert "Improvement" not in summary_text(unsupported, "en") and "改进已确认" not in summary_text(unsupported, "zh")


@pytest.mark.slow
def test_optimise_cli_resumes_and_writes_the_report(tmp_path: Path) -> None:
    source = one_line(tmp_path, days=30, residents=600)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "sim", "optimise", str(source), "--kpi", "coverage", "--candidates", "2",
               "--max-replications", "3", "--confirm-replications", "3", "--executor", "serial", "--out", str(out),
               "--constraint", "coverage>=BASE-1pt", "--lang", "en", "--no-progress"]
    first = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert first.returncode == 0, first.stderr
    runs = sqlite3.connect(out / "store.sqlite").execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    again = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert again.returncode == 0 and again.stdout == first.stdout
    assert sqlite3.connect(out / "store.sqlite").execute("SELECT COUNT(*) FROM runs").fetchone()[0] == runs
    assert (out / "optimise.json").exists() and (out / "optimise-zh.txt").exists()
    assert (out / "confirm" / "report-en" / "report.html").exists()


@pytest.mark.slow
def test_optimise_example_script_runs(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "experiments/optimise_example.py", "--days", "15", "--budget-runs", "20",
                           "--candidates", "1", "--confirm-replications", "2", "--executor", "serial",
                           "--out", str(tmp_path / "out")], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Searched" in done.stdout and "搜索了" in done.stdout


def test_optimise_under_uncertainty_races_and_confirms_over_the_settings(tmp_path: Path) -> None:
    from sim.advise.uncertainties import load_uncertainties, sample_settings
    from tests.test_uncertainties import GOOD

    path = tmp_path / "u.toml"
    path.write_text(GOOD, encoding="utf-8")
    uncertain = sample_settings(load_uncertainties(path), 2, 0, source=str(path))
    source = one_line(tmp_path)
    quick = OptimiseSettings(kpi="coverage", candidates=1, first=2, step=1, max_replications=2, budget_runs=60,
                             confirm_replications=3)
    outcome = search(source, quick, tmp_path / "out", SERIAL, uncertain=uncertain)
    assert outcome.winner.label == "all-stations"
    assert all(s.replications == 2 * 2 for s in outcome.standings if not s.dropped)  # (setting, replication) pairs
    points = {row[0] for row in sqlite3.connect(tmp_path / "out" / "store.sqlite").execute("SELECT point FROM runs")}
    assert points == {0, 1}
    outcome = confirm(source, outcome, quick, SERIAL, 0, None, None, "One line serves", uncertain)
    assert outcome.confirmation["n"] == 2 * 3 and outcome.improved  # the confirmation pools both settings
    confirm_points = {row[0] for row in sqlite3.connect(Path(outcome.confirmation["folder"]) / "store.sqlite")
                      .execute("SELECT point FROM runs")}
    assert confirm_points == {0, 1}
    assert "Computed over 2 sampled settings" in summary_text(outcome, "en")
    assert "Improvement confirmed on 6 (setting, fresh seed) pairs" in summary_text(outcome, "en")
    assert "2 组抽样设定" in summary_text(outcome, "zh")


def test_optimise_with_a_bad_uncertainties_file_is_one_line_and_exit_2(tmp_path: Path, capsys) -> None:
    from sim.cli import main

    path = tmp_path / "u.toml"
    path.write_text("[uncertainties]\n", encoding="utf-8")
    code = main(["optimise", str(one_line(tmp_path)), "--uncertainties", str(path), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "uncertainties: missing or empty" in err and "Traceback" not in err
    assert main(["optimise", str(one_line(tmp_path)), "--samples", "2"]) == 2
    assert "--samples needs --uncertainties" in capsys.readouterr().err

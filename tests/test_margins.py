"""``sim margins``: paired finite differences per budget line, ranked; resumable after kill -9."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.advise.margins import MarginSettings, default_step, line_overrides, measure_margins, render
from sim.advise.paired import Backend
from sim.loading import load_scenario
from sim.scenario import BUDGET_LINES

ROOT = Path(__file__).resolve().parents[1]

# Only social-work stations can buy anything that serves: no volunteers, no programmes, no
# organisations, no gifts (the fund gets only seed money). Stations must rank first.
ONE_LINE = """
name = "One line serves"
days = 60
seed = 7

[communities.only]
residents = 1500
volunteers = 0
programmes = []

[organizations]
service_orgs = 0
hub_orgs = 0

[giving]
donors_per_1000_per_year = 0.0
unit_gifts_per_year = 0.0

[budget]
total_yuan = {total}
"""


def one_line(tmp_path: Path, total: float = 20_000.0, days: int = 60, residents: int = 1500) -> Path:
    """The one-line scenario written to ``tmp_path``."""
    path = tmp_path / "one_line.toml"
    text = ONE_LINE.format(total=total).replace("days = 60", f"days = {days}").replace("1500", str(residents))
    path.write_text(text, encoding="utf-8")
    return path


SERIAL = Backend("serial", progress=False)


def test_a_step_adds_its_yuan_to_one_line_and_keeps_the_others() -> None:
    budget = load_scenario(ROOT / "scenarios" / "changsha" / "district.toml").budget
    for line in BUDGET_LINES:
        changed = line_overrides(budget, line, 9_600.0)
        total = changed["budget.total_yuan"]
        assert total == pytest.approx(budget.total_yuan + 9_600.0)
        for other in BUDGET_LINES:
            before = budget.total_yuan * getattr(budget, f"split_{other}")
            after = total * changed[f"budget.split_{other}"]
            assert after == pytest.approx(before + (9_600.0 if other == line else 0.0))


def test_default_step_is_a_tenth_of_the_budget_to_two_figures() -> None:
    assert default_step(96_000.0) == 9_600.0
    assert default_step(24_000.0) == 2_400.0
    assert default_step(1_234_567.0) == 120_000.0
    assert default_step(0.0) == 1_000.0


def test_the_only_line_that_serves_ranks_first(tmp_path: Path) -> None:
    settings = MarginSettings(kpis=("coverage",), step_yuan=100_000.0, replications=4)
    margins, out_dir = measure_margins(one_line(tmp_path), settings, tmp_path / "out", SERIAL)
    assert margins[0].line == "stations"
    assert margins[0].low > 0 and margins[0].verdict == "better"
    idle = {m.line: m for m in margins if m.line in ("demonstration", "hub_awards", "purchased_services")}
    assert all(m.verdict == "equal" and m.spent_yuan == 0.0 for m in idle.values())  # nothing to buy: not spent
    assert "Social-work stations" in render(margins, "en").splitlines()[2]
    assert "社工站建设" in render(margins, "zh").splitlines()[2]
    runs = sqlite3.connect(out_dir / "store.sqlite").execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    assert runs == 6 * 4  # the scenario and five lines, four paired replications each


def test_replications_are_added_until_the_run_budget(tmp_path: Path) -> None:
    settings = MarginSettings(kpis=("coverage",), step_yuan=1_000.0, ci_width=1e-6, first=2, batch=2, max_runs=30)
    margins, _ = measure_margins(one_line(tmp_path, days=20, residents=400), settings, tmp_path / "out", SERIAL)
    assert {m.n for m in margins} == {4}  # 2, then 4; 6 replications x 6 options would pass 30 runs


def test_margins_cli_writes_tables_in_both_languages(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "sim", "margins", str(one_line(tmp_path, days=20, residents=400)),
                           "--replications", "2", "--executor", "serial", "--out", str(out), "--lang", "en",
                           "--no-progress"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "where the next 2,000 yuan does most" in done.stdout
    assert json.loads((out / "margins.json").read_text(encoding="utf-8"))["margins"]
    assert "下一笔" in (out / "margins-zh.txt").read_text(encoding="utf-8")
    assert (out / "margins.csv").read_text(encoding="utf-8").startswith("line,kpi,")


def test_bad_kpi_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "sim", "margins", str(one_line(tmp_path)), "--kpi", "coverag"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 2 and "unknown KPI 'coverag'" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_margins_resume_after_kill_9_loses_and_repeats_nothing(tmp_path: Path) -> None:
    scenario = one_line(tmp_path, days=30, residents=600)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "sim", "margins", str(scenario), "--replications", "4", "--executor", "serial",
               "--out", str(out), "--no-progress", "--kpi", "coverage"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    before = _wait_for_runs(out / "store.sqlite", 5, process)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    stored = _count(out / "store.sqlite")
    assert before <= stored < 24
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(out / "store.sqlite")
    assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT run_id) FROM runs WHERE status = 'ok'").fetchone() == (24, 24)
    ran_after_kill = conn.execute("SELECT ran FROM experiments ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert ran_after_kill == 24 - stored  # only the missing runs ran again
    fresh, _ = measure_margins(scenario, MarginSettings(kpis=("coverage",), replications=4), tmp_path / "fresh", SERIAL)
    resumed = json.loads((out / "margins.json").read_text(encoding="utf-8"))["margins"]
    assert [(m["line"], m["mean"]) for m in resumed] == [(m.line, m.mean) for m in fresh]


def _count(store: Path) -> int:
    if not store.exists():
        return 0
    try:
        return sqlite3.connect(store).execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def _wait_for_runs(store: Path, count: int, process: subprocess.Popen, timeout_s: float = 120.0) -> int:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = _count(store)
        if found >= count:
            return found
        assert process.poll() is None, "the margins run ended before it could be killed"
        time.sleep(0.05)
    raise AssertionError(f"fewer than {count} runs stored after {timeout_s} s")



@pytest.mark.slow
def test_margins_example_script_runs(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "experiments/margins_example.py", "--days", "15", "--replications", "2",
                           "--executor", "serial", "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "where the next 2,400 yuan does most" in done.stdout and "下一笔" in done.stdout


def test_an_earmarked_community_yuan_is_spent_in_that_community() -> None:
    """The lever behind per-community margins: a year of earmarked station money is all disbursed there."""
    from sim.run import simulate
    from tests.conftest import small

    two = {"second": {"residents": 600, "volunteers": 20}}
    overrides = {"budget.split_stations": 1.0, "budget.split_demonstration": 0.0, "budget.split_hub_awards": 0.0,
                 "budget.split_purchased_services": 0.0, "budget.split_fund_seed": 0.0}
    plain = simulate(small(overrides, residents=600, days=365, communities=two), seed=3)
    extra = simulate(small({**overrides, "communities.second.extra_budget_yuan": 5_000.0}, residents=600, days=365,
                           communities=two), seed=3)
    spent = extra.kpis["government_spent_yuan"] - plain.kpis["government_spent_yuan"]
    assert spent == pytest.approx(5_000.0, rel=1e-9)
    assert extra.communities["second"]["government_spent_yuan"] - plain.communities["second"]["government_spent_yuan"] \
        == pytest.approx(5_000.0, rel=1e-9)


def test_each_community_gets_an_option_when_there_are_several(tmp_path: Path) -> None:
    path = tmp_path / "two.toml"
    path.write_text(one_line(tmp_path, days=20, residents=400).read_text(encoding="utf-8")
                    + "\n[communities.second]\nresidents = 300\nvolunteers = 0\nprogrammes = []\n", encoding="utf-8")
    settings = MarginSettings(kpis=("coverage",), step_yuan=5_000.0, replications=2)
    margins, out_dir = measure_margins(path, settings, tmp_path / "out", SERIAL)
    assert {m.line for m in margins} == {*BUDGET_LINES, "community:only", "community:second"}
    assert all(m.spent_yuan > 0 for m in margins if m.line.startswith("community:"))
    assert "Community second (all lines, as split)" in render(margins, "en")
    runs = sqlite3.connect(out_dir / "store.sqlite").execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    assert runs == (5 + 2 + 1) * 2


@pytest.mark.slow
def test_margins_on_dask_equal_serial(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    scenario = one_line(tmp_path, days=10, residents=300)
    settings = MarginSettings(kpis=("coverage",), step_yuan=5_000.0, replications=2)
    on_dask, _ = measure_margins(scenario, settings, tmp_path / "dask", Backend("dask", workers=1, progress=False))
    serial, _ = measure_margins(scenario, settings, tmp_path / "serial", SERIAL)
    assert [(m.line, m.mean, m.low) for m in on_dask] == [(m.line, m.mean, m.low) for m in serial]


def test_margins_under_uncertainty_run_every_option_under_each_setting_and_pool_the_pairs(tmp_path: Path,
                                                                                        capsys) -> None:
    from sim.cli import main
    from tests.test_uncertainties import GOOD

    uncertain = tmp_path / "u.toml"
    uncertain.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    command = ["margins", str(one_line(tmp_path, days=20, residents=400)), "--kpi", "coverage", "--replications", "2",
               "--uncertainties", str(uncertain), "--samples", "2", "--executor", "serial", "--out", str(out),
               "--lang", "en", "--no-progress"]
    assert main(command) == 0
    shown = capsys.readouterr().out
    assert "Computed over 2 sampled settings" in shown and "share of needs hidden" in shown
    conn = sqlite3.connect(out / "store.sqlite")
    rows = conn.execute("SELECT scenario, point, replication, seed, scenario_hash FROM runs").fetchall()
    assert len(rows) == 6 * 2 * 2  # six options x two settings x two replications
    seeds = {(point, rep): {seed for _, p, r, seed, _ in rows if (p, r) == (point, rep)} for point in (0, 1) for rep in (0, 1)}
    assert all(len(found) == 1 for found in seeds.values())  # every option meets the same (setting, replication) seeds
    assert seeds[(0, 0)] == seeds[(1, 0)]  # settings share the replication seeds (common random numbers)
    base = {p: h for label, p, _, _, h in rows if label == "scenario"}
    assert base[0] != base[1]  # each setting is its own scenario
    margins = json.loads((out / "margins.json").read_text(encoding="utf-8"))
    assert {m["n"] for m in margins["margins"]} == {4}  # pairs pooled by (setting, replication)
    assert len(margins["uncertainties"]["values"]) == 2
    assert "2 组抽样设定" in (out / "margins-zh.txt").read_text(encoding="utf-8")
    assert main(command) == 0  # resumes: nothing rerun
    assert conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 24


def test_margins_with_a_bad_uncertainties_file_is_one_line_and_exit_2(tmp_path: Path, capsys) -> None:
    from sim.cli import main
    from tests.test_uncertainties import GOOD

    uncertain = tmp_path / "u.toml"
    uncertain.write_text(GOOD.replace("low = 0.2", "low = 0.6"), encoding="utf-8")
    code = main(["margins", str(one_line(tmp_path)), "--uncertainties", str(uncertain), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "must be below high" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_margins_take_a_shipped_city_by_name_and_show_its_generated_names(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "sim", "margins", "changsha/city", "--set", "city.communities=2",
                           "--set", "city.residents_per_community=300", "--days", "10", "--replications", "2",
                           "--executor", "serial", "--out", str(tmp_path / "out"), "--lang", "en", "--no-progress"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "community 1" in done.stdout and "_community_" not in done.stdout  # display names, not generated keys

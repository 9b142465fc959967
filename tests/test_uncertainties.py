"""Uncertain inputs: the file format and its errors, Latin-hypercube settings, common random numbers
across settings and options, and the report's robustness section (wins, regret, failure conditions)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.advise.robustness import assess, find_rule, pool_settings, sentence
from sim.advise.uncertainties import (
    Uncertainty,
    load_uncertainties,
    sample_settings,
    setting_overrides,
    settings_from_unit,
)
from sim.cli import main
from sim.errors import ScenarioError
from sim.experiment import Experiment, plan_experiment
from sim.loading import read_merged
from sim.needs import DEFAULTS, NeedType

from .conftest import BASELINE, ROOT

CHANGSHA = ROOT / "scenarios" / "uncertainties" / "changsha.toml"
LEVER = ROOT / "scenarios" / "levers" / "online_reporting.toml"
SMALL = {"communities.baseline.residents": 1000, "communities.baseline.volunteers": 35}

GOOD = """
[uncertainties.hidden_share]
key = "needs.*.hidden_share"
scale = true
low = 0.5
high = 2.0
label_en = "share of needs hidden"
label_zh = "隐性需求比例"
shown_per_unit = 0.3
percent = true
source = "docs/ODD.md section 7"

[uncertainties.quit_rate_per_year]
key = "volunteers.quit_rate_per_year"
low = 0.2
high = 0.4
label_en = "volunteers' yearly quitting rate"
label_zh = "志愿者年退出率"
source = "[assumed] test"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "u.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_changsha_file_loads_and_every_input_cites_a_source_or_says_assumed() -> None:
    items = load_uncertainties(CHANGSHA)
    assert len(items) >= 8
    assert {"hidden_share", "quit_rate_per_year", "yuan_per_social_worker_year", "yuan_per_place_day"} <= {u.name for u in items}
    for item in items:
        assert "[assumed]" in item.source or "lit" in item.source or "ODD" in item.source or "source" in item.source
        assert item.label_zh and item.label_en


@pytest.mark.parametrize(("change", "expected"), [
    (("low = 0.2", "low = 0.5\nlow2 = 1"), "uncertainties.quit_rate_per_year.low2: unknown key"),
    (("low = 0.2", "low = 0.6"), "low (0.6) must be below high (0.4)"),
    (('key = "volunteers.quit_rate_per_year"', 'key = "volunteers.quit_rate"'), "unknown key 'quit_rate'"),
    (('source = "[assumed] test"', ""), "quit_rate_per_year.source: missing"),
    (('low = 0.2', 'low = "x"'), "low: must be a number (got 'x')"),
    (('high = 0.4', 'high = 0.4\ndistribution = "normal"'), "unknown 'normal' (allowed: uniform, loguniform, triangular)"),
    (('key = "volunteers.quit_rate_per_year"', 'key = "volunteers.*.quit_rate_per_year"'), "* is allowed only as"),
])
def test_a_bad_file_gives_one_line_per_problem(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    path = _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ScenarioError) as caught:
        load_uncertainties(path)
    assert any(expected in line and line.startswith(str(path)) for line in caught.value.problems), caught.value.problems
    assert all("\n" not in line for line in caught.value.problems)


def test_compare_with_a_bad_uncertainties_file_exits_2_without_a_traceback(tmp_path: Path, capsys) -> None:
    path = _write(tmp_path, GOOD.replace("low = 0.2", "low = 0.6"))
    code = main(["compare", str(BASELINE), "--replications", "1", "--uncertainties", str(path), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "must be below high" in err and "Traceback" not in err
    assert main(["compare", str(BASELINE), "--replications", "1", "--samples", "3"]) == 2
    assert "--samples needs --uncertainties" in capsys.readouterr().err


def test_settings_are_a_seeded_latin_hypercube_within_the_ranges(tmp_path: Path) -> None:
    items = load_uncertainties(_write(tmp_path, GOOD))
    first, again, other = sample_settings(items, 10, 7), sample_settings(items, 10, 7), sample_settings(items, 10, 8)
    assert first.values == again.values and first.values != other.values
    unit = np.asarray(first.unit)
    for column in unit.T:  # one sample in each tenth of every input's range
        assert sorted(np.floor(column * 10).astype(int)) == list(range(10))
    values = np.asarray(first.values)
    assert (values[:, 0] >= 0.5).all() and (values[:, 0] <= 2.0).all()
    assert (values[:, 1] >= 0.2).all() and (values[:, 1] <= 0.4).all()


def test_distributions_map_the_unit_interval_onto_the_range() -> None:
    log = Uncertainty("x", "volunteers.recruit_rate_per_year", 0.001, 0.004, "x", "x", "[assumed]", "loguniform")
    assert log.from_unit(0.0) == pytest.approx(0.001) and log.from_unit(0.5) == pytest.approx(0.002)
    tri = Uncertainty("x", "volunteers.quit_rate_per_year", 0.0, 1.0, "x", "x", "[assumed]", "triangular", peak=0.25)
    assert tri.from_unit(0.25) == pytest.approx(0.25) and tri.from_unit(0.0) == 0.0
    whole = Uncertainty("x", "linkage.list_interval_days", 7, 28, "x", "x", "[assumed]", integer=True)
    assert whole.from_unit(0.5) == 18 and isinstance(whole.from_unit(0.5), float)


def test_a_scale_uncertainty_multiplies_each_need_types_own_share(tmp_path: Path) -> None:
    items = load_uncertainties(_write(tmp_path, GOOD))
    data = read_merged(BASELINE)
    data.setdefault("needs", {}).setdefault("meals", {})["hidden_share"] = 0.1  # an option's own value
    found = setting_overrides(data, items, (1.5, 0.33))
    assert found["needs.meals.hidden_share"] == pytest.approx(0.15)
    assert found["needs.elderly_care.hidden_share"] == pytest.approx(1.5 * DEFAULTS[NeedType.ELDERLY_CARE].hidden_share)
    assert found["volunteers.quit_rate_per_year"] == 0.33
    assert len([k for k in found if k.endswith("hidden_share")]) == len(DEFAULTS)


def test_every_option_meets_the_same_settings_with_the_same_seeds(tmp_path: Path) -> None:
    items = load_uncertainties(_write(tmp_path, GOOD))
    settings = sample_settings(items, 3, 11)
    plan = plan_experiment(Experiment([BASELINE, LEVER], replications=2, seed=11, days=5, settings=settings), "v")
    tasks = list(plan.tasks())
    assert len(tasks) == 2 * 3 * 2 and len({t.run_id for t in tasks}) == 12
    by = {(t.label, t.point, t.replication): t for t in tasks}
    labels = sorted({t.label for t in tasks})
    for point in range(3):
        quits = {by[(label, point, 0)].scenario.volunteers.quit_rate_per_year for label in labels}
        assert quits == {settings.values[point][1]}  # both options under setting `point`
        for replication in range(2):  # replication i: one seed in every option and setting
            assert len({by[(label, p, replication)].seed for label in labels for p in range(3)}) == 1


def test_find_rule_recovers_a_threshold_and_reports_none_without_failures() -> None:
    rng = np.random.default_rng(0)
    x = rng.random((16, 3))
    fails = x[:, 1] > 0.6
    rule = find_rule(x, fails)
    assert rule is not None and rule.density == 1.0 and rule.coverage == 1.0
    (condition,) = rule.conditions
    assert condition.index == 1 and condition.above and 0.5 < condition.threshold < 0.7
    assert find_rule(x, np.zeros(16, dtype=bool)) is None and find_rule(x, np.ones(16, dtype=bool)) is None


def _synthetic(settings_x: np.ndarray) -> pd.DataFrame:
    """Option B beats A by 3 points of coverage except where input 0 is above 1.4; C is 1 point worse."""
    rows = []
    for point, (hidden, _) in enumerate(settings_x):
        for replication in range(3):
            base = 0.5 - 0.1 * hidden + 0.001 * replication
            rows += [{"scenario": "A", "point": point, "replication": replication, "coverage": base},
                     {"scenario": "B", "point": point, "replication": replication,
                      "coverage": base + (0.03 if hidden <= 1.4 else -0.005) + 0.001 * (replication - 1)},
                     {"scenario": "C", "point": point, "replication": replication, "coverage": base - 0.01}]
    return pd.DataFrame(rows)


def test_robustness_counts_wins_regret_and_finds_where_an_option_stops_paying_off() -> None:
    items = (Uncertainty("hidden_share", "needs.*.hidden_share", 0.5, 2.0, "share of needs hidden", "隐性需求比例",
                         "[assumed]", scale=True, shown_per_unit=0.3, percent=True),
             Uncertainty("quit", "volunteers.quit_rate_per_year", 0.2, 0.4, "quitting rate", "退出率", "[assumed]"))
    unit = np.column_stack([np.linspace(0.02, 0.98, 12), np.linspace(0.98, 0.02, 12)[np.argsort(np.arange(12) % 5)]])
    settings = settings_from_unit(items, unit, "lhs", 0)
    ok = _synthetic(np.asarray(settings.values))
    found = {r.option: r for r in assess(ok, settings, ["A", "B", "C"], "A", "coverage")}
    high = np.asarray(settings.values)[:, 0] > 1.4
    b, c = found["B"], found["C"]
    assert b.wins == int((~high).sum()) and b.losses == 0 and b.clear_wins == b.wins
    assert b.worst_regret == pytest.approx(0.005) and c.worst_regret == pytest.approx(0.04)  # behind A, behind B
    assert c.wins == 0 and c.losses == 12 and c.rule is None
    (condition,) = b.rule.conditions
    assert condition.index == 0 and condition.above
    text = sentence(b, "The stations-heavy split", "Current plan", items, "en")
    assert text.startswith("The stations-heavy split stops paying off on coverage") and "share of needs hidden is above" in text
    assert "%" in text and "隐性需求比例高于" in sentence(b, "侧重社工站", "现行方案", items, "zh")
    assert "in none of the 12 settings" in sentence(c, "C", "Current plan", items, "en")
    stricter = {r.option: r for r in assess(ok, settings, ["A", "B", "C"], "A", "coverage", 0.05)}
    assert stricter["B"].wins == 0 and stricter["B"].mid == 0.05  # --mid reaches the robustness section


def test_pooling_pairs_runs_by_setting_and_replication() -> None:
    frame = pd.DataFrame({"scenario": ["A"] * 4, "point": [0, 0, 1, 1], "replication": [0, 1, 0, 1]})
    pooled = pool_settings(frame)
    assert pooled["replication"].tolist() == [0, 1, 2, 3] and set(pooled["point"]) == {0}


def test_compare_under_uncertainty_writes_a_robustness_section_and_resumes(tmp_path: Path, capsys) -> None:
    path = _write(tmp_path, GOOD)
    out = tmp_path / "store"
    args = ["compare", str(BASELINE), str(LEVER), "--replications", "2", "--days", "30", "--executor", "serial",
            "--uncertainties", str(path), "--samples", "3", "--out", str(out), "--no-progress"]
    args += [x for key, value in SMALL.items() for x in ("--set", f"{key}={value}")]
    assert main([*args, "--lang", "en"]) == 0
    first = capsys.readouterr()
    assert "12 runs planned, 0 skipped" in first.err
    page = (out / "report-en" / "report.html").read_text(encoding="utf-8")
    assert "Robustness to what we don" in page and 'id="robustness"' in page and "share of needs hidden" in page
    assert "Worst-case regret" in page and "3 settings" in page
    svg = (out / "report-en" / "figures" / "robustness.svg").read_text(encoding="utf-8")
    assert "<title>Each option against the current plan in every sampled setting</title><desc>" in svg
    assert 'id="fig-robustness"' in page
    assert main([*args, "--lang", "zh"]) == 0
    assert "12 skipped" in capsys.readouterr().err  # resumed: nothing re-run
    chinese = (out / "report-zh" / "report.md").read_text(encoding="utf-8")
    assert "对未知因素的稳健性" in chinese and "隐性需求比例" in chinese


def _example(name: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "experiments" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_robustness_example_runs_on_tiny_settings(tmp_path: Path, capsys) -> None:
    example = _example("robustness_example")
    assert example.main(["--samples", "2", "--replications", "1", "--days", "10", "--executor", "serial",
                         "--out", str(tmp_path / "r"), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "stations-heavy split" in out and "settings" in out and "report:" in out


@pytest.mark.slow
def test_sampled_settings_give_the_same_numbers_on_serial_process_and_dask(tmp_path: Path) -> None:
    from sim.experiment import load_results, run_experiment

    pytest.importorskip("distributed")
    items = load_uncertainties(_write(tmp_path, GOOD))
    spec = Experiment([BASELINE, LEVER], replications=2, seed=3, days=15, overrides=SMALL,
                      settings=sample_settings(items, 3, 3))
    frames = []
    for executor in ("serial", "process", "dask"):
        out = tmp_path / executor
        run_experiment(spec, out, executor=executor, workers=2, progress=False)
        frames.append(load_results(out).set_index("run_id").sort_index()[["coverage", "needs_met", "point"]])
    assert len(frames[0]) == 12
    pd.testing.assert_frame_equal(frames[0], frames[1])
    pd.testing.assert_frame_equal(frames[0], frames[2])

"""The app's levers: budget shares stay a valid split, only moved levers become overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.loading import load_scenario
from sim.scenario import MatchingScope
from sim.viz.levers import (
    SPLIT_LEVERS,
    build_scenario,
    calibration_sources,
    lever_overrides,
    list_scenarios,
    moved_levers,
    read_levers,
    rescale_split,
    scenario_title,
    settings_for,
    split_percents,
)

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.fixture(scope="module")
def baseline_settings():  # noqa: ANN201
    return settings_for(SCENARIOS, "baseline.toml")


def test_rescale_split_keeps_the_others_proportions_and_sums_to_one() -> None:
    values = {"split_stations": 0.4, "split_demonstration": 0.4, "split_hub_awards": 0.1,
              "split_purchased_services": 0.1, "split_fund_seed": 0.0}
    result = rescale_split(values, "split_stations", 0.7)
    assert result["split_stations"] == 0.7
    assert result["split_demonstration"] == pytest.approx(0.2)
    assert result["split_hub_awards"] == pytest.approx(0.05)
    assert result["split_purchased_services"] == pytest.approx(0.05)
    assert result["split_fund_seed"] == 0.0
    assert abs(sum(result[name] for name in SPLIT_LEVERS) - 1.0) <= 1e-12


def test_rescale_split_spreads_evenly_when_the_others_are_all_zero() -> None:
    values = dict.fromkeys(SPLIT_LEVERS, 0.0) | {"split_stations": 1.0}
    result = rescale_split(values, "split_stations", 0.6)
    assert [result[name] for name in SPLIT_LEVERS[1:]] == pytest.approx([0.1] * 4)


def test_levers_start_where_the_file_puts_them() -> None:
    values = read_levers(load_scenario(SCENARIOS / "levers" / "platform.toml"))
    assert values["platform_matching"] is True
    assert values["online_reporting"] is False
    assert values["split_stations"] == 0.44


def test_only_moved_levers_become_overrides(baseline_settings) -> None:  # noqa: ANN001
    scenario = load_scenario(baseline_settings.path)
    assert lever_overrides(scenario, baseline_settings.values) == {}
    moved = baseline_settings.with_value("online_reporting", True).with_value("representatives", True)
    assert lever_overrides(scenario, moved.values) == {
        "linkage.online_reporting": True,
        "linkage.discovery.contact_interval_days": 7,
        "linkage.discovery.visit_interval_days": 30,
        "linkage.discovery.meeting_interval_days": 90,
    }


def test_moved_levers_build_a_valid_scenario(baseline_settings) -> None:  # noqa: ANN001
    moved = (baseline_settings.with_value("split_purchased_services", 0.3).with_value("platform_matching", True)
             .with_value("budget_percent", 150.0).with_value("fund_matching_ratio", 1.5))
    scenario, overrides = build_scenario(moved)
    assert scenario.budget.split_purchased_services == 0.3
    assert scenario.budget.total_yuan == 1.5 * load_scenario(SCENARIOS / "baseline.toml").budget.total_yuan
    assert scenario.linkage.matching_scope == MatchingScope.PLATFORM
    assert scenario.linkage.fund_matching_ratio == 1.5
    assert set(overrides) >= {f"budget.{name}" for name in SPLIT_LEVERS}


def test_scenario_list_holds_every_toml_file_but_targets(tmp_path: Path) -> None:
    for name in ("b.toml", "a/x.toml", "targets/t.toml", "notes.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    assert list_scenarios(tmp_path) == ["a/x.toml", "b.toml"]


def test_shipped_scenarios_are_listed() -> None:
    files = list_scenarios(SCENARIOS)
    assert "baseline.toml" in files and "levers/points.toml" in files
    assert not any(name.startswith("targets/") for name in files)


@pytest.mark.parametrize("shares", [(0.44, 0.46, 0.04, 0.04, 0.02), (1 / 3, 1 / 3, 1 / 3, 0.0, 0.0), (0.2,) * 5,
                                    (0.005, 0.005, 0.99, 0.0, 0.0)])
def test_split_percents_are_whole_and_sum_to_100(shares: tuple[float, ...]) -> None:
    percents = split_percents(dict(zip(SPLIT_LEVERS, shares)))
    assert sum(percents.values()) == 100
    assert all(abs(percents[name] - share * 100) < 1 for name, share in zip(SPLIT_LEVERS, shares))


def test_moved_levers_name_only_what_differs(baseline_settings) -> None:  # noqa: ANN001
    moved = baseline_settings.with_value("points", True)
    assert moved_levers(baseline_settings.values, moved.values) == ["points"]
    assert moved_levers(baseline_settings.values, baseline_settings.values) == []


def test_scenarios_are_named_from_the_files_in_each_language(tmp_path: Path) -> None:
    assert scenario_title(SCENARIOS, "baseline.toml", "zh") == "基准社区"
    assert scenario_title(SCENARIOS, "baseline.toml", "en") == "Baseline community"
    (tmp_path / "broken.toml").write_text("days = 'many'\n")
    assert scenario_title(tmp_path, "broken.toml", "zh") is None
    assert scenario_title(tmp_path, "missing.toml", "zh") is None


def test_every_shipped_scenario_has_a_chinese_name() -> None:
    missing = [name for name in list_scenarios(SCENARIOS)
               if scenario_title(SCENARIOS, name, "zh") == scenario_title(SCENARIOS, name, "en")]
    assert missing == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_chooser_names_every_shipped_scenario_differently(lang: str) -> None:
    from sim.viz.controls import scenario_items

    texts = [item["text"] for item in scenario_items(SCENARIOS, list_scenarios(SCENARIOS), lang)]
    assert len(texts) == len(set(texts))
    assert calibration_sources(SCENARIOS, tuple(list_scenarios(SCENARIOS))) >= {"changsha/district.toml",
                                                                                "places/sources/jiliqiao.toml"}


def test_a_city_opens_in_class_at_a_dozen_communities() -> None:
    from sim.viz.levers import CLASSROOM_CITY, load_for_class

    city = load_for_class(SCENARIOS / "changsha" / "city.toml")
    assert len(city.communities) == CLASSROOM_CITY["city.communities"] == 12
    assert "12 communities" in city.name and "12个社区" in city.name_zh  # never taken for the whole city
    assert len(load_for_class(SCENARIOS / "changsha" / "district.toml").communities) == 5

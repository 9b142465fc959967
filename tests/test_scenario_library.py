"""The scenario library: every file validates and runs; library files cite or mark every value."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim import metrics
from sim.loading import load_scenario, read_merged
from sim.model import FiveSocietyModel

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
ALL_FILES = sorted(p for p in SCENARIOS.rglob("*.toml") if not {"targets", "uncertainties"} & set(p.relative_to(SCENARIOS).parts))
LIBRARY = sorted([*(SCENARIOS / "places").rglob("*.toml"), SCENARIOS / "changsha" / "district.toml",
                  *(SCENARIOS / "changsha").glob("city*.toml")])
REDUCED_CITY = {"city.communities": 4, "city.residents_per_community": 1000}  # the full city is 10.42 M residents
MARKS = ("source: seed", "[assumed]", "[fitted]", "[lit:")
UNMARKED_KEYS = {"name_zh", "name", "description", "seed", "days", "extends"}
KEY_LINE = re.compile(r"^\s*([A-Za-z0-9_\"-]+)\s*=")


def _id(path: Path) -> str:
    return str(path.relative_to(SCENARIOS))


@pytest.mark.parametrize("path", ALL_FILES, ids=_id)
def test_every_scenario_validates_and_runs_30_days(path: Path) -> None:
    scenario = load_scenario(path, REDUCED_CITY if "city" in read_merged(path) else None)
    model = FiveSocietyModel(scenario)
    model.run(30)
    assert all(metrics.invariants(model).values())
    assert metrics.kpis(model)["needs_arisen"] > 0


def test_the_library_has_the_places_and_district_of_issue_3() -> None:
    places = {p.stem for p in (SCENARIOS / "places").glob("*.toml")}
    assert places == {"xiangmin", "qiaotou", "donglanwan", "jiliqiao", "heshan_village", "shuyang_town"}
    changsha = {p.stem for p in (SCENARIOS / "changsha").glob("*.toml")}
    assert {"base", "platform", "spread_equal", "spread_per_capita", "spread_need_weighted", "spread_performance"} <= changsha


@pytest.mark.parametrize("path", LIBRARY, ids=_id)
def test_library_files_start_with_a_comment_and_mark_every_value(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    unmarked = [line for line in lines if (m := KEY_LINE.match(line)) and m.group(1) not in UNMARKED_KEYS
                and not any(mark in line for mark in MARKS)]
    assert unmarked == []


def _flat(table: dict, prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


@pytest.mark.parametrize("path", sorted((SCENARIOS / "changsha").glob("s[pl]*.toml")), ids=_id)
def test_district_variants_change_one_lever_only(path: Path) -> None:
    base = _flat(load_scenario(SCENARIOS / "changsha" / "base.toml").model_dump(mode="json"))
    variant = _flat(load_scenario(path).model_dump(mode="json"))
    changed = {key for key in base if base[key] != variant[key]} - {"name", "name_zh"}
    family = path.stem.split("_")[0]
    allowed = {"split": {k for k in base if k.startswith("budget.split_")},
               "spread": {"budget.spread_rule"}, "platform": {"linkage.matching_scope"}}[family]
    assert changed <= allowed
    assert changed or path.stem == "spread_per_capita"  # the base rule, stated explicitly

"""A city from a compact description (sim.city): sourced totals, determinism, reduced cities, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.city import city_scenario, generate, plan
from sim.errors import ScenarioError
from sim.limits import MAX_GRID_CELLS, check_memory, scenario_size
from sim.loading import load_scenario, read_merged
from sim.run import simulate
from sim.scenario import City

from .conftest import ROOT

CITY = ROOT / "scenarios" / "changsha" / "city.toml"
VARIANTS = sorted((ROOT / "scenarios" / "changsha").glob("city_split_*.toml"))
YUAN_PER_RESIDENT = 50_000_000 / 10_420_600  # source: seed, Changsha 50 M; 10,420,600 residents end of 2022


@pytest.fixture(scope="module")
def full():
    """The full city, loaded and validated once (about 0.2 s)."""
    return load_scenario(CITY)


def _description(**keys: object) -> City:
    return City.model_validate({**read_merged(CITY)["city"], **keys})


def _streets(scenario) -> dict[str, list[str]]:  # noqa: ANN001
    streets: dict[str, list[str]] = {}
    for key, community in scenario.communities.items():
        streets.setdefault(community.street, []).append(key)
    return streets


def test_full_city_has_the_sourced_totals(full) -> None:  # noqa: ANN001
    communities = full.communities.values()
    assert len(full.communities) == 1_884  # 715 communities + 1,169 villages
    assert sum(c.residents for c in communities) == 10_420_600
    assert full.budget.total_yuan == pytest.approx(50_000_000)
    assert (full.budget.split_stations, full.budget.split_demonstration, full.budget.split_hub_awards,
            full.budget.split_purchased_services) == (0.44, 0.46, 0.04, 0.04)  # 22 M, 23 M, 2 M, 2 M of 50 M
    assert len(_streets(full)) == 189  # 80 streets + 95 towns + 14 townships
    assert sum(key.split("_")[-2] == "village" for key in full.communities) == 1_169


def test_every_street_has_exactly_one_station(full) -> None:  # noqa: ANN001
    for street, keys in _streets(full).items():
        assert street, "every generated community has a street"
        assert sum(full.communities[k].has_station for k in keys) == 1, street


def test_full_city_ages_match_the_census_and_areas_the_city(full) -> None:  # noqa: ANN001
    communities = list(full.communities.values())
    residents = sum(c.residents for c in communities)
    elderly = sum(c.residents * c.share_elderly for c in communities) / residents
    children = sum(c.residents * c.share_children for c in communities) / residents
    assert elderly == pytest.approx(0.1533, abs=0.005)  # 2020 census: 15.33% aged 60+
    assert children == pytest.approx(0.1664, abs=0.005)  # 16.64% aged 0-14
    assert sum(c.area_km2 for c in communities) == pytest.approx(11_819, rel=0.01)  # Changsha 11,819 km2


def test_full_city_size_and_grid_fit(full) -> None:  # noqa: ANN001
    size = scenario_size(full)
    assert size.residents == 10_420_600
    assert size.volunteers == 1_884 * 28  # 14,000 / 498 platform communities
    assert size.cells <= MAX_GRID_CELLS


def test_generation_is_deterministic_and_seeded_by_the_city_alone(full) -> None:  # noqa: ANN001
    description = _description()
    assert generate(description) == generate(description)
    assert load_scenario(CITY, {"seed": 7, "city.communities": 30}).communities == \
        load_scenario(CITY, {"seed": 8, "city.communities": 30}).communities
    other = generate(_description(seed=1))
    assert list(other) == list(full.communities)  # the same streets and communities ...
    assert [c["residents"] for c in other.values()] != [c.residents for c in full.communities.values()]  # ... other sizes


@pytest.mark.parametrize("n", [25, 100, 500])
def test_n_communities_of_r_residents(n: int) -> None:
    scenario = city_scenario(communities=n, residents_per_community=10_000)
    residents = sum(c.residents for c in scenario.communities.values())
    assert len(scenario.communities) == n and residents == n * 10_000
    assert scenario.budget.total_yuan / residents == pytest.approx(YUAN_PER_RESIDENT)
    streets = _streets(scenario)
    assert len(streets) == pytest.approx(n * 189 / 1_884, abs=2)  # ~10 communities a station
    assert all(sum(scenario.communities[k].has_station for k in keys) == 1 for keys in streets.values())


def test_scale_of_the_real_city() -> None:
    scenario = city_scenario(scale=0.01)
    city_plan = plan(_description(scale=0.01))
    assert len(scenario.communities) == 19  # 1,884 x 0.01
    assert city_plan.residents == 104_206  # 10,420,600 x 0.01
    assert scenario.budget.total_yuan == pytest.approx(500_000)
    assert len(city_plan.streets) == len(_streets(scenario)) == 2


def test_variants_change_only_the_budget_split() -> None:
    reduced = {"city.communities": 12}
    base = load_scenario(CITY, reduced).model_dump(mode="json")
    for path in VARIANTS:
        variant = load_scenario(path, reduced).model_dump(mode="json")
        changed = {k for k in base if base[k] != variant[k]} - {"name", "name_zh"}
        assert changed == {"budget"}, path.name
        assert {k for k in base["budget"] if base["budget"][k] != variant["budget"][k]} <= {
            "split_stations", "split_demonstration", "split_hub_awards", "split_purchased_services", "split_fund_seed"}
    assert len(VARIANTS) >= 2


def test_a_file_extending_the_city_is_reduced_by_its_own_keys(tmp_path: Path) -> None:
    child = tmp_path / "small_city.toml"
    child.write_text(f'extends = "{CITY.as_posix()}"\n[city]\ncommunities = 6\nresidents_per_community = 800\n', encoding="utf-8")
    scenario = load_scenario(child)
    assert len(scenario.communities) == 6 and sum(c.residents for c in scenario.communities.values()) == 4_800


def test_a_small_reduced_city_runs() -> None:
    result = simulate(city_scenario(communities=3, residents_per_community=600), days=5)
    assert result.kpis["needs_arisen"] > 0
    assert result.kpis["needs_arisen"] == result.kpis["needs_met"] + result.kpis["needs_unmet"] + result.kpis["needs_pending"]
    assert len(result.communities) == 3


def test_more_than_200_communities_validate() -> None:
    scenario = city_scenario(communities=300, residents_per_community=200)
    assert len(scenario.communities) == 300


def test_a_city_beyond_memory_is_refused_with_the_estimate() -> None:
    scenario = city_scenario(communities=4_000, residents_per_community=50_000, overrides={"cell_size_m": 1000.0})
    with pytest.raises(ScenarioError, match=r"needs about [\d.]+ GB of memory \(200,000,000 residents"):
        check_memory(scenario, "city")
    with pytest.raises(ScenarioError, match="needs about"):
        simulate(scenario, days=1)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"city.types.village.share_elderly": 1.5}, r"city\.types\.village\.share_elderly: Input should be less than or equal to 1"),
    ({"city.scale": 0}, r"city\.scale: Input should be greater than 0"),
    ({"city.types.village.residents_share": 0.5}, r"city\.types: residents_share of the types sum to 1\.326"),
    ({"city.districts.furong.streets": 12}, r"city\.districts: their streets sum to 81 \(allowed: the city's streets, 80\)"),
    ({"city.typo": 1}, r"city\.typo: unknown key 'typo' \(allowed: budget_yuan, communities"),
    ({"communities.no_such_place.residents": 5}, r"communities\.no_such_place: not a community this city generates \(allowed: a generated name such as furong_street_1_community_1"),
    ({"communities.furong_street_1_community_1.residents": -5}, r"city\.types\.old_town: generated community furong_street_1_community_1 \(residents\): Input should be greater than or equal to 1"),
    ({"city.communities": 5, "city.residents_per_community": 400_000, "city.types.village.residents_cv": 0.0},
     r"city\.types\.old_town: generated community .* \(residents\): Input should be less than or equal to 500000"),
])
def test_errors_name_the_city_key(overrides: dict, message: str) -> None:
    with pytest.raises(ScenarioError, match=message) as caught:
        load_scenario(CITY, overrides)
    assert all("\n" not in line for line in caught.value.problems)


def test_communities_tables_patch_generated_communities_by_name(tmp_path: Path) -> None:
    patched = tmp_path / "patched.toml"
    patched.write_text(f'extends = "{CITY.as_posix()}"\n[city]\ncommunities = 8\n'
                       '[communities.yuelu_street_1_community_1]\nextra_budget_yuan = 5000.0\nvolunteers = 100\n', encoding="utf-8")
    scenario = load_scenario(patched)
    plain = load_scenario(CITY, {"city.communities": 8})
    first = scenario.communities["yuelu_street_1_community_1"]
    assert (first.extra_budget_yuan, first.volunteers) == (5000.0, 100)
    assert first.residents == plain.communities["yuelu_street_1_community_1"].residents
    assert {k: c for k, c in scenario.communities.items() if k != "yuelu_street_1_community_1"} == \
        {k: c for k, c in plain.communities.items() if k != "yuelu_street_1_community_1"}


def test_an_explicit_total_replaces_the_city_budget() -> None:
    """``sim margins`` steps ``budget.total_yuan`` (and earmarks yuan per community) on any scenario, a city too."""
    scenario = load_scenario(CITY, {"city.communities": 8, "budget.total_yuan": 123_456.0})
    assert scenario.budget.total_yuan == 123_456.0


def test_generated_names_read_in_both_languages(full) -> None:  # noqa: ANN001
    first, last = next(iter(full.communities)), list(full.communities)[-1]
    assert first == "furong_street_1_community_1" and full.communities[first].name_zh == "芙蓉区 第1街道 社区1"
    assert last.startswith("ningxiang_town_") and full.communities[last].name_zh.startswith("宁乡市 第")
    assert "村" in full.communities[last].name_zh

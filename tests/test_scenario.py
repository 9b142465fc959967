"""The scenario schema and loader: defaults, bounds, extends, overrides and error lines."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from sim.errors import ScenarioError
from sim.loading import deep_merge, load_scenario
from sim.run import resolve
from sim.scenario import Scenario, SpreadRule

from .conftest import BASELINE


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return caught.value.problems


def test_defaults_are_valid_and_split_sums_to_one() -> None:
    budget = Scenario().budget
    total = budget.split_stations + budget.split_demonstration + budget.split_hub_awards + budget.split_purchased_services + budget.split_fund_seed
    assert math.isclose(total, 1.0, abs_tol=1e-9)


def test_baseline_loads_with_its_values() -> None:
    scenario = load_scenario(BASELINE)
    assert scenario.communities["baseline"].residents == 5000
    assert scenario.budget.spread_rule is SpreadRule.PER_CAPITA
    assert scenario.days == 365


def test_every_problem_is_reported_one_line_each(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.toml", """
days = -3
colour = "red"
[communities.a]
residents = 2.5
share_elderly = 1.5
[linkage]
matching_scope = "galaxy"
[budget]
split_stations = 0.9
""")
    lines = problems(path)
    assert len(lines) == 6
    assert all(line.startswith(f"{path}: ") for line in lines)
    text = "\n".join(lines)
    assert f"{path}: days: Input should be greater than or equal to 1 (got -3)" in lines
    assert "colour: unknown key (allowed: budget, cell_size_m, communities," in text
    assert "communities.a.residents: Input should be a valid integer" in text
    assert "communities.a.share_elderly: Input should be less than or equal to 1" in text
    assert "linkage.matching_scope: Input should be 'community' or 'platform'" in text
    assert "budget: split_* shares sum to 1.46 (allowed: a sum of 1 within 1e-9)" in text


def test_nan_and_infinity_are_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "nan.toml", "cell_size_m = nan\n[budget]\ntotal_yuan = inf\n")
    text = "\n".join(problems(path))
    assert "cell_size_m: Input should be a finite number" in text
    assert "budget.total_yuan: Input should be a finite number" in text


def test_types_are_strict(tmp_path: Path) -> None:
    path = write(tmp_path, "strict.toml", 'days = "30"\n[linkage]\nonline_reporting = 1\n')
    text = "\n".join(problems(path))
    assert "days: Input should be a valid integer" in text
    assert "linkage.online_reporting: Input should be a valid boolean" in text


def test_group_shares_cannot_exceed_one(tmp_path: Path) -> None:
    path = write(tmp_path, "groups.toml", "[communities.a]\nshare_elderly = 0.7\nshare_children = 0.4\n")
    assert problems(path) == [f"{path}: communities.a: share_elderly + share_children exceed 1 (allowed: a sum of at most 1)"]


def test_extends_merges_tables_key_by_key(tmp_path: Path) -> None:
    write(tmp_path, "parent.toml", "name = 'p'\ndays = 100\n[linkage.discovery]\npatrol_share = 0.2\nvisit_interval_days = 30\n")
    child = write(tmp_path, "child.toml", "extends = 'parent.toml'\nname = 'c'\n[linkage.discovery]\npatrol_share = 0.5\n")
    scenario = load_scenario(child)
    assert (scenario.name, scenario.days) == ("c", 100)
    assert scenario.linkage.discovery.patrol_share == 0.5
    assert scenario.linkage.discovery.visit_interval_days == 30


def test_extends_chain_resolves_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    write(tmp_path, "root.toml", "days = 42\n")
    write(tmp_path, "sub/mid.toml", "extends = '../root.toml'\n")
    leaf = write(tmp_path, "sub/leaf.toml", "extends = 'mid.toml'\n")
    assert load_scenario(leaf).days == 42


def test_missing_parent_names_both_files(tmp_path: Path) -> None:
    child = write(tmp_path, "child.toml", "extends = 'nowhere.toml'\n")
    assert problems(child) == [f"{child}: extends: parent file {tmp_path / 'nowhere.toml'} does not exist"]


def test_cycle_is_an_error_naming_the_files(tmp_path: Path) -> None:
    a = write(tmp_path, "a.toml", "extends = 'b.toml'\n")
    write(tmp_path, "b.toml", "extends = 'a.toml'\n")
    [line] = problems(a)
    assert "extends: cycle" in line and "a.toml" in line and "b.toml" in line


def test_bad_toml_and_missing_file(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.toml", "days = \n")
    assert problems(bad)[0].startswith(f"{bad}: not valid TOML")
    assert problems(tmp_path / "none.toml") == [f"{tmp_path / 'none.toml'}: file not found"]


def test_overrides_are_validated_and_name_the_key() -> None:
    scenario = resolve(BASELINE, {"budget.total_yuan": 1e6, "linkage.online_reporting": True})
    assert scenario.budget.total_yuan == 1e6 and scenario.linkage.online_reporting
    with pytest.raises(ScenarioError) as caught:
        resolve(BASELINE, {"budget.totl_yuan": 5, "linkage.discovery.patrol_share": 2.0})
    text = "\n".join(caught.value.problems)
    assert "budget.totl_yuan: unknown key 'totl_yuan' (allowed: " in text
    with pytest.raises(ScenarioError) as caught:
        resolve(BASELINE, {"linkage.discovery.patrol_share": 2.0})
    assert "linkage.discovery.patrol_share: Input should be less than or equal to 1 (got 2.0)" in caught.value.problems[0]


def test_overrides_reach_named_communities() -> None:
    scenario = resolve(BASELINE, {"communities.baseline.residents": 777})
    assert scenario.communities["baseline"].residents == 777


def test_overrides_on_loaded_scenario_objects() -> None:
    scenario = resolve(resolve(BASELINE), {"days": 9})
    assert scenario.days == 9


def test_deep_merge_does_not_mutate_inputs() -> None:
    base = {"a": {"b": 1, "c": 2}}
    merged = deep_merge(base, {"a": {"b": 3}})
    assert merged == {"a": {"b": 3, "c": 2}} and base == {"a": {"b": 1, "c": 2}}


def test_overrides_cannot_create_communities_by_a_typo() -> None:
    with pytest.raises(ScenarioError) as caught:
        resolve(BASELINE, {"communities.basline.residents": 10})
    assert caught.value.problems == [
        f"{BASELINE} (override): communities.basline.residents: unknown community 'basline' "
        "(allowed: baseline; add communities in the scenario file)"]


def test_every_need_type_has_a_provider_when_routine_and_when_severe() -> None:
    scenario = resolve(BASELINE)
    from sim.needs import NEED_TYPES
    from sim.scenario import dead_ends

    assert all(not dead_ends(scenario, need_type) for need_type in NEED_TYPES)


def test_a_need_type_no_provider_can_serve_is_refused_with_one_line_naming_the_key() -> None:
    with pytest.raises(ScenarioError) as caught:
        resolve(BASELINE, {"needs.meals.severe_providers": [], "needs.health.providers": ["programme"]})
    assert len(caught.value.problems) == 2
    assert caught.value.problems[0].startswith(f"{BASELINE}: needs.meals.severe_providers: no provider can serve severe meals needs in baseline")
    assert caught.value.problems[1].startswith(f"{BASELINE}: needs.health.providers: no provider can serve health needs in baseline")


def test_site_bound_providers_count_only_where_their_site_exists() -> None:
    with pytest.raises(ScenarioError, match=r"needs\.meals\.providers: .* in baseline \(listed: programme"):
        resolve(BASELINE, {"needs.meals.providers": ["programme"], "communities.baseline.programmes": ["market"]})
    with pytest.raises(ScenarioError, match=r"needs\.health\.providers: .*listed: professional"):
        resolve(BASELINE, {"needs.health.providers": ["professional"], "organizations.service_orgs": 0})
    assert resolve(BASELINE, {"needs.meals.providers": ["programme"]}).needs.meals.providers == ["programme"]

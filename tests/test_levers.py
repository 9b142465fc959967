"""Each lever moves its outcome in the expected direction, in a controlled setting (same seed, paired)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from sim.loading import load_scenario, read_toml
from sim.needs import Provider, State
from sim.policies.funding import spread_weights
from sim.run import simulate
from sim.scenario import SpreadRule

from .conftest import run_model, small

SEEDS = (1, 2, 3)
# 120 yuan per resident a year for 1,500 residents (a demonstration community's rate, 25x Changsha's
# 4.80): mechanism tests that need paid hours to act on what a lever finds.
FUNDED = {"budget.total_yuan": 180_000.0}


def kpi(overrides: dict, key: str, seed: int, residents: int = 1500, days: int = 120) -> float:
    """One KPI of a small run."""
    return run_model(small(overrides, residents=residents, days=days), seed=seed).result().kpis[key]


def paired(base: dict, lever: dict, key: str, **size: int) -> list[tuple[float, float]]:
    """(baseline, lever) values of a KPI over the same seeds."""
    return [(kpi(base, key, s, **size), kpi({**base, **lever}, key, s, **size)) for s in SEEDS]


def test_more_patrols_find_more_hidden_needs() -> None:
    for off, on in paired({}, {"linkage.discovery.patrol_share": 0.5}, "hidden_discovered"):
        assert on > off


def test_representatives_cadence_finds_hidden_needs() -> None:
    lever = {"linkage.discovery.contact_interval_days": 7, "linkage.discovery.visit_interval_days": 30}
    for off, on in paired({}, lever, "hidden_discovered"):
        assert on > off


def test_social_worker_outreach_finds_hidden_needs() -> None:
    base = {"social_workers.outreach_share": 0.0, "social_workers.casework_share": 0.6, **FUNDED}
    for off, on in paired(base, {"social_workers.outreach_share": 0.4}, "hidden_discovered"):
        assert on > off


def test_discovery_is_monotone_in_patrol_effort() -> None:
    """Thresholds are drawn once: every need found with fewer patrols is found at least as early with more."""
    low = run_model(small({"linkage.discovery.patrol_share": 0.2}, days=60), seed=5)
    high = run_model(small({"linkage.discovery.patrol_share": 0.6}, days=60), seed=5)
    assert high.needs.view("discovery_hazard").sum() > low.needs.view("discovery_hazard").sum()


def test_online_reporting_shortens_waits_and_raises_coverage() -> None:
    for (off_wait, on_wait), (off_cov, on_cov) in zip(
        paired({}, {"linkage.online_reporting": True}, "mean_days_to_service"),
        paired({}, {"linkage.online_reporting": True}, "coverage"),
    ):
        assert on_wait < off_wait and on_cov > off_cov


def test_online_reporting_does_nothing_without_digital_residents() -> None:
    base = {"communities.baseline.digital_share_elderly": 0.0, "communities.baseline.digital_share_other": 0.0}
    for off, on in paired(base, {"linkage.online_reporting": True}, "coverage"):
        assert on == off


TWO = {"b": {"residents": 1500, "volunteers": 0, "area_km2": 1.0, "programmes": []}}


def _two_communities(scope: str) -> dict:
    """Community 'baseline' rich in volunteers, community 'b' (see ``TWO``) with neither volunteers nor programmes."""
    return {
        "communities.baseline.volunteers": 200, "linkage.matching_scope": scope,
        "linkage.online_reporting": True, "volunteers.recruit_rate_per_year": 0.0,
        "budget.split_hub_awards": 0.0, "budget.split_stations": 0.48,  # no recruitment in 'b'
        "budget.total_yuan": 100_000.0,  # few paid hours: volunteers are what 'b' lacks
    }


def _volunteer_met_in(model, community: int) -> int:
    needs = model.needs
    mask = (needs.view("community") == community) & (needs.view("state") == State.MET)
    return int(np.count_nonzero(mask & (needs.view("provider") == int(Provider.VOLUNTEER))))


def test_platform_moves_idle_volunteers_to_where_they_are_short() -> None:
    for seed in SEEDS:
        local = run_model(small(_two_communities("community"), communities=TWO), seed=seed)
        platform = run_model(small(_two_communities("platform"), communities=TWO), seed=seed)
        assert _volunteer_met_in(local, 1) == 0
        assert _volunteer_met_in(platform, 1) > 0
        assert platform.result().communities["b"]["coverage"] > local.result().communities["b"]["coverage"]


def test_platform_moves_only_what_can_travel() -> None:
    """Volunteers reach 'b' only within the platform radius; programme places never leave their site."""
    near = run_model(small({**_two_communities("platform"), "linkage.platform_radius_m": 150.0}, communities=TWO), seed=1)
    far = run_model(small({**_two_communities("platform"), "linkage.platform_radius_m": 5000.0}, communities=TWO), seed=1)
    assert _volunteer_met_in(near, 1) < _volunteer_met_in(far, 1)
    for model in (near, far):
        needs = model.needs
        in_b = (needs.view("community") == 1) & (needs.view("state") == State.MET)
        assert not np.any(in_b & (needs.view("provider") == int(Provider.PROGRAMME)))


def test_list_service_reaches_listed_households_and_hidden_needs() -> None:
    for (off_h, on_h), (off_d, on_d) in zip(
        paired(FUNDED, {"linkage.service_mode": "mixed"}, "coverage_hardship"),
        paired(FUNDED, {"linkage.service_mode": "mixed"}, "hidden_discovered"),
    ):
        assert on_h > off_h and on_d > off_d


def test_list_only_mode_gives_no_volunteer_hours_to_orders() -> None:
    model = run_model(small({"linkage.service_mode": "list"}, days=60), seed=1)
    assert model.volunteers.view("refill_per_week").max() == 0.0
    assert model.list_visits > 0


def test_list_visits_charge_the_hours_they_serve_and_pass_on_what_volunteers_may_not_serve() -> None:
    model = run_model(small({"linkage.service_mode": "list", "volunteers.skill_share": 0.5}, days=150), seed=2)
    pool, needs = model.volunteers, model.needs
    served = needs.view("given_volunteer") > 0
    assert np.count_nonzero(served) > 10
    # no bank in list mode: every volunteer hour is a visit or the hours of a need served on a visit
    assert pool.view("given").sum() == pytest.approx(model.list_visits * model.scenario.linkage.list_visit_hours + pool.view("served").sum())
    assert pool.view("served").sum() == pytest.approx(needs.view("given_volunteer").sum())
    assert not np.any(served & needs.view("severe"))
    volunteer_types = (model.need_params.providers[needs.view("type")] & int(Provider.VOLUNTEER)) > 0
    assert np.all(volunteer_types[served])
    met_by_volunteer = (needs.view("state") == State.MET) & (needs.view("provider") == int(Provider.VOLUNTEER))
    np.testing.assert_allclose(needs.view("given_volunteer")[met_by_volunteer], needs.view("hours")[met_by_volunteer], rtol=1e-6)


def test_points_keep_volunteers() -> None:
    base = {"communities.baseline.volunteers": 300}
    for off, on in paired(base, {"linkage.points_enabled": True}, "volunteer_retention", days=365):
        assert on > off


def test_overload_drives_volunteers_away() -> None:
    busy = {  # few volunteers, much reported daily-life need: volunteers are fully used
        "communities.baseline.volunteers": 40, "needs.daily_life.rate_working_per_year": 3.0,
        "linkage.online_reporting": True, "volunteers.overload_quit_multiplier": 1.0,
    }
    for calm, stressed in paired(busy, {"volunteers.overload_quit_multiplier": 6.0}, "volunteer_retention", days=365):
        assert stressed < calm


def test_fund_matching_raises_charity_and_matched_money() -> None:
    base = {"budget.split_fund_seed": 0.10, "budget.split_demonstration": 0.38}
    for off, on in paired(base, {"linkage.fund_matching_ratio": 1.0}, "charity_raised_yuan", days=365):
        assert on > off
    assert kpi({**base, "linkage.fund_matching_ratio": 1.0}, "charity_matched_yuan", 1, days=365) > 0


def test_deliberation_moves_places_to_unmet_needs() -> None:
    overrides = {
        "communities.baseline.programmes": ["canteen", "classes"], "linkage.deliberation": True,
        "needs.meals.rate_elderly_per_year": 3.0, "needs.child_care.rate_child_per_year": 0.0,
    }
    model = run_model(small(overrides, days=365), seed=1)
    canteen, classes = model.programmes
    assert canteen.weight > classes.weight
    assert canteen.places > classes.places


def test_more_budget_buys_more_professional_hours() -> None:
    for low, high in paired({}, {"budget.total_yuan": 1_200_000.0}, "social_worker_hours"):
        assert high > low


def test_split_towards_purchased_services_buys_organisation_hours() -> None:
    base = {"budget.split_stations": 0.44, "budget.split_purchased_services": 0.04}
    lever = {"budget.split_stations": 0.34, "budget.split_purchased_services": 0.14}
    for low, high in paired(base, lever, "organization_hours"):
        assert high > low


def test_budget_off_spends_nothing() -> None:
    assert kpi({"budget.total_yuan": 0.0}, "government_spent_yuan", 1) == 0.0


def test_spread_weights_by_rule() -> None:
    residents, need, coverage = np.array([1000, 3000]), np.array([600.0, 600.0]), np.array([0.9, 0.3])
    assert spread_weights(SpreadRule.EQUAL, residents, need, coverage).tolist() == [0.5, 0.5]
    assert spread_weights(SpreadRule.PER_CAPITA, residents, need, coverage).tolist() == [0.25, 0.75]
    assert spread_weights(SpreadRule.NEED_WEIGHTED, residents, need, coverage).tolist() == [0.5, 0.5]
    np.testing.assert_allclose(spread_weights(SpreadRule.PERFORMANCE, residents, need, coverage), [0.5, 0.5])


OLDER = {"b": {"residents": 1500, "share_elderly": 0.45, "share_children": 0.05}}


def _district(rule: str) -> dict:
    return {
        "communities.baseline.share_elderly": 0.05, "communities.baseline.share_children": 0.2,
        "budget.spread_rule": rule,
    }


@pytest.mark.parametrize("rule", ["equal", "per_capita"])
def test_equal_and_per_capita_split_equally_between_equal_communities(rule: str) -> None:
    spent = run_model(small(_district(rule), days=30, communities=OLDER), seed=1).funding.spent_yuan
    assert spent[0] == pytest.approx(spent[1])


def test_need_weighted_spreading_favours_the_older_community() -> None:
    spent = run_model(small(_district("need_weighted"), days=30, communities=OLDER), seed=1).funding.spent_yuan
    assert spent[1] > 1.2 * spent[0]


def test_performance_spreading_rewards_coverage() -> None:
    overrides = {**_district("performance"), "communities.baseline.volunteers": 300, "communities.b.volunteers": 0}
    model = run_model(small(overrides, days=200, communities=OLDER), seed=1)
    coverage = [c.last_coverage for c in model.committees]
    shares = model.funding.yuan_per_year["stations"]
    assert (coverage[0] > coverage[1]) == (shares[0] > shares[1])
    assert shares[0] != pytest.approx(shares[1])


def test_organised_volunteers_give_more_hours() -> None:
    """Social workers' supervision organises volunteers; organised volunteers give their whole pledge."""
    busy = {"needs.daily_life.rate_working_per_year": 3.0, "linkage.online_reporting": True,
            "budget.split_hub_awards": 0.0, "budget.split_stations": 0.48,
            "social_workers.casework_share": 0.8, "social_workers.outreach_share": 0.2}  # no supervision
    supervised = {"social_workers.casework_share": 0.4}  # 40% of social workers' hours supervise
    for alone, organised in paired(busy, supervised, "needs_met_by_volunteer"):
        assert organised > alone


def test_activation_is_full_when_unorganised_volunteers_give_everything() -> None:
    model = run_model(small({"volunteers.unorganised_activation": 1.0}, days=5), seed=1)
    from sim.policies.volunteering import activation

    assert np.all(activation(model.state, model.scenario) == 1.0)


# -- every file in scenarios/levers/ acts ----------------------------------------------------

LEVERS = Path(__file__).resolve().parents[1] / "scenarios" / "levers"
LEVER_DAYS = 120
DECISION = ("coverage", "coverage_hardship", "hidden_discovered", "volunteers_active", "volunteer_hours",
            "charity_raised_yuan", "government_spent_yuan", "social_worker_hours", "organization_hours",
            "mean_days_to_service")


@cache
def _kpis(path: Path) -> dict[str, float]:
    return simulate(load_scenario(path), days=LEVER_DAYS).kpis


def _parent(path: Path) -> Path:
    return (path.parent / read_toml(path)["extends"]).resolve()


@pytest.mark.parametrize("path", sorted(LEVERS.glob("*.toml")), ids=lambda p: p.stem)
def test_each_lever_file_changes_a_kpi_on_the_same_needs(path: Path) -> None:
    lever, base = _kpis(path), _kpis(_parent(path))
    assert lever["needs_arisen"] == base["needs_arisen"]  # common random numbers: the same needs arise
    moved = [k for k in DECISION if lever[k] != base[k]]
    assert moved, f"{path.name} changes none of {DECISION} against {_parent(path).name}"

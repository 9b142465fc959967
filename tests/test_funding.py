"""What each budget line buys: street social workers, opening days, pooled contracts, grantable seed money."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.records import OrgKind
from sim.needs import Programme, Provider, State
from sim.policies.programmes import full_year_yuan
from sim.scenario import Scenario

from .conftest import run_model, small

SCHEDULES = Scenario().schedules

STREET = {"b": {"residents": 1500, "volunteers": 0, "street": "one"}}


def _street(overrides: dict | None = None) -> dict:
    """Community 'baseline' (with the station) and 'b' in street 'one'; only paid workers serve."""
    return {"communities.baseline.street": "one", "communities.baseline.volunteers": 0,
            "volunteers.recruit_rate_per_year": 0.0, "budget.total_yuan": 400_000.0, **(overrides or {})}


def test_a_street_pays_its_social_workers_once_and_they_serve_every_community_of_it() -> None:
    model = run_model(small(_street(), days=90, communities=STREET), seed=1)
    sw, conv = model.social_workers, model.scenario.conversion
    stations = model.funding.yuan_per_year["stations"].sum()
    funded = sw.view("hours_per_week")[sw.view("active")].sum()
    assert funded == pytest.approx(stations / conv.yuan_per_social_worker_year * model.scenario.social_workers.hours_per_week)
    assert set(sw.view("community").tolist()) == {0}  # all based at the street's station
    needs = model.needs
    served_in_b = (needs.view("community") == 1) & (needs.view("provider") == int(Provider.SOCIAL_WORKER))
    assert np.count_nonzero(served_in_b & (needs.view("state") == State.MET)) > 0


def test_communities_without_a_street_keep_their_own_social_workers() -> None:
    own = {"b": {**STREET["b"], "street": ""}}
    model = run_model(small(_street({"communities.baseline.street": ""}), days=30, communities=own), seed=1)
    assert set(model.social_workers.view("area").tolist()) == {0, 1}


def test_outreach_and_supervision_are_shared_by_head_count_within_the_street() -> None:
    model = run_model(small(_street(), days=5, communities=STREET), seed=1)
    counts = model.population.counts
    np.testing.assert_allclose(model.outreach_hours_per_week / model.outreach_hours_per_week.sum(), counts / counts.sum())


def test_demonstration_money_opens_the_canteen_on_its_real_days() -> None:
    conv_day = 12.0
    full = sum(full_year_yuan(name, Scenario()) for name in (Programme.CANTEEN, Programme.MARKET))
    overrides = {"communities.baseline.programmes": ["canteen", "market"], "conversion.yuan_per_place_day": conv_day,
                 "organizations.sessions_per_week": 0.0, "budget.total_yuan": 2 * full / 0.46}
    model = run_model(small(overrides, days=28), seed=1)
    canteen = model.programmes[0]
    assert canteen.funded_share == 1.0
    open_days = [day for day in range(28) if canteen.places_on(day) > 0]
    assert len(open_days) == 4 * SCHEDULES.canteen.days_per_week
    # yuan beyond every week of every programme are not disbursed
    assert model.funding.yuan_per_year["demonstration"][0] == pytest.approx(full)


def test_half_the_money_opens_half_the_weeks_at_full_places() -> None:
    full = full_year_yuan(Programme.CANTEEN, Scenario())
    overrides = {"communities.baseline.programmes": ["canteen"], "organizations.sessions_per_week": 0.0,
                 "budget.total_yuan": 0.5 * full / 0.46}
    model = run_model(small(overrides, days=5), seed=1)
    canteen = model.programmes[0]
    days = [d for d in range(364) if canteen.funded_open(d)]
    assert len(days) == 26 * SCHEDULES.canteen.days_per_week
    assert canteen.places_on(days[0]) == SCHEDULES.canteen.places_per_day


def test_regular_attendance_is_counted_apart_from_needs_met() -> None:
    kpis = run_model(small(days=60), seed=1).result().kpis
    assert kpis["regular_attendance"] > 0
    assert kpis["person_times_served"] >= kpis["regular_attendance"] + kpis["needs_met_by_programme"]


def test_purchased_services_are_one_pooled_contract_per_community() -> None:
    model = run_model(small({"organizations.service_orgs": 4}, days=10, communities={"b": {"residents": 800}}), seed=1)
    slots = {o.professional_slot for o in model.organizations if o.kind == OrgKind.SERVICE}
    assert len(slots) == 2 == model.professionals.size


def test_bought_professional_hours_are_used_when_needs_wait() -> None:
    """A busy community uses most of its contract: hours are not lost to splitting or weekly caps."""
    busy = {"budget.split_stations": 0.0, "budget.split_purchased_services": 0.48, "budget.total_yuan": 60_000.0,
            "communities.baseline.volunteers": 0, "volunteers.recruit_rate_per_year": 0.0,
            "linkage.online_reporting": True}
    model = run_model(small(busy, days=182), seed=1)
    pool = model.professionals
    assert pool.view("given").sum() > 0.8 * pool.view("credited").sum()
    assert pool.view("credited").sum() > 0.8 * 60_000 * 0.48 / 80.0 / 2


def test_unmatched_seed_money_becomes_grantable_each_period() -> None:
    model = run_model(small({"linkage.fund_matching_ratio": 1.0, "giving.donors_per_1000_per_year": 0.0,
                             "giving.unit_gifts_per_year": 0.0}, days=100), seed=1)
    fund = model.funds[0]
    assert fund.seed_in_yuan > 0
    assert fund.match_reserve_yuan < fund.seed_in_yuan  # the first quarter's reserve was released

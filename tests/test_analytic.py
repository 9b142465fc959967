"""Tests with known answers (docking): settings in which the model's result follows in closed form,
and exact day-by-day traces of tiny hand-built states that pin the rule of service in parts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from sim.metrics import invariants
from sim.model import FiveSocietyModel
from sim.needs import NEED_TYPES, NeedType, Provider, State

from .conftest import run_model, small
from .tiny import ALL_TYPES, DAILY_LIFE, no_money, no_needs_but, nothing_hidden, steady_volunteers

def test_ample_capacity_and_nothing_hidden_give_coverage_near_one() -> None:
    ample = {
        **nothing_hidden(), **steady_volunteers(150), "volunteers.hours_per_week": 10.0,
        "budget.total_yuan": 2_000_000.0, "social_workers.base_workers": 5.0, "communities.baseline.area_km2": 0.25,
    }
    kpis = run_model(small(ample, residents=1500, days=120), seed=3).result().kpis
    assert kpis["needs_met"] > 100
    assert kpis["coverage"] >= 0.99
    assert kpis["coverage_hardship"] >= 0.99


def test_every_need_type_can_be_met_when_all_are_severe() -> None:
    """No dead ends: with ample paid hours and every need severe, every type is met (material hardship by the fund)."""
    severe = {**nothing_hidden(), **{f"needs.{t}.severe_share": 1.0 for t in ALL_TYPES},
              "budget.total_yuan": 2_000_000.0, "social_workers.base_workers": 5.0}
    model = run_model(small(severe, residents=1500, days=120), seed=8)
    needs = model.needs
    met = needs.view("state") == State.MET
    for index, need_type in enumerate(NEED_TYPES):
        assert np.count_nonzero(met & (needs.view("type") == index)) > 0, need_type
    assert model.result().kpis["coverage"] >= 0.99
    assert not np.any(met & np.isin(needs.view("provider"), [int(Provider.VOLUNTEER), int(Provider.PROGRAMME)]))


def test_no_resources_give_no_coverage() -> None:
    bare = {**nothing_hidden(), **no_money(), "communities.baseline.volunteers": 0, "volunteers.recruit_rate_per_year": 0.0}
    model = run_model(small(bare, residents=500, days=90), seed=4)
    kpis = model.result().kpis
    assert kpis["needs_unmet"] > 50
    assert kpis["needs_met"] == 0.0 and kpis["coverage"] == 0.0
    assert kpis["volunteer_hours"] == 0.0 and kpis["social_worker_hours"] == 0.0


@pytest.mark.parametrize("line", ["stations", "purchased_services"])
def test_funded_hours_are_available_hours_and_all_are_used(line: str) -> None:
    """Yuan a year -> hours a week -> hours a day: 52 weeks of refills credit the year's funded hours.

    Funded hours are few (2 professional hours a week over two organisations: a one-week bank of
    1 hour, below nearly every 3-hour health need), demand is ample: given in parts, every hour
    credited is given, less at most one day's refill still in hand.
    """
    yuan = {"stations": 80_000.0, "purchased_services": 8_320.0}[line]
    splits = {f"budget.split_{name}": float(name == line) for name in ("stations", "demonstration", "hub_awards", "purchased_services", "fund_seed")}
    demand = {"needs.health.rate_working_per_year": 1.0, "budget.total_yuan": yuan}
    model = run_model(small({**nothing_hidden(), **no_money(), **splits, **demand}, residents=1500, days=364), seed=5)
    conv, sw = model.scenario.conversion, model.scenario.social_workers
    per_week = {"stations": yuan / conv.yuan_per_social_worker_year * sw.hours_per_week * sw.casework_share,
                "purchased_services": yuan / conv.yuan_per_professional_hour / 52.0}[line]
    pool = {"stations": model.social_workers, "purchased_services": model.professionals}[line]
    assert pool.view("refill_per_week").sum() == pytest.approx(per_week)
    assert pool.view("credited").sum() == pytest.approx(per_week * 52.0)
    assert pool.view("given").sum() >= pool.view("credited").sum() - per_week / 7.0 - 1e-9
    assert np.all(pool.view("bank") <= pool.view("refill_per_week"))  # the one-week cap never bound a need


def test_doubling_the_binding_resource_about_doubles_needs_met() -> None:
    """Volunteers are the only provider and demand far exceeds their hours: needs met ~ volunteer hours / hours per need."""
    only_volunteers = {
        **nothing_hidden(), **no_money(), **no_needs_but(daily_life=6.0), "communities.baseline.programmes": [],
        "communities.baseline.area_km2": 0.25, "communities.baseline.share_elderly": 0.0, "communities.baseline.share_children": 0.0,
    }
    met = {}
    for count in (15, 30):
        model = run_model(small({**only_volunteers, **steady_volunteers(count)}, residents=800, days=180), seed=6)
        met[count] = model.result().kpis["needs_met"]
        pledged = count * model.scenario.volunteers.hours_per_week * 180 / 7.0
        assert model.volunteers.view("given").sum() == pytest.approx(pledged, rel=0.05)  # every pledged hour used
        assert model.result().kpis["needs_unmet"] > met[count]  # demand exceeds supply
    assert met[30] / met[15] == pytest.approx(2.0, rel=0.08)


def test_every_need_met_consumed_its_providers_hours() -> None:
    model = run_model(small({"linkage.service_mode": "mixed", "budget.total_yuan": 180_000.0}, residents=1500, days=120), seed=7)
    needs = model.needs
    met = needs.view("state") == State.MET
    given = needs.view("given_volunteer") + needs.view("given_social_worker") + needs.view("given_professional")
    by_hours = met & np.isin(needs.view("provider"), [int(Provider.VOLUNTEER), int(Provider.SOCIAL_WORKER), int(Provider.PROFESSIONAL)])
    assert np.count_nonzero(by_hours) > 100
    np.testing.assert_allclose(given[by_hours], needs.view("hours")[by_hours], rtol=1e-6)
    assert model.volunteers.view("served").sum() == pytest.approx(needs.view("given_volunteer").sum())
    assert model.social_workers.view("served").sum() == pytest.approx(needs.view("given_social_worker").sum())
    assert np.count_nonzero(met & (given > 0) & ~np.isclose(given, needs.view("hours"))) > 0  # some were served in parts
    assert all(invariants(model).values())


# -- exact traces ---------------------------------------------------------------------------------

def tiny(patience_days: int = 7, **extra: Any) -> FiveSocietyModel:
    """Five working-age residents, one volunteer giving 1 hour a day, nothing else (unless ``extra``); no need arises by itself."""
    overrides = {
        **no_money(), **no_needs_but(), **steady_volunteers(1), "volunteers.hours_per_week": 7.0,
        "communities.baseline.share_elderly": 0.0, "communities.baseline.share_children": 0.0,
        "communities.baseline.share_hardship": 0.0, "communities.baseline.share_disabled": 0.0,
        "communities.baseline.programmes": [], "needs.daily_life.patience_days": patience_days, **extra,
    }
    model = FiveSocietyModel(small(overrides, residents=5, days=10), seed=1)
    return model


def add_needs(model: FiveSocietyModel, hours: list[float], need_type: int = DAILY_LIFE) -> np.ndarray:
    """Needs (daily life unless said) of ``hours`` for the residents who are not the volunteer, known and waiting on day 0."""
    residents = np.setdiff1d(np.arange(5), model.volunteers.view("resident"))[: len(hours)]
    n = len(hours)
    return model.needs.append(
        resident=residents, community=np.zeros(n), type=np.full(n, need_type), hours=np.array(hours),
        hours_left=np.array(hours), arrival_day=np.zeros(n), patience_days=np.full(n, model.scenario.needs.daily_life.patience_days),
        state=np.full(n, State.WAITING), report_threshold=np.ones(n), discovery_threshold=np.ones(n),
    )


def trace(model: FiveSocietyModel, ids: np.ndarray, days: int) -> list[tuple]:
    """(day, each need's state and hours still lacking, the volunteer's banked hours) after every day."""
    log = []
    for day in range(days):
        model.step()
        needs = model.needs
        log.append((day, *[(State(int(needs.state[i])).name, float(needs.hours_left[i])) for i in ids], float(model.volunteers.bank[0])))
    return log


def test_trace_one_volunteer_serves_two_needs_in_parts_oldest_first() -> None:
    model = tiny()
    a, b = ids = add_needs(model, [3.0, 2.0])
    assert trace(model, ids, 6) == [
        (0, ("IN_SERVICE", 2.0), ("WAITING", 2.0), 0.0),
        (1, ("IN_SERVICE", 1.0), ("WAITING", 2.0), 0.0),
        (2, ("MET", 0.0), ("WAITING", 2.0), 0.0),
        (3, ("MET", 0.0), ("IN_SERVICE", 1.0), 0.0),
        (4, ("MET", 0.0), ("MET", 0.0), 0.0),
        (5, ("MET", 0.0), ("MET", 0.0), 1.0),
    ]
    needs = model.needs
    assert needs.match_day[ids].tolist() == [0, 3] and needs.close_day[ids].tolist() == [2, 4]
    assert needs.given_volunteer[ids].tolist() == [3.0, 2.0] and model.volunteers.given[0] == 5.0
    assert needs.provider[a] == needs.provider[b] == int(Provider.VOLUNTEER)
    assert model.tally.by_provider["volunteer"] == 2 and model.result().kpis["mean_days_to_service"] == 1.5


def test_trace_a_need_not_reached_before_its_patience_closes_unmet_and_its_hours_stay_banked() -> None:
    model = tiny(patience_days=2)
    ids = add_needs(model, [3.0, 2.0])
    assert trace(model, ids, 6) == [
        (0, ("IN_SERVICE", 2.0), ("WAITING", 2.0), 0.0),
        (1, ("IN_SERVICE", 1.0), ("WAITING", 2.0), 0.0),
        (2, ("MET", 0.0), ("UNMET", 2.0), 0.0),  # the need in delivery never expires; the waiting one does
        (3, ("MET", 0.0), ("UNMET", 2.0), 1.0),
        (4, ("MET", 0.0), ("UNMET", 2.0), 2.0),
        (5, ("MET", 0.0), ("UNMET", 2.0), 3.0),
    ]
    kpis = model.result().kpis
    assert (kpis["needs_met"], kpis["needs_unmet"], kpis["needs_pending"]) == (1.0, 1.0, 0.0)


def test_trace_a_need_larger_than_the_bank_cap_is_still_served() -> None:
    """A 40-hour need against a volunteer whose bank holds at most 28 hours (four weeks of 7)."""
    model = tiny(patience_days=100)
    model.volunteers.bank[0] = 28.0
    model.volunteers.credited[0] = 28.0
    [need] = add_needs(model, [40.0])
    log = trace(model, np.array([need]), 13)
    assert log[0] == (0, ("IN_SERVICE", 12.0), 0.0)  # the cap held the refill back: 28 given, 12 lacking
    assert log[11] == (11, ("IN_SERVICE", 1.0), 0.0)
    assert log[12] == (12, ("MET", 0.0), 0.0)
    assert model.volunteers.given[0] == pytest.approx(40.0) and all(invariants(model).values())


def test_trace_two_providers_share_one_need_and_the_last_hour_names_the_provider() -> None:
    """A 5-hour elderly-care need; the volunteer (1 h a day) comes before the social worker (1 h a day) on the route."""
    social_worker = {"social_workers.base_workers": 1.0, "social_workers.hours_per_week": 35.0,
                     "social_workers.casework_share": 0.2, "social_workers.outreach_share": 0.0}
    model = tiny(**social_worker)
    [need] = add_needs(model, [5.0], need_type=NEED_TYPES.index(NeedType.ELDERLY_CARE))
    log = []
    for day in range(4):
        model.step()
        log.append((day, State(int(model.needs.state[need])).name, float(model.needs.hours_left[need]),
                    float(model.volunteers.bank[0]), float(model.social_workers.bank[0])))
    assert log == [
        (0, "IN_SERVICE", 3.0, 0.0, 0.0),  # one hour from each
        (1, "IN_SERVICE", 1.0, 0.0, 0.0),
        (2, "MET", 0.0, 0.0, 1.0),  # the volunteer gives the last hour; care lasts 2 days from the first: met on day 2
        (3, "MET", 0.0, 1.0, 2.0),
    ]
    needs = model.needs
    assert (needs.given_volunteer[need], needs.given_social_worker[need]) == (3.0, 2.0)
    assert needs.provider[need] == int(Provider.VOLUNTEER) and needs.close_day[need] == 2

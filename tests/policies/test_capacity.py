"""Yuan into capacity, alone: what a period's allocation buys, exactly."""

from __future__ import annotations

import numpy as np
import pytest

from sim.policies import capacity, funding

from ..tiny import tiny_state


def test_station_hub_and_contract_yuan_become_the_hours_they_pay_for() -> None:
    state, scenario = tiny_state(**{"organizations.service_orgs": 1, "organizations.hub_orgs": 1})
    conv = scenario.conversion
    yuan = {"stations": np.array([2 * conv.yuan_per_social_worker_year]), "hub_awards": np.array([conv.yuan_per_hub_hour * 52 * 10]),
            "purchased_services": np.array([conv.yuan_per_professional_hour * 52 * 5]), "demonstration": np.zeros(1),
            "fund_seed": np.zeros(1)}
    purchase = capacity.convert(state, scenario, yuan)
    assert purchase.street_fte.tolist() == [2.0] and purchase.professional_hours_per_week.tolist() == [5.0]
    weekly = capacity.apply(state, scenario, purchase)
    sw = scenario.social_workers  # 40 hours a week: 60% case work, 20% outreach, the rest supervision
    assert weekly.outreach_hours_per_week.tolist() == [2 * 40.0 * 0.2]
    assert weekly.supervision_hours_per_week[0] == pytest.approx(2 * 40.0 * 0.2)
    assert weekly.hub_hours_per_week.tolist() == [10.0]
    assert state.social_workers.view("hours_per_week").tolist() == [40.0, 40.0]
    assert state.social_workers.view("refill_per_week").tolist() == [40.0 * sw.casework_share] * 2
    assert state.professionals.view("refill_per_week").tolist() == [5.0]
    assert [slot for slot, _ in state.changes.social_workers_added] == [0, 1]


def test_a_period_with_fewer_yuan_deactivates_workers_it_no_longer_pays() -> None:
    state, scenario = tiny_state()
    per_worker = scenario.conversion.yuan_per_social_worker_year
    zero = {line: np.zeros(1) for line in ("hub_awards", "purchased_services", "demonstration", "fund_seed")}
    capacity.apply(state, scenario, capacity.convert(state, scenario, {**zero, "stations": np.array([1.5 * per_worker])}))
    assert state.social_workers.view("hours_per_week").tolist() == [30.0, 30.0]
    capacity.apply(state, scenario, capacity.convert(state, scenario, {**zero, "stations": np.array([0.5 * per_worker])}))
    assert state.social_workers.view("hours_per_week").tolist() == [20.0, 0.0]
    assert state.social_workers.view("active").tolist() == [True, False]


def test_funding_pays_a_day_of_every_capacity_line() -> None:
    state, scenario = tiny_state(**{"budget.total_yuan": 36_500.0})
    funding.step(state, scenario, day=0)
    stations = state.funding.yuan_per_year["stations"][0]
    assert stations == pytest.approx(36_500.0 * scenario.budget.split_stations)
    paid = sum(state.funding.yuan_per_year[line][0] for line in funding.CAPACITY_LINES) / 365.0
    assert state.funding.capacity_spent_yuan[0] == pytest.approx(paid)

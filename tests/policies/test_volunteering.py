"""The volunteering phase alone: hours refill by how organised volunteers are; nobody quits at a zero rate."""

from __future__ import annotations

from sim.policies import volunteering

from ..tiny import tiny_state


def test_an_organised_volunteer_banks_a_seventh_of_its_pledge_a_day_up_to_four_weeks() -> None:
    state, scenario = tiny_state()
    log = []
    for day in range(3):
        volunteering.step(state, scenario, day)
        log.append(float(state.volunteers.bank[0]))
    assert log == [1.0, 2.0, 3.0] and state.volunteers.credited[0] == 3.0
    state.volunteers.bank[0] = 27.5
    volunteering.step(state, scenario, 3)
    assert state.volunteers.bank[0] == 28.0  # four weeks of 7 hours


def test_an_unorganised_volunteer_gives_its_unorganised_share() -> None:
    state, scenario = tiny_state(**{"volunteers.unorganised_activation": 0.5})
    volunteering.step(state, scenario, 0)
    assert state.volunteers.bank[0] == 0.5 and volunteering.organised_share(state, scenario).tolist() == [0.0]
    assert state.volunteers.active[0] and state.changes.volunteers_removed == []

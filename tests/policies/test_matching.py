"""The dispatch phase alone, on a hand-built tiny state: who is served, in which order, with how many hours left."""

from __future__ import annotations

import numpy as np

from sim.needs import IN_DELIVERY, NEED_TYPES, NeedType, Provider, State
from sim.policies import matching

from ..tiny import tiny_state, waiting_needs


def test_the_volunteer_gives_its_bank_to_the_oldest_need_first_and_goes_to_each_home() -> None:
    state, scenario = tiny_state()
    state.volunteers.bank[0] = 4.0
    a, b = ids = waiting_needs(state, scenario, [3.0, 2.0])
    matching.step(state, scenario, day=0)
    needs = state.needs
    assert needs.hours_left[ids].tolist() == [0.0, 1.0]
    assert [State(int(s)).name for s in needs.state[ids]] == ["IN_SERVICE", "IN_SERVICE"]
    assert needs.service_end_day[ids].tolist() == [0, IN_DELIVERY]  # daily life: no service days; b still lacks an hour
    assert needs.given_volunteer[ids].tolist() == [3.0, 1.0] and state.volunteers.bank[0] == 0.0
    assert needs.provider[a] == int(Provider.VOLUNTEER) and needs.provider[b] == 0  # the last hour names the provider
    assert state.changes.volunteer_moves == [(0, int(needs.resident[a])), (0, int(needs.resident[b]))]


def test_a_newer_need_waits_while_an_older_one_takes_the_whole_bank() -> None:
    state, scenario = tiny_state()
    state.volunteers.bank[0] = 1.0
    older = waiting_needs(state, scenario, [2.0], arrival_day=0)
    newer = waiting_needs(state, scenario, [1.0], arrival_day=1)
    matching.step(state, scenario, day=1)
    assert state.needs.hours_left[[older[0], newer[0]]].tolist() == [1.0, 1.0]
    assert state.needs.state[newer[0]] == State.WAITING


def test_a_need_no_provider_may_serve_keeps_waiting_and_the_bank_is_untouched() -> None:
    state, scenario = tiny_state()
    state.volunteers.bank[0] = 4.0
    [need] = waiting_needs(state, scenario, [2.0], need_type=NEED_TYPES.index(NeedType.MEDIATION))  # social workers, professionals
    matching.step(state, scenario, day=0)
    assert state.needs.state[need] == State.WAITING and state.volunteers.bank[0] == 4.0
    assert state.changes.volunteer_moves == [] and np.all(state.needs.view("given_volunteer") == 0.0)

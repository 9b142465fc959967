"""The life-cycle phase alone, on a hand-built tiny state: when services complete and when patience runs out."""

from __future__ import annotations

import numpy as np

from sim import lifecycle
from sim.needs import NEED_TYPES, NeedType, Provider, State

from .tiny import tiny_state, waiting_needs


def test_a_waiting_need_closes_unmet_on_the_day_its_wait_reaches_its_patience() -> None:
    state, scenario = tiny_state(patience_days=2)
    [need] = waiting_needs(state, scenario, [1.0])
    log = []
    for day in range(4):
        lifecycle.step(state, scenario, day)
        log.append((day, State(int(state.needs.state[need])).name))
    assert log == [(0, "WAITING"), (1, "WAITING"), (2, "UNMET"), (3, "UNMET")]
    assert state.needs.close_day[need] == 2 and state.tally.unmet["all"] == 1 and state.needs.open_ids.size == 0
    assert state.committees[0].period_unmet == 1
    assert state.population.satisfaction[state.needs.resident[need]] == np.float32(0.5 - lifecycle.SATISFACTION_LOSS)


def test_a_need_given_all_its_hours_completes_after_its_service_days() -> None:
    state, scenario = tiny_state()
    care = NEED_TYPES.index(NeedType.ELDERLY_CARE)  # two service days
    [need] = waiting_needs(state, scenario, [8.0], need_type=care)
    done = lifecycle.deliver(state, np.array([need]), np.array([8.0]), Provider.VOLUNTEER, day=3)
    assert done.tolist() == [True] and state.needs.service_end_day[need] == 5
    log = []
    for day in (3, 4, 5):
        lifecycle.step(state, scenario, day)
        log.append((day, State(int(state.needs.state[need])).name))
    assert log == [(3, "IN_SERVICE"), (4, "IN_SERVICE"), (5, "MET")]
    assert state.tally.met["all"] == 1 and state.tally.by_provider["volunteer"] == 1
    assert state.tally.days_to_service_sum == 3 and state.tally.served_started == 1


def test_a_need_in_delivery_never_expires() -> None:
    state, scenario = tiny_state(patience_days=1)
    [need] = waiting_needs(state, scenario, [3.0])
    lifecycle.deliver(state, np.array([need]), np.array([1.0]), Provider.VOLUNTEER, day=0)
    for day in range(5):
        lifecycle.step(state, scenario, day)
    assert state.needs.state[need] == State.IN_SERVICE and state.needs.hours_left[need] == 2.0

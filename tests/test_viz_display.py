"""What the map shows: the worst state of each resident's needs, and recent unmet closures."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from sim.needs import NeedTable, State
from sim.viz.display import Display, need_ranks, resident_states, state_counts


def test_need_ranks_order_open_states_before_recent_unmet() -> None:
    state = np.array([State.UNREPORTED, State.WAITING, State.IN_SERVICE, State.MET, State.UNMET, State.UNMET])
    close_day = np.array([-1, -1, -1, 40, 41, 5])
    assert need_ranks(state, close_day, today=50, recent_days=30).tolist() == [
        Display.HIDDEN, Display.WAITING, Display.IN_SERVICE, Display.NONE, Display.UNMET, Display.NONE]


def test_each_resident_shows_its_worst_need() -> None:
    needs = NeedTable()
    needs.append(resident=np.array([0, 0, 1, 2, 2, 3]),
                 state=np.array([State.IN_SERVICE, State.UNREPORTED, State.MET, State.UNMET, State.WAITING, State.UNMET]),
                 close_day=np.array([-1, -1, 8, 9, 0, 9]))
    model = SimpleNamespace(needs=needs, population=SimpleNamespace(size=5), steps=10)
    states = resident_states(model)
    assert states.tolist() == [Display.HIDDEN, Display.NONE, Display.WAITING, Display.UNMET, Display.NONE]
    assert state_counts(states) == {Display.NONE: 2, Display.UNMET: 1, Display.IN_SERVICE: 0,
                                    Display.WAITING: 1, Display.HIDDEN: 1}

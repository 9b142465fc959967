"""What the map shows for each resident: the worst state of its needs today, vectorised."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

import numpy as np

from sim.needs import State

if TYPE_CHECKING:
    from sim.model import FiveSocietyModel

UNMET_RECENT_DAYS = 30


class Display(IntEnum):
    """A resident's display state; a higher value is worse and wins."""

    NONE = 0
    UNMET = 1        # a need closed unmet in the last UNMET_RECENT_DAYS days, none open
    IN_SERVICE = 2
    WAITING = 3
    HIDDEN = 4       # an open need nobody who can help knows about yet (UNREPORTED)


# need state -> display rank of an open need
_OPEN_RANK = {State.UNREPORTED: Display.HIDDEN, State.WAITING: Display.WAITING, State.IN_SERVICE: Display.IN_SERVICE}

# key of each display state in sim.viz.strings, and its colour
DISPLAY_KEYS = {
    Display.NONE: "state_none", Display.HIDDEN: "state_hidden", Display.WAITING: "state_waiting",
    Display.IN_SERVICE: "state_in_service", Display.UNMET: "state_unmet",
}
DISPLAY_COLOURS = {
    Display.NONE: "#cfcfcf", Display.HIDDEN: "#7b3294", Display.WAITING: "#f28e2b",
    Display.IN_SERVICE: "#2b83ba", Display.UNMET: "#d7191c",
}
LEGEND_ORDER = (Display.NONE, Display.HIDDEN, Display.WAITING, Display.IN_SERVICE, Display.UNMET)


def need_ranks(state: np.ndarray, close_day: np.ndarray, today: int, recent_days: int = UNMET_RECENT_DAYS) -> np.ndarray:
    """Display rank of each need: open states by severity, recent unmet closures, else NONE."""
    rank = np.full(state.shape, Display.NONE, dtype=np.int8)
    for need_state, display in _OPEN_RANK.items():
        rank[state == need_state] = display
    recent_unmet = (state == State.UNMET) & (close_day > today - recent_days)
    rank[recent_unmet] = Display.UNMET
    return rank


def resident_states(model: FiveSocietyModel, recent_days: int = UNMET_RECENT_DAYS) -> np.ndarray:
    """Display state of every resident (``Display`` values, one per resident) after the last step."""
    needs = model.needs
    size = needs.size
    state, resident, close_day = needs.state[:size], needs.resident[:size], needs.close_day[:size]
    today = model.steps - 1
    result = np.zeros(model.population.size, dtype=np.int8)
    np.maximum.at(result, resident, need_ranks(state, close_day, today, recent_days))
    return result


def state_counts(states: np.ndarray) -> dict[Display, int]:
    """How many residents are in each display state."""
    counts = np.bincount(states, minlength=len(Display))
    return {display: int(counts[display]) for display in Display}

"""Deliberation lever (议言为定): residents' meetings move programme places to where needs go unmet.

On each meeting day (the representatives' meeting cadence, quarterly when unset) a community
with two or more programmes moves ``deliberation_share`` of the places of the programme under
the least pressure (unmet and waiting needs of its types per place) to the one under the most.

Phase ``step(state, scenario, day)``; reads ``linkage.deliberation``, ``linkage.deliberation_share``
and ``linkage.discovery.meeting_interval_days``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.needs import State
from sim.policies.capacity import refresh_places

if TYPE_CHECKING:
    from sim.core.state import DistrictState
    from sim.scenario import Scenario

DEFAULT_MEETING_INTERVAL_DAYS = 90


def step(state: DistrictState, scenario: Scenario, day: int) -> None:
    """Hold meetings that fall today and re-target places."""
    link = scenario.linkage
    interval = link.discovery.meeting_interval_days or DEFAULT_MEETING_INTERVAL_DAYS
    if not link.deliberation or (day + 1) % interval:
        return
    pressure = _pressure_by_community_type(state, day - interval + 1)
    for committee in state.committees:
        committee.meetings_held += 1
        state.effort.activities_held += 1
        runs = [r for r in state.programmes if r.community == committee.community]
        if len(runs) < 2:
            continue
        per_place = [pressure[committee.community, list(r.need_types)].sum() / max(r.places, 1.0) for r in runs]
        low, high = runs[int(np.argmin(per_place))], runs[int(np.argmax(per_place))]
        if low is not high:
            moved = low.weight * link.deliberation_share
            low.weight -= moved
            high.weight += moved
    refresh_places(state)


def _pressure_by_community_type(state: DistrictState, since_day: int) -> np.ndarray:
    """Needs closed unmet since ``since_day`` plus needs waiting now, by community and type."""
    needs = state.needs
    kind = needs.view("state")
    recent_unmet = (kind == State.UNMET) & (needs.view("close_day") >= since_day)
    mask = recent_unmet | (kind == State.WAITING)
    pressure = np.zeros((state.communities, len(state.need_params.patience_days)))
    np.add.at(pressure, (needs.view("community")[mask], needs.view("type")[mask]), 1)
    return pressure

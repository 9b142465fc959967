"""Service-mode lever: list-based scheduled visits to listed households.

Under ``list`` (all volunteer hours) or ``mixed`` (``list_share`` of them) volunteers visit the
households on the list (hardship, disabled, and a share of the elderly) every
``list_interval_days``. Hours kept for visits (times the volunteers' activation, as for all
volunteer time) are not available for on-demand orders. Each visit takes ``list_visit_hours``;
it makes every open need of the household known. The community's visit hours left after the
visits serve, on the spot, the household's needs a volunteer may serve (routine ones of a type
volunteers take, by volunteers with the skill): each such need takes its own hours from those
volunteers, in parts if they have fewer left today, and the dispatcher finds the rest. Severe
needs and needs volunteers do not serve are passed on to the dispatcher.

Phase ``step(state, scenario, day)``; reads ``linkage.service_mode``, ``linkage.list_share``,
``linkage.list_interval_days``, ``linkage.list_visit_hours`` (and, through the volunteers'
activation, ``volunteers.unorganised_activation`` and the supervision rates).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.lifecycle import deliver, in_delivery
from sim.needs import DONE_HOURS, Provider, State
from sim.policies.volunteering import activation, list_reserve_share

if TYPE_CHECKING:
    from sim.core.state import DistrictState
    from sim.scenario import Scenario


def step(state: DistrictState, scenario: Scenario, day: int) -> None:
    """Make today's scheduled visits within the hours kept for them, and serve what they find."""
    reserve = list_reserve_share(scenario)
    if reserve <= 0.0:
        return
    link = scenario.linkage
    due = state.listed_ids[state.listed_ids % link.list_interval_days == day % link.list_interval_days]
    pool = state.volunteers
    active = np.flatnonzero(pool.view("active"))
    hours_today = pool.hours_per_week[active] * reserve / 7.0 * activation(state, scenario)[active]
    slots, slot_bounds = _by_community(active, pool.community[active], state.communities)
    hours_today = hours_today[np.searchsorted(active, slots)]
    due, due_bounds = _by_community(due, state.population.community[due], state.communities)
    visits = []
    for c in np.flatnonzero(np.diff(slot_bounds) * np.diff(due_bounds)).tolist():  # communities with volunteers and visits due
        mine, hours = slots[slot_bounds[c]:slot_bounds[c + 1]], hours_today[slot_bounds[c]:slot_bounds[c + 1]]
        count = min(due_bounds[c + 1] - due_bounds[c], int(hours.sum() // link.list_visit_hours))
        if count:
            visit_hours = hours / hours.sum() * count * link.list_visit_hours
            pool.give_unbanked(mine, visit_hours, served=False)
            state.effort.list_visits += count
            visits.append((c, due[due_bounds[c]:due_bounds[c] + count], mine, hours - visit_hours))
    _serve_visits(state, visits, day)


def _by_community(items: np.ndarray, community: np.ndarray, communities: int) -> tuple[np.ndarray, list[int]]:
    """``items`` grouped by community (in their order within each), and each community's bounds."""
    grouped = items[np.argsort(community, kind="stable")]
    return grouped, np.searchsorted(np.sort(community, kind="stable"), np.arange(communities + 1)).tolist()


def _serve_visits(state: DistrictState, visits: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]], day: int) -> None:
    """Each community's visited households (found with one look-up over the open needs) served by its volunteers."""
    if not visits:
        return
    needs = state.needs
    open_ids = needs.open_ids
    found = open_ids[np.isin(needs.resident[open_ids], np.concatenate([visited for _, visited, _, _ in visits]))]
    found, bounds = _by_community(found, needs.community[found], state.communities)
    for c, _, slots, hours in visits:  # communities share no need and no volunteer
        _serve_visited(state, found[bounds[c]:bounds[c + 1]], slots, hours, day)


def _serve_visited(state: DistrictState, mine: np.ndarray, slots: np.ndarray, hours: np.ndarray, day: int) -> None:
    """Visited households' open needs ``mine`` become known; volunteers serve those they may with the ``hours`` they have left."""
    needs = state.needs
    unreported = mine[needs.state[mine] == State.UNREPORTED]
    needs.state[unreported] = State.WAITING
    needs.discovered[unreported] = True
    lacking = mine[(needs.state[mine] == State.WAITING) | in_delivery(state, mine)]
    volunteer_can = (state.need_params.providers[needs.type[lacking]] & int(Provider.VOLUNTEER)) > 0
    for need in lacking[volunteer_can & ~needs.severe[lacking]].tolist():
        skilled = (state.volunteers.skills[slots] & (1 << int(needs.type[need]))) > 0
        available = float(hours[skilled].sum())
        if available <= DONE_HOURS:
            continue
        give = min(available, float(needs.hours_left[need]))
        share = hours[skilled] * (give / available)
        hours[skilled] -= share
        state.volunteers.give_unbanked(slots[skilled], share, served=True)
        deliver(state, np.array([need]), np.array([give]), Provider.VOLUNTEER, day)

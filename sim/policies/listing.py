"""Service-mode lever: list-based scheduled visits to listed households.

Under ``list`` (all volunteer hours) or ``mixed`` (``list_share`` of them) volunteers visit the
households on the list (hardship, disabled, and a share of the elderly) every
``list_interval_days``. A visit makes every open need of the household known and serves those a
volunteer can serve on the spot; severe needs are passed on to professionals. Hours kept for
visits (times the volunteers' activation, as for all volunteer time) are not available for
on-demand orders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.lifecycle import start_service
from sim.needs import Provider, State
from sim.policies.volunteering import activation, list_reserve_share

if TYPE_CHECKING:
    from sim.model import FiveSocietyModel


def step(model: FiveSocietyModel, day: int) -> None:
    """Make today's scheduled visits within the hours kept for them."""
    reserve = list_reserve_share(model)
    if reserve <= 0.0:
        return
    link = model.scenario.linkage
    due = model.listed_ids[model.listed_ids % link.list_interval_days == day % link.list_interval_days]
    pool = model.volunteers
    active = np.flatnonzero(pool.view("active"))
    volunteer_hours_per_day = pool.hours_per_week[active] * reserve / 7.0 * activation(model)[active]
    budget = np.bincount(pool.community[active], weights=volunteer_hours_per_day, minlength=len(model.committees))
    visit_hours = link.list_visit_hours
    visited = []
    for c in range(len(model.committees)):
        here = due[model.population.community[due] == c]
        count = min(here.size, int(budget[c] // visit_hours))
        visited.append(here[:count])
        _credit(model, active[pool.community[active] == c], count * visit_hours)
    visited_ids = np.concatenate(visited) if visited else np.zeros(0, dtype=np.int64)
    model.list_visits += visited_ids.size
    if visited_ids.size:
        _serve_visited(model, visited_ids, day)


def _credit(model: FiveSocietyModel, slots: np.ndarray, hours: float) -> None:
    """Visit hours given by a community's volunteers, in proportion to their pledges."""
    if slots.size == 0 or hours <= 0:
        return
    pool = model.volunteers
    share = pool.hours_per_week[slots] / pool.hours_per_week[slots].sum() * hours
    pool.credited[slots] += share
    pool.given[slots] += share
    pool.given_today[slots] += share


def _serve_visited(model: FiveSocietyModel, visited: np.ndarray, day: int) -> None:
    needs = model.needs
    open_ids = needs.open_ids
    mine = open_ids[np.isin(needs.resident[open_ids], visited)]
    state = needs.state[mine]
    unreported = mine[state == State.UNREPORTED]
    needs.state[unreported] = State.WAITING
    needs.discovered[unreported] = True
    waiting = mine[(state == State.UNREPORTED) | (state == State.WAITING)]
    providers = model.need_params.providers[needs.type[waiting]]
    volunteer_can = (providers & int(Provider.VOLUNTEER)) > 0
    on_the_spot = waiting[volunteer_can & ~needs.severe[waiting]]
    start_service(model, on_the_spot, Provider.VOLUNTEER, day)


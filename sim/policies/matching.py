"""Matching lever: the committee (or the district platform) dispatches providers to waiting needs.

Each day the needs still lacking hours, of every type, are put in one priority order (needs already
in delivery, then listed households, then the oldest) and routed, severe needs before routine
ones, through the providers their type lists: each provider in turn takes the needs left in that
order, so a provider shared by several types serves them by priority, not by type. Routine route:
a programme session today, the nearest volunteers with the skill (scipy k-d tree), the community
fund (material hardship), purchased professional hours, social workers' case-work hours. Severe
route: social workers, professionals, then any other kind the type lists for severe needs (the
fund for material hardship). Providers give the
hours they have banked, in parts: a need larger than one provider's bank takes hours from several
providers, and over several days, until its hours are given (``sim.lifecycle.deliver``).

With community scope a need is matched only inside its own community, volunteers within walking
distance (``volunteers.local_radius_m``). The district platform matches across communities, but
only what can travel: volunteers', social workers' and professionals' hours within
``linkage.platform_radius_m`` of the need's home; programme places (site-bound) and fund money
(a community's) stay with their community.

Phase ``step(state, scenario, day)``; reads ``linkage.matching_scope``, ``linkage.platform_radius_m``,
``volunteers.local_radius_m`` and ``organizations.regular_occupancy``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.spatial import cKDTree

from sim.lifecycle import deliver, in_delivery, start_service
from sim.needs import DONE_HOURS, Provider, State
from sim.policies.capacity import area_of
from sim.scenario import MatchingScope

if TYPE_CHECKING:
    from sim.core.pools import HoursPool
    from sim.core.state import DistrictState
    from sim.scenario import Scenario

ROUTE = (Provider.PROGRAMME, Provider.VOLUNTEER, Provider.FUND, Provider.PROFESSIONAL, Provider.SOCIAL_WORKER)
SEVERE_ROUTE = (Provider.SOCIAL_WORKER, Provider.PROFESSIONAL, Provider.FUND, Provider.PROGRAMME, Provider.VOLUNTEER)
NEAREST_VOLUNTEERS = 16


def step(state: DistrictState, scenario: Scenario, day: int) -> None:
    """Match today's waiting needs and continue those in delivery."""
    Dispatcher(state, scenario).step(day)


class Dispatcher:
    """Routes needs that still lack hours to providers on one day (its k-d trees are cached in ``state.matching``)."""

    def __init__(self, state: DistrictState, scenario: Scenario) -> None:
        self.state = state
        self.scenario = scenario
        link = scenario.linkage
        self.platform = link.matching_scope == MatchingScope.PLATFORM
        self.radius_m = link.platform_radius_m if self.platform else scenario.volunteers.local_radius_m

    def step(self, day: int) -> None:
        """Match today's waiting needs and continue those in delivery."""
        needs = self.state.needs
        open_ids = needs.open_ids
        going = in_delivery(self.state, open_ids)
        ids = open_ids[(needs.state[open_ids] == State.WAITING) | going]
        if ids.size == 0:
            return
        going = in_delivery(self.state, ids)
        ids = ids[np.lexsort((ids, needs.arrival_day[ids], ~needs.listed[ids], ~going))]
        severe = needs.severe[ids]
        params = self.state.need_params
        self._route(ids[severe], SEVERE_ROUTE, params.severe_providers, day)
        self._route(ids[~severe], ROUTE, params.providers, day)

    def _route(self, queue: np.ndarray, route: tuple[Provider, ...], allowed_by_type: np.ndarray, day: int) -> None:
        """Offer the needs ``queue`` (in priority order) to each provider of ``route`` their type allows."""
        allowed = allowed_by_type[self.state.needs.type[queue]]
        for provider in route:
            may = (allowed & int(provider)) > 0
            if not may.any():
                continue
            still = ~may
            still[may] = self._handlers[provider](self, queue[may], day)
            queue, allowed = queue[still], allowed[still]

    def _programme(self, queue: np.ndarray, day: int) -> np.ndarray:
        """Free places of today's sessions, for needs of their types in the session's own community (places do not travel).

        Like every handler, takes needs in priority order and returns the mask of those still lacking hours.
        """
        needs = self.state.needs
        community, types = needs.community[queue], needs.type[queue]
        taken = np.zeros(queue.size, dtype=bool)
        for run in self.state.sessions_today:
            left = run.need_places(self.scenario.organizations.regular_occupancy) - run.served_today
            if left <= 0:
                continue
            chosen = np.flatnonzero(~taken & (community == run.community) & np.isin(types, run.need_types))[:left]
            taken[chosen] = True
            run.served_today += chosen.size
            start_service(self.state, queue[chosen], Provider.PROGRAMME, day)
        return ~taken

    def _volunteer(self, queue: np.ndarray, day: int) -> np.ndarray:
        """The nearest skilled volunteers within reach give their banked hours, nearest first."""
        pool = self.state.volunteers
        if pool.size == 0 or pool.view("bank").max() <= DONE_HOURS:
            return np.ones(queue.size, dtype=bool)
        needs = self.state.needs
        resident = needs.resident[queue]
        left, community = needs.hours_left[queue].tolist(), needs.community[queue].tolist()
        pool_community, bank = pool.community, pool.bank
        given, reached = np.zeros(queue.size), np.zeros(queue.size, dtype=bool)
        moves = self.state.changes.volunteer_moves
        for i, row in enumerate(self._nearest(queue).tolist()):
            for slot in row:
                if slot < 0:
                    break
                if (self.platform or pool_community[slot] == community[i]) and bank[slot] > DONE_HOURS:
                    hours = min(float(bank[slot]), left[i] - given[i])
                    pool.spend(slot, hours)
                    given[i] += hours
                    reached[i] = True
                    moves.append((slot, int(resident[i])))
                    if left[i] - given[i] <= DONE_HOURS:
                        break
        return self._delivered(queue, given, reached, Provider.VOLUNTEER, day)

    def _nearest(self, queue: np.ndarray) -> np.ndarray:
        """Per need, the slots of the nearest active volunteers with its skill within reach, nearest first (-1 pads)."""
        needs, population = self.state.needs, self.state.population
        types = needs.type[queue]
        rows = np.full((queue.size, NEAREST_VOLUNTEERS), -1, dtype=np.int64)
        for need_type in np.unique(types).tolist():
            tree, slots = self._tree(need_type)
            if slots.size == 0:
                continue
            mine = np.flatnonzero(types == need_type)
            resident = needs.resident[queue[mine]]
            points = np.column_stack([population.x_m[resident], population.y_m[resident]])
            k = min(NEAREST_VOLUNTEERS, slots.size)
            _, nearest = tree.query(points, k=k, distance_upper_bound=self.radius_m)
            nearest = nearest.reshape(mine.size, k)
            rows[mine, :k] = np.where(nearest < slots.size, slots[np.minimum(nearest, slots.size - 1)], -1)
        return rows

    def _tree(self, need_type: int) -> tuple[cKDTree, np.ndarray]:
        cache = self.state.matching
        if cache.roster_version != self.state.roster_version:
            cache.trees.clear()
            cache.roster_version = self.state.roster_version
        if need_type not in cache.trees:
            pool = self.state.volunteers
            slots = np.flatnonzero(pool.view("active") & (pool.view("skills") & (1 << need_type) > 0))
            points = np.column_stack([pool.x_m[slots], pool.y_m[slots]]) if slots.size else np.zeros((1, 2))
            cache.trees[need_type] = (cKDTree(points), slots)
        return cache.trees[need_type]

    def _hours(self, pool: HoursPool, provider: Provider, queue: np.ndarray, day: int) -> np.ndarray:
        """Paid providers within reach give their banked hours, the fullest bank first."""
        active = np.flatnonzero(pool.view("active") & (pool.view("bank") > DONE_HOURS))
        if active.size == 0:
            return np.ones(queue.size, dtype=bool)
        needs = self.state.needs
        left, resident = needs.hours_left[queue].tolist(), needs.resident[queue]
        area = area_of(self.state, pool, needs.community[queue]).tolist()
        by_area = {a: active[pool.area[active] == a] for a in set(area)}
        given, reached = np.zeros(queue.size), np.zeros(queue.size, dtype=bool)
        for i in range(queue.size):
            slots = self._reachable(pool, active, int(resident[i])) if self.platform else by_area[area[i]]
            slots = slots[pool.bank[slots] > DONE_HOURS]
            if slots.size == 0:
                if not self.platform:
                    by_area[area[i]] = slots  # drained today: later needs of the area skip it
                continue
            for slot in slots[np.argsort(-pool.bank[slots], kind="stable")].tolist():
                hours = min(float(pool.bank[slot]), left[i] - given[i])
                pool.spend(slot, hours)
                given[i] += hours
                reached[i] = True
                if left[i] - given[i] <= DONE_HOURS:
                    break
        return self._delivered(queue, given, reached, provider, day)

    def _reachable(self, pool: HoursPool, slots: np.ndarray, resident: int) -> np.ndarray:
        """Providers ``slots`` based within the platform radius of a resident's home."""
        population = self.state.population
        dx, dy = pool.x_m[slots] - population.x_m[resident], pool.y_m[slots] - population.y_m[resident]
        return slots[dx * dx + dy * dy <= self.radius_m ** 2]

    def _social_worker(self, queue: np.ndarray, day: int) -> np.ndarray:
        return self._hours(self.state.social_workers, Provider.SOCIAL_WORKER, queue, day)

    def _professional(self, queue: np.ndarray, day: int) -> np.ndarray:
        return self._hours(self.state.professionals, Provider.PROFESSIONAL, queue, day)

    def _fund(self, queue: np.ndarray, day: int) -> np.ndarray:
        needs = self.state.needs
        served = [i for i, (c, yuan) in enumerate(zip(needs.community[queue].tolist(), needs.yuan[queue].tolist()))
                  if self.state.funds[c].grant(yuan)]
        lacking = np.ones(queue.size, dtype=bool)
        lacking[served] = False
        start_service(self.state, queue[served], Provider.FUND, day)
        return lacking

    def _delivered(self, queue: np.ndarray, given: np.ndarray, reached: np.ndarray, provider: Provider, day: int) -> np.ndarray:
        """Book the hours given to each need a provider ``reached``; returns the mask of needs that still lack hours."""
        done = np.zeros(queue.size, dtype=bool)
        if reached.any():
            done[reached] = deliver(self.state, queue[reached], given[reached], provider, day)
        return ~done

    _handlers = {
        Provider.PROGRAMME: _programme,
        Provider.VOLUNTEER: _volunteer,
        Provider.FUND: _fund,
        Provider.PROFESSIONAL: _professional,
        Provider.SOCIAL_WORKER: _social_worker,
    }

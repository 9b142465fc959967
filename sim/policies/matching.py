"""Matching lever: the committee (or the district platform) dispatches providers to waiting needs.

Each day waiting needs are taken in priority order (severe first, then listed households, then
the oldest) and routed type by type through the providers that can serve them: a programme
session today, the nearest volunteer with the skill and banked hours (scipy k-d tree), the
community fund (material hardship), purchased professional hours, social workers' case-work
hours. Severe needs go to professionals only. With community scope a need is matched only inside
its own community and to volunteers within walking distance; the platform matches across the
district at any distance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.spatial import cKDTree

from sim.lifecycle import start_service
from sim.needs import SEVERE_PROVIDERS, Provider, State
from sim.scenario import MatchingScope

if TYPE_CHECKING:
    from sim.agents.pools import HoursPool
    from sim.model import FiveSocietyModel

ROUTE = (Provider.PROGRAMME, Provider.VOLUNTEER, Provider.FUND, Provider.PROFESSIONAL, Provider.SOCIAL_WORKER)
SEVERE_ROUTE = (Provider.SOCIAL_WORKER, Provider.PROFESSIONAL)
NEAREST_VOLUNTEERS = 16


class Dispatcher:
    """Routes waiting needs to providers each day."""

    def __init__(self, model: FiveSocietyModel) -> None:
        self.model = model
        self.platform = model.scenario.linkage.matching_scope == MatchingScope.PLATFORM
        self.radius_m = np.inf if self.platform else model.scenario.volunteers.local_radius_m
        self._trees: dict[int, tuple[cKDTree, np.ndarray]] = {}
        self._roster_version = -1

    def step(self, day: int) -> None:
        """Match today's waiting needs."""
        needs = self.model.needs
        ids = needs.open_ids[needs.state[needs.open_ids] == State.WAITING]
        if ids.size == 0:
            return
        ids = ids[np.lexsort((ids, needs.arrival_day[ids], ~needs.listed[ids], ~needs.severe[ids]))]
        types = needs.type[ids]
        providers = self.model.need_params.providers
        for need_type in np.unique(types):
            queue = ids[types == need_type]
            severe = needs.severe[queue]
            self._route(queue[~severe], int(need_type), ROUTE, int(providers[need_type]), day)
            self._route(queue[severe], int(need_type), SEVERE_ROUTE, int(providers[need_type]) & int(SEVERE_PROVIDERS), day)

    def _route(self, queue: np.ndarray, need_type: int, route: tuple[Provider, ...], allowed: int, day: int) -> None:
        for provider in route:
            if queue.size == 0:
                return
            if allowed & int(provider):
                queue = self._handlers[provider](self, queue, need_type, day)

    def _programme(self, queue: np.ndarray, need_type: int, day: int) -> np.ndarray:
        community = self.model.needs.community[queue]
        taken = np.zeros(queue.size, dtype=bool)
        for run in self.model.sessions_today:
            left = run.need_places(self.model.scenario.organizations.regular_occupancy) - run.served_today
            if need_type not in run.need_types or left <= 0:
                continue
            eligible = ~taken if self.platform else ~taken & (community == run.community)
            chosen = np.flatnonzero(eligible)[:left]
            taken[chosen] = True
            run.served_today += chosen.size
            start_service(self.model, queue[chosen], Provider.PROGRAMME, day)
        return queue[~taken]

    def _volunteer(self, queue: np.ndarray, need_type: int, day: int) -> np.ndarray:
        tree, slots = self._tree(need_type)
        pool = self.model.volunteers
        if slots.size == 0 or pool.bank[slots].max() <= 0.0:
            return queue
        needs = self.model.needs
        resident = needs.resident[queue]
        points = np.column_stack([self.model.population.x_m[resident], self.model.population.y_m[resident]])
        _, nearest = tree.query(points, k=min(NEAREST_VOLUNTEERS, slots.size), distance_upper_bound=self.radius_m)
        nearest = nearest.reshape(queue.size, -1)
        hours, community = needs.hours[queue].tolist(), needs.community[queue].tolist()
        pool_community = pool.community
        served = []
        for i, row in enumerate(nearest.tolist()):
            for j in row:
                if j >= slots.size:
                    break
                slot = int(slots[j])
                if (self.platform or pool_community[slot] == community[i]) and pool.bank[slot] >= hours[i]:
                    pool.spend(slot, hours[i])
                    self.model.move_volunteer(slot, int(resident[i]))
                    served.append(i)
                    break
        return self._finish(queue, served, Provider.VOLUNTEER, day)

    def _tree(self, need_type: int) -> tuple[cKDTree, np.ndarray]:
        if self._roster_version != self.model.roster_version:
            self._trees.clear()
            self._roster_version = self.model.roster_version
        if need_type not in self._trees:
            pool = self.model.volunteers
            slots = np.flatnonzero(pool.view("active") & (pool.view("skills") & (1 << need_type) > 0))
            points = np.column_stack([pool.x_m[slots], pool.y_m[slots]]) if slots.size else np.zeros((1, 2))
            self._trees[need_type] = (cKDTree(points), slots)
        return self._trees[need_type]

    def _hours(self, pool: HoursPool, provider: Provider, queue: np.ndarray, day: int) -> np.ndarray:
        active = np.flatnonzero(pool.view("active"))
        if active.size == 0:
            return queue
        needs = self.model.needs
        hours = needs.hours[queue].tolist()
        area = self.model.area_of(pool, needs.community[queue]).tolist()
        by_area = {a: active[pool.area[active] == a] for a in set(area)}
        served = []
        for i in range(queue.size):
            slots = active if self.platform else by_area[area[i]]
            if slots.size == 0:
                continue
            best = int(slots[np.argmax(pool.bank[slots])])
            if pool.bank[best] >= hours[i]:
                pool.spend(best, hours[i])
                served.append(i)
        return self._finish(queue, served, provider, day)

    def _social_worker(self, queue: np.ndarray, need_type: int, day: int) -> np.ndarray:
        return self._hours(self.model.social_workers, Provider.SOCIAL_WORKER, queue, day)

    def _professional(self, queue: np.ndarray, need_type: int, day: int) -> np.ndarray:
        return self._hours(self.model.professionals, Provider.PROFESSIONAL, queue, day)

    def _fund(self, queue: np.ndarray, need_type: int, day: int) -> np.ndarray:
        needs = self.model.needs
        served = [i for i, (c, yuan) in enumerate(zip(needs.community[queue].tolist(), needs.yuan[queue].tolist()))
                  if self.model.funds[c].grant(yuan)]
        return self._finish(queue, served, Provider.FUND, day)

    def _finish(self, queue: np.ndarray, served: list[int], provider: Provider, day: int) -> np.ndarray:
        if not served:
            return queue
        start_service(self.model, queue[served], provider, day)
        keep = np.ones(queue.size, dtype=bool)
        keep[served] = False
        return queue[keep]

    _handlers = {
        Provider.PROGRAMME: _programme,
        Provider.VOLUNTEER: _volunteer,
        Provider.FUND: _fund,
        Provider.PROFESSIONAL: _professional,
        Provider.SOCIAL_WORKER: _social_worker,
    }

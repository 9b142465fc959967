"""Matching lever: the committee (or the district platform) dispatches providers to waiting needs.

Each day the needs still lacking hours, of every type, are put in one priority order (needs already
in delivery, then listed households, then the oldest) and routed, severe needs before routine
ones, through the providers their type lists: each provider in turn takes the needs left in that
order, so a provider shared by several types serves them by priority, not by type. Routine route:
a programme session today, the nearest volunteers with the skill (``sim.core.nearby``), the community
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

from sim.core.nearby import VolunteerIndex
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
AROUND = np.array([dx * (1 << 20) + dy for dx in (-1, 0, 1) for dy in (-1, 0, 1)])  # a square's 3 x 3 neighbourhood


def step(state: DistrictState, scenario: Scenario, day: int) -> None:
    """Match today's waiting needs and continue those in delivery."""
    Dispatcher(state, scenario).step(day)


class Dispatcher:
    """Routes needs that still lack hours to providers on one day (its volunteer index is kept in ``state.matching``)."""

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
        community, type_bit = needs.community[queue], np.left_shift(1, needs.type[queue].astype(np.int64))
        by_community = np.argsort(community, kind="stable")  # queue positions, each community's in priority order
        bounds = np.searchsorted(community[by_community], np.arange(self.state.communities + 1)).tolist()
        taken, chosen = np.zeros(queue.size, dtype=bool), []
        for run in self.state.sessions_today:
            left = run.need_places(self.scenario.organizations.regular_occupancy) - run.served_today
            if left <= 0:
                continue
            mine = by_community[bounds[run.community]:bounds[run.community + 1]]
            mine = mine[~taken[mine] & (type_bit[mine] & sum(1 << t for t in run.need_types) > 0)][:left]
            taken[mine] = True
            run.served_today += mine.size
            chosen.append(mine)
        if chosen:
            start_service(self.state, queue[np.concatenate(chosen)], Provider.PROGRAMME, day)
        return ~taken

    def _volunteer(self, queue: np.ndarray, day: int) -> np.ndarray:
        """The nearest skilled volunteers within reach give their banked hours, nearest first."""
        pool = self.state.volunteers
        if pool.size == 0 or pool.view("bank").max() <= DONE_HOURS:
            return np.ones(queue.size, dtype=bool)
        needs = self.state.needs
        rows = self._nearest(queue)
        rows = np.where(pool.bank[np.maximum(rows, 0)] > DONE_HOURS, rows, -1)  # banks only fall today
        live = np.flatnonzero((rows >= 0).any(axis=1))
        given, reached = np.zeros(queue.size), np.zeros(queue.size, dtype=bool)
        rows, left, resident = rows[live], needs.hours_left[queue[live]], needs.resident[queue[live]]
        if self.platform:
            given[live], reached[live] = self._spend_nearest(pool, rows, left, resident)
        else:
            given[live], reached[live] = self._spend_by_rounds(pool, rows, left, resident, needs.community[queue[live]])
        return self._delivered(queue, given, reached, Provider.VOLUNTEER, day)

    def _spend_nearest(self, pool: HoursPool, rows: np.ndarray, left: np.ndarray,
                       resident: np.ndarray) -> tuple[list[float], list[bool]]:
        """Each need in turn takes hours from its candidate slots ``rows`` (nearest first, -1 pads); returns hours per need
        and whether any volunteer gave.

        Python floats in the order ``HoursPool.spend`` would add them, written back once.
        """
        slots = np.unique(rows[rows >= 0])
        bank = dict(zip(slots.tolist(), pool.bank[slots].tolist()))
        spent: list[tuple[int, float]] = []
        moves = self.state.changes.volunteer_moves
        given_by_need, reached = [], []
        for candidates, need_left, home in zip(rows.tolist(), left.tolist(), resident.tolist()):
            given, gave = 0.0, False
            for slot in candidates:
                hours_in_bank = bank.get(slot, 0.0)  # -1 (no candidate) is not in the bank
                if hours_in_bank > DONE_HOURS:
                    hours = min(hours_in_bank, need_left - given)
                    bank[slot] = hours_in_bank - hours
                    spent.append((slot, hours))
                    given += hours
                    gave = True
                    moves.append((slot, home))
                    if need_left - given <= DONE_HOURS:
                        break
            given_by_need.append(given)
            reached.append(gave)
        pool.spend_many(spent, bank)
        return given_by_need, reached

    def _spend_by_rounds(self, pool: HoursPool, rows: np.ndarray, left: np.ndarray, resident: np.ndarray,
                         community: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``_spend_nearest`` when every need's candidates are of its own community (community scope).

        Needs of different communities share no volunteer, so each round serves the first need left
        of every community at once; within a community the needs still go in priority order. Banks
        only fall: a need whose candidates are all drained is dropped (it would get nothing).
        """
        waiting = np.argsort(community, kind="stable")  # positions by community, in priority order
        given, reached = np.zeros(community.size), np.zeros(community.size, dtype=bool)
        taken: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        while waiting.size:
            first = np.r_[True, community[waiting][1:] != community[waiting][:-1]]
            now, candidates = waiting[first], rows[waiting[first]]
            hours, given[now], used = take_in_order(pool.bank[np.maximum(candidates, 0)], candidates >= 0, left[now])
            reached[now] = used.any(axis=1)
            position, j = np.nonzero(used)
            taken.append((now[position], j, candidates[used], hours[used]))
            pool.bank[candidates[used]] -= hours[used]
            waiting = waiting[~first]
            candidates = rows[waiting]
            waiting = waiting[((candidates >= 0) & (pool.bank[np.maximum(candidates, 0)] > DONE_HOURS)).any(axis=1)]
        need, j, slots, hours = (np.concatenate(column) for column in zip(*taken)) if taken else (np.zeros(0, dtype=np.int64),) * 4
        for column in (pool.given, pool.given_today, pool.served):
            np.add.at(column, slots, hours)  # in round order: each slot's sum in the order of its needs
        self._record_moves(np.column_stack([need, j, slots]), resident)
        return given, reached

    def _record_moves(self, taken: np.ndarray, resident: np.ndarray) -> None:
        """The view's volunteer moves (slot, resident served), in need order then nearest first."""
        taken = taken[np.lexsort((taken[:, 1], taken[:, 0]))]
        self.state.changes.volunteer_moves.extend(zip(taken[:, 2].tolist(), resident[taken[:, 0]].tolist()))

    def _nearest(self, queue: np.ndarray) -> np.ndarray:
        """Per need, the slots of the nearest active volunteers with its skill within reach, nearest first (-1 pads).

        Within reach: squared distance at most the radius squared and, with community scope, of the
        need's own community. Nearest first by (squared distance, slot): volunteers live at cell
        centres, so equal distances are common and the lower slot (the earlier recruit) goes first.
        """
        needs, population = self.state.needs, self.state.population
        resident = needs.resident[queue]
        x_m, y_m = population.x_m[resident], population.y_m[resident]
        index = self._index()
        zone = index.zones(needs.community[queue], x_m, y_m)
        return index.nearest(self.state.volunteers, zone, needs.type[queue].astype(np.int64), x_m, y_m, NEAREST_VOLUNTEERS)

    def _index(self) -> VolunteerIndex:
        """The volunteer index, brought up to today's roster (built on the first dispatch of a run)."""
        cache = self.state.matching
        if cache.index is None:
            cache.index = VolunteerIndex(self.radius_m, by_community=not self.platform)
        if cache.roster_version != self.state.roster_version:
            cache.index.update(self.state.volunteers)
            cache.roster_version = self.state.roster_version
        return cache.index

    def _hours(self, pool: HoursPool, provider: Provider, queue: np.ndarray, day: int) -> np.ndarray:
        """Paid providers within reach give their banked hours, the fullest bank first."""
        active = np.flatnonzero(pool.view("active") & (pool.view("bank") > DONE_HOURS))
        if active.size == 0:
            return np.ones(queue.size, dtype=bool)
        needs = self.state.needs
        bank = dict(zip(active.tolist(), pool.bank[active].tolist()))
        left, spent = needs.hours_left[queue].tolist(), list[tuple[int, float]]()
        given, reached = np.zeros(queue.size), np.zeros(queue.size, dtype=bool)
        if self.platform:
            for i, reachable in enumerate(self._reachable(pool, active, needs.resident[queue])):
                slots = [slot for slot in reachable if bank[slot] > DONE_HOURS]
                reached[i] = bool(slots)  # every live slot gives
                given[i] = _fullest_first(bank, slots, left[i], spent)
        else:
            for positions, slots in _by_area(area_of(self.state, pool, needs.community[queue]), pool.area[active], active):
                _serve_area(bank, slots, positions, left, spent, given, reached)
        pool.spend_many(spent, bank)
        return self._delivered(queue, given, reached, provider, day)

    def _reachable(self, pool: HoursPool, slots: np.ndarray, homes: np.ndarray) -> list[list[int]]:
        """Per home, the providers ``slots`` (ascending) based within the platform radius of it.

        Providers are looked up in the 3 x 3 squares, one radius wide, around each home, not all scanned per need.
        """
        population = self.state.population
        side = self.radius_m * (1.0 + 1e-6)
        square = _squares(pool.x_m[slots], pool.y_m[slots], side)
        by_square = np.argsort(square, kind="stable")  # slots ascending within a square
        around = (_squares(population.x_m[homes], population.y_m[homes], side)[:, None] + AROUND).ravel()
        lo = np.searchsorted(square[by_square], around, side="left")
        hi = np.searchsorted(square[by_square], around, side="right")
        home = np.repeat(np.arange(homes.size).repeat(AROUND.size), hi - lo)
        position = np.repeat(lo - np.cumsum(hi - lo) + (hi - lo), hi - lo) + np.arange(int((hi - lo).sum()))
        slot = slots[by_square[position]]
        dx, dy = pool.x_m[slot] - population.x_m[homes[home]], pool.y_m[slot] - population.y_m[homes[home]]
        near = dx * dx + dy * dy <= self.radius_m ** 2
        home, slot = home[near], slot[near]
        order = np.lexsort((slot, home))
        return [part.tolist() for part in np.split(slot[order], np.cumsum(np.bincount(home, minlength=homes.size))[:-1])]

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


def take_in_order(bank: np.ndarray, candidate: np.ndarray, left: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hours each need (row) takes from its candidates' ``bank`` (nearest first), its total, and which candidates gave.

    The rule of one need served slot after slot: a candidate with more than ``DONE_HOURS`` banked
    gives ``min(bank, left - given)``; the need stops once ``left - given <= DONE_HOURS``. Running
    totals are sequential sums (``cumsum``), so the result is that of the loop, bit for bit (after
    a partial take ``given + (left - given)`` is within an ulp of ``left``: the need stops there).
    """
    live = candidate & (bank > DONE_HOURS)
    full = np.cumsum(np.where(live, bank, 0.0), axis=1)
    before = np.hstack([np.zeros((bank.shape[0], 1)), full[:, :-1]])
    rest = left[:, None] - before
    take = np.where(bank >= rest, rest, bank)
    stop = live & ((bank >= rest) | (left[:, None] - full <= DONE_HOURS))
    first = np.where(stop.any(axis=1), stop.argmax(axis=1), bank.shape[1])
    used = live & (np.arange(bank.shape[1]) <= first[:, None])
    hours = np.where(used, take, 0.0)
    last = np.minimum(first, bank.shape[1] - 1)[:, None]
    rows = np.arange(bank.shape[0])
    given = np.where(first < bank.shape[1], before[rows, last[:, 0]] + take[rows, last[:, 0]], full[:, -1])
    return hours, given, used


def _fullest_first(bank: dict[int, float], slots: list[int], left: float, spent: list[tuple[int, float]]) -> float:
    """One need takes hours from ``slots``, the fullest bank first (ties in slot order); returns the hours given."""
    given = 0.0
    for slot in sorted(slots, key=lambda s: -bank[s]):
        hours = min(bank[slot], left - given)
        bank[slot] -= hours
        spent.append((slot, hours))
        given += hours
        if left - given <= DONE_HOURS:
            break
    return given


def _by_area(need_area: np.ndarray, provider_area: np.ndarray, slots: np.ndarray) -> list[tuple[list[int], list[int]]]:
    """For each area with needs: the needs' positions (in priority order) and the providers' slots (ascending)."""
    order, by_provider = np.argsort(need_area, kind="stable"), np.argsort(provider_area, kind="stable")
    areas, first = np.unique(need_area[order], return_index=True)
    stops = np.r_[first[1:], order.size]
    lo = np.searchsorted(provider_area[by_provider], areas, side="left")
    hi = np.searchsorted(provider_area[by_provider], areas, side="right")
    return [(order[a:b].tolist(), slots[by_provider[c:d]].tolist()) for a, b, c, d in zip(first, stops, lo, hi)]


def _serve_area(bank: dict[int, float], slots: list[int], positions: list[int], left: list[float],
                spent: list[tuple[int, float]], given: np.ndarray, reached: np.ndarray) -> None:
    """An area's needs in priority order take its providers' hours until the providers are drained.

    Areas share no provider (community scope), so each is served on its own; its later needs get nothing.
    """
    for i in positions:
        slots = [slot for slot in slots if bank[slot] > DONE_HOURS]
        if not slots:
            return
        reached[i] = True
        given[i] = _fullest_first(bank, slots, left[i], spent)


def _squares(x_m: np.ndarray, y_m: np.ndarray, side_m: float) -> np.ndarray:
    """The grid square of each place (squares ``side_m`` wide), as one key."""
    return (np.floor(x_m / side_m).astype(np.int64) + 1) * (1 << 20) + np.floor(y_m / side_m).astype(np.int64) + 1

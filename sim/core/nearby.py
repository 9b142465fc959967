"""The dispatcher's index of active volunteers by zone and skill, updated as volunteers join and quit.

A zone is the volunteer's community (community scope: a need is matched inside its own
community) or a square of the district grid one reach wide (platform scope: a need within reach
lies in the 3 x 3 squares around it). Each active volunteer has one entry per skill, a sorted
``int64`` key ``(zone * SKILLS + skill) << 32 | slot``: recruits are inserted and leavers
deleted, so a day costs what changed, never a rebuild of the whole city's index.

``nearest`` gives each need the ``k`` nearest entries of its zone(s) and skill within reach,
ordered by (squared distance, slot): the rule of ``sim.policies.matching``.
"""

from __future__ import annotations

import numpy as np

from sim.core.pools import VolunteerPool

NEIGHBOURS = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]


class VolunteerIndex:
    """Sorted keys of (zone, skill, slot) of every active volunteer."""

    # the key's layout, not model constants:
    SKILLS = 8           # skill bits a key leaves room for (the need types)
    SLOT_BITS = 32
    GRID_SIDE = 1 << 14  # squares per side of the platform grid a key leaves room for

    def __init__(self, reach_m: float, by_community: bool) -> None:
        self.reach_m = reach_m
        self.by_community = by_community
        self.square_m = reach_m * (1.0 + 1e-6)  # a need within reach is at most one square away
        self.keys = np.zeros(0, dtype=np.int64)
        self.seen = 0  # pool slots indexed so far: slots only ever grow

    def zones(self, community: np.ndarray, x_m: np.ndarray, y_m: np.ndarray) -> np.ndarray:
        """The zone of each place: its community, or its grid square."""
        if self.by_community:
            return community.astype(np.int64)
        return self._square(x_m) * self.GRID_SIDE + self._square(y_m)

    def _square(self, metres: np.ndarray) -> np.ndarray:
        return np.floor(metres / self.square_m).astype(np.int64) + 1  # +1: the squares around the first stay >= 0

    def update(self, pool: VolunteerPool) -> None:
        """Delete volunteers who quit, insert those recruited since the last update."""
        slots = self.keys & ((1 << self.SLOT_BITS) - 1)
        self.keys = self.keys[pool.active[slots]]
        fresh = np.arange(self.seen, pool.size)
        fresh = fresh[pool.active[fresh]]
        self.seen = pool.size
        if fresh.size == 0:
            return
        if pool.skills[fresh].max() >= 1 << self.SKILLS:
            raise ValueError(f"the volunteer index keeps at most {self.SKILLS} skills")
        zone = self.zones(pool.community[fresh], pool.x_m[fresh], pool.y_m[fresh])
        skill = np.arange(self.SKILLS)
        has = (pool.skills[fresh][:, None] >> skill) & 1 > 0
        row, bit = np.nonzero(has)
        new = np.sort(((zone[row] * self.SKILLS + bit) << self.SLOT_BITS) | fresh[row])
        self.keys = np.insert(self.keys, np.searchsorted(self.keys, new), new)

    def nearest(self, pool: VolunteerPool, zone: np.ndarray, skill: np.ndarray, x_m: np.ndarray, y_m: np.ndarray,
                k: int) -> np.ndarray:
        """Per need (zone, skill, place), the ``k`` nearest volunteer slots within reach, nearest first (-1 pads)."""
        need, slot = self._candidates(zone, skill)
        dx, dy = pool.x_m[slot] - x_m[need], pool.y_m[slot] - y_m[need]
        squared = dx * dx + dy * dy
        near = squared <= self.reach_m * self.reach_m
        need, slot, squared = need[near], slot[near], squared[near]
        per_need = np.bincount(need, minlength=zone.size)
        column = np.arange(need.size) - np.repeat(np.cumsum(per_need) - per_need, per_need)
        shape = (zone.size, max(int(per_need.max(initial=0)), k))  # one row of candidates within reach per need, padded
        distance, slots = np.full(shape, np.inf), np.full(shape, np.iinfo(np.int64).max)
        distance[need, column], slots[need, column] = squared, slot
        if self.by_community:  # one zone: a row's slots are ascending, so a stable sort by distance breaks ties by slot
            order = np.argsort(distance, axis=1, kind="stable")[:, :k]
        else:
            distance, slots = _closest_columns(distance, slots, k)
            order = np.lexsort((slots, distance), axis=-1)[:, :k]
        found = np.isfinite(np.take_along_axis(distance, order, axis=1))
        return np.where(found, np.take_along_axis(slots, order, axis=1), -1)

    def _candidates(self, zone: np.ndarray, skill: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(need, slot) of every indexed volunteer in a need's zone (or the squares around it) with its skill, by need."""
        if self.by_community:
            zones, need = zone, np.arange(zone.size)
        else:
            shift = np.array([dx * self.GRID_SIDE + dy for dx, dy in NEIGHBOURS])
            zones = (zone[:, None] + shift).ravel()
            need = np.repeat(np.arange(zone.size), len(NEIGHBOURS))
        group = (zones * self.SKILLS + np.repeat(skill, zones.size // max(zone.size, 1))) << self.SLOT_BITS
        lo = np.searchsorted(self.keys, group)
        hi = np.searchsorted(self.keys, group + (1 << self.SLOT_BITS))
        count = hi - lo
        pair_need = np.repeat(need, count)
        start = np.repeat(lo - np.cumsum(count) + count, count)
        position = start + np.arange(int(count.sum()))
        return pair_need, self.keys[position] & ((1 << self.SLOT_BITS) - 1)


def _closest_columns(distance: np.ndarray, slots: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows narrowed to the entries no farther than each row's k-th smallest distance (all of the k nearest, ties kept)."""
    if distance.shape[1] <= 4 * k:
        return distance, slots
    kth = np.partition(distance, k - 1, axis=1)[:, k - 1 : k]
    keep = (distance <= kth) & np.isfinite(distance)  # padding is never kept
    row, column = np.nonzero(keep)
    column = np.cumsum(keep, axis=1)[row, column] - 1
    shape = (distance.shape[0], max(int(column.max(initial=-1)) + 1, k))
    narrow_distance, narrow_slots = np.full(shape, np.inf), np.full(shape, np.iinfo(np.int64).max)
    narrow_distance[row, column], narrow_slots[row, column] = distance[keep], slots[keep]
    return narrow_distance, narrow_slots

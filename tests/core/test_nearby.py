"""The volunteer index and the array forms of the dispatcher's loops, against the plain rules they replace."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.nearby import VolunteerIndex
from sim.core.pools import VolunteerPool
from sim.needs import DONE_HOURS
from sim.policies.discovery import top
from sim.policies.matching import take_in_order


def _pool(rng: np.random.Generator, size: int, communities: int) -> VolunteerPool:
    """Volunteers at the centres of 50 m cells (so equal distances are common), with random skills."""
    pool = VolunteerPool()
    pool.add(size, community=rng.integers(0, communities, size), x_m=(rng.integers(0, 30, size) + 0.5) * 50.0,
             y_m=(rng.integers(0, 30, size) + 0.5) * 50.0, skills=rng.integers(0, 256, size))
    return pool


def _brute_force(pool: VolunteerPool, community: np.ndarray, skill: np.ndarray, x_m: np.ndarray, y_m: np.ndarray,
                 reach_m: float, by_community: bool, k: int) -> np.ndarray:
    """The rule: the k nearest active volunteers with the skill within reach (and of the community), by (squared distance, slot)."""
    rows = np.full((community.size, k), -1, dtype=np.int64)
    for i in range(community.size):
        slots = np.flatnonzero(pool.view("active") & ((pool.view("skills") >> skill[i]) & 1 > 0))
        if by_community:
            slots = slots[pool.community[slots] == community[i]]
        dx, dy = pool.x_m[slots] - x_m[i], pool.y_m[slots] - y_m[i]
        squared = dx * dx + dy * dy
        slots, squared = slots[squared <= reach_m * reach_m], squared[squared <= reach_m * reach_m]
        chosen = slots[np.lexsort((slots, squared))][:k]
        rows[i, : chosen.size] = chosen
    return rows


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), by_community=st.booleans(), reach_m=st.sampled_from([60.0, 300.0, 2000.0]))
def test_the_index_finds_what_brute_force_finds_as_volunteers_join_and_quit(seed: int, by_community: bool, reach_m: float) -> None:
    rng = np.random.default_rng(seed)
    pool, index = _pool(rng, 60, 3), VolunteerIndex(reach_m, by_community)
    for _ in range(3):
        index.update(pool)
        n = 25
        community, skill = rng.integers(0, 3, n), rng.integers(0, 8, n)
        x_m, y_m = (rng.integers(0, 30, n) + 0.5) * 50.0, (rng.integers(0, 30, n) + 0.5) * 50.0
        found = index.nearest(pool, index.zones(community, x_m, y_m), skill, x_m, y_m, 5)
        assert found.tolist() == _brute_force(pool, community, skill, x_m, y_m, reach_m, by_community, 5).tolist()
        pool.active[rng.choice(pool.size, 10, replace=False)] = False  # some quit, more join
        joined = _pool(rng, 15, 3)
        pool.add(15, community=joined.view("community"), x_m=joined.view("x_m"), y_m=joined.view("y_m"), skills=joined.view("skills"))


def _loop(bank: np.ndarray, candidate: np.ndarray, left: np.ndarray) -> tuple[np.ndarray, list[float], np.ndarray]:
    """The rule, one need after another: each live candidate gives min(bank, left - given) until the need has its hours."""
    hours, totals, used = np.zeros(bank.shape), [], np.zeros(bank.shape, dtype=bool)
    for i in range(bank.shape[0]):
        given = 0.0
        for j in range(bank.shape[1]):
            if candidate[i, j] and bank[i, j] > DONE_HOURS:
                hours[i, j] = min(float(bank[i, j]), float(left[i]) - given)
                used[i, j] = True  # even zero hours: a need with none left is still reached
                given += hours[i, j]
                if float(left[i]) - given <= DONE_HOURS:
                    break
        totals.append(given)
    return hours, totals, used


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_taking_in_order_with_arrays_is_the_loop_bit_for_bit(seed: int) -> None:
    rng = np.random.default_rng(seed)
    bank = np.where(rng.random((20, 6)) < 0.3, 0.0, rng.gamma(1.0, 1.0, (20, 6)))
    left = np.where(rng.random(20) < 0.1, bank[:, :2].sum(axis=1), rng.gamma(2.0, 2.0, 20))  # some exactly two banks
    candidate = rng.random((20, 6)) < 0.8
    hours, given, used = take_in_order(bank, candidate, left)
    expected_hours, expected_given, expected_used = _loop(bank, candidate, left)
    assert hours.tolist() == expected_hours.tolist() and given.tolist() == expected_given
    assert used.tolist() == expected_used.tolist()


@settings(max_examples=60, deadline=None)
@given(scores=st.lists(st.integers(0, 5), min_size=1, max_size=40), count=st.integers(1, 45))
def test_top_is_the_set_a_stable_sort_gives(scores: list[int], count: int) -> None:
    score = np.array(scores, dtype=float)
    assert sorted(top(score, count).tolist()) == sorted(np.argsort(-score, kind="stable")[:count].tolist())

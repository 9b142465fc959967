"""A recruit's traits are its own: a recruitment lever changes who joins, never what a given recruit is like."""

from __future__ import annotations

import numpy as np

from sim.core.build import build_state
from sim.core.day import step_day
from sim.rng import Streams

from ..conftest import small


def _traits_by_resident(recruit_rate: float) -> dict[int, tuple[int, float, bool, float]]:
    scenario = small({"volunteers.recruit_rate_per_year": recruit_rate, "volunteers.quit_rate_per_year": 0.0}, residents=800, days=60)
    state = build_state(scenario, seed=3)
    for day in range(60):
        step_day(state, scenario, day)
    pool = state.volunteers
    return {int(r): (int(s), float(m), bool(p), float(q)) for r, s, m, p, q in zip(
        pool.view("resident"), pool.view("skills"), pool.view("motivation"), pool.view("patrol"), pool.view("quit_threshold"))}


def test_more_recruiting_leaves_every_common_recruits_traits_unchanged() -> None:
    few, many = _traits_by_resident(0.05), _traits_by_resident(0.5)
    common = set(few) & set(many)
    assert len(many) > len(few) and len(common) > len(few) // 2
    assert all(few[r] == many[r] for r in common)


def test_member_streams_are_keyed_by_member_and_spell() -> None:
    streams = Streams(7)
    first, again, rejoined = (streams.member("traits", 12, spell).random() for spell in (0, 0, 1))
    assert first == again != rejoined
    assert streams.member("traits", 12, 0).random() != streams.member("traits", 13, 0).random()
    assert Streams(8).member("traits", 12, 0).random() != first
    assert np.isfinite(first)

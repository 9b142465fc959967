"""Charity lever: donations into community funds, matching, and deliberation's pull on giving.

Phase ``step(state, scenario, day)``; reads ``giving.*``, ``linkage.fund_matching_ratio``,
``linkage.deliberation`` and ``linkage.deliberation_giving_boost``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.core.state import DistrictState
    from sim.scenario import Scenario

GIFT_SHAPE = 1.5  # gamma shape of gift sizes [assumed: many small gifts, a few large]


def step(state: DistrictState, scenario: Scenario, day: int) -> None:
    """Today's gifts from residents and work units, matched from the fund's reserve.

    The ``giving`` stream draws every community's gift counts at once (residents', then work
    units'), then the sizes of all residents' gifts, then of all units' gifts, in community order.
    """
    g, link = scenario.giving, scenario.linkage
    rng = state.streams.giving
    boost = (1.0 + g.matching_response * (link.fund_matching_ratio > 0)) * (1.0 + link.deliberation_giving_boost * link.deliberation)
    resident_gifts = rng.poisson(state.population.counts * g.donors_per_1000_per_year / 1000.0 / 365.0 * boost)
    unit_gifts = rng.poisson(state.work_units * g.unit_gifts_per_year / 365.0)
    total = _per_community(resident_gifts, rng.gamma(GIFT_SHAPE, g.gift_mean_yuan / GIFT_SHAPE, int(resident_gifts.sum())))
    total += _per_community(unit_gifts, rng.gamma(GIFT_SHAPE, g.unit_gift_mean_yuan / GIFT_SHAPE, int(unit_gifts.sum())))
    for c in np.flatnonzero(resident_gifts + unit_gifts).tolist():
        state.funds[c].donate(total[c] * (1.0 - g.goods_share), total[c] * g.goods_share, link.fund_matching_ratio)


def _per_community(counts: np.ndarray, amounts: np.ndarray) -> np.ndarray:
    """Sum of ``amounts`` per community, ``counts[c]`` of them for community ``c`` in community order."""
    return np.bincount(np.repeat(np.arange(counts.size), counts), weights=amounts, minlength=counts.size).astype(float)

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
    """Today's gifts from residents and work units, matched from the fund's reserve."""
    g, link = scenario.giving, scenario.linkage
    rng = state.streams.giving
    boost = (1.0 + g.matching_response * (link.fund_matching_ratio > 0)) * (1.0 + link.deliberation_giving_boost * link.deliberation)
    for fund, residents, units in zip(state.funds, state.population.counts, state.work_units):
        resident_gifts = rng.poisson(residents * g.donors_per_1000_per_year / 1000.0 / 365.0 * boost)
        unit_gifts = rng.poisson(units * g.unit_gifts_per_year / 365.0)
        amounts = np.concatenate([
            rng.gamma(GIFT_SHAPE, g.gift_mean_yuan / GIFT_SHAPE, resident_gifts),
            rng.gamma(GIFT_SHAPE, g.unit_gift_mean_yuan / GIFT_SHAPE, unit_gifts),
        ])
        if amounts.size:
            total = float(amounts.sum())
            fund.donate(total * (1.0 - g.goods_share), total * g.goods_share, link.fund_matching_ratio)

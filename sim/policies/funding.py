"""Funding lever: the yearly budget, its split across lines, the spreading rule, and conversion to capacity.

The budget is disbursed in quarterly periods. At the start of each period every line is spread
across communities by the spreading rule (performance-based uses each community's coverage in the
previous period) and turned into capacity (``sim.policies.capacity``): social-worker hours
(stations), programme places (demonstration communities), hub coordination hours (hub awards),
professional hours (purchased services) and fund seed money. Capacity lines are paid day by day;
a line with no recipient in a community (no programmes, no organisations) is not disbursed there,
nor are demonstration yuan beyond what opens every programme every week. Station money is pooled
by street: a street's social workers serve all its communities. A community's
``extra_budget_yuan`` (the step ``sim margins`` earmarks) is added to its spread share.

Phase ``step(state, scenario, day)``; reads ``budget.*``, ``communities.*.extra_budget_yuan``,
``linkage.fund_matching_ratio`` and
(through ``sim.policies.capacity``) ``conversion.*``, ``social_workers.*``, ``organizations.*``,
``schedules``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim.policies import capacity
from sim.policies.capacity import WEEKS_PER_YEAR
from sim.scenario import BUDGET_LINES, SpreadRule

if TYPE_CHECKING:
    from sim.core.state import DistrictState
    from sim.scenario import Scenario

__all__ = ["CAPACITY_LINES", "PERIODS_PER_YEAR", "WEEKS_PER_YEAR", "period_of", "period_start", "spread_weights", "step"]

PERIODS_PER_YEAR = 4
CAPACITY_LINES = ("stations", "demonstration", "hub_awards", "purchased_services")


def period_of(day: int) -> int:
    """Funding period (quarter) of a day."""
    return (PERIODS_PER_YEAR * day) // 365


def period_start(period: int) -> int:
    """First day of a funding period."""
    return math.ceil(365 * period / PERIODS_PER_YEAR)


def spread_weights(rule: SpreadRule, residents: np.ndarray, expected_need: np.ndarray, coverage: np.ndarray) -> np.ndarray:
    """Shares of a line per community under a spreading rule (summing to 1)."""
    raw = {
        SpreadRule.EQUAL: np.ones(len(residents)),
        SpreadRule.PER_CAPITA: residents.astype(float),
        SpreadRule.NEED_WEIGHTED: expected_need.astype(float),
        SpreadRule.PERFORMANCE: residents * coverage,
    }[rule]
    total = raw.sum()
    return raw / total if total > 0 else np.full(len(residents), 1.0 / len(residents))


def step(state: DistrictState, scenario: Scenario, day: int) -> None:
    """Start a period when one begins, then pay today's share of the capacity lines."""
    if day == 0 or period_of(day) != period_of(day - 1):
        _start_period(state, scenario, day)
    ledger = state.funding
    for line in CAPACITY_LINES:
        ledger.capacity_spent_yuan += ledger.yuan_per_year[line] / 365.0


def allocate(state: DistrictState, scenario: Scenario, coverage: np.ndarray) -> dict[str, np.ndarray]:
    """Each line's yearly-rate yuan per community for a period: spread, where it has a recipient, up to what it can use."""
    budget = scenario.budget
    weights = spread_weights(budget.spread_rule, state.population.counts, state.expected_need_hours, coverage)
    earmarked = np.array([c.extra_budget_yuan for c in scenario.communities.values()])  # sim margins' per-community step
    allocation = {}
    for line in BUDGET_LINES:
        share, recipient = getattr(budget, f"split_{line}"), capacity.has_recipient(state, scenario, line)
        offered = budget.total_yuan * share * weights * recipient + earmarked * share * recipient
        allocation[line] = np.minimum(offered, capacity.usable_yuan_per_year(state, scenario, line))
    return allocation


def _start_period(state: DistrictState, scenario: Scenario, day: int) -> None:
    coverage = np.array([c.close_period() for c in state.committees])
    ledger = state.funding
    ledger.yuan_per_year = allocate(state, scenario, coverage)
    state.capacity = capacity.apply(state, scenario, capacity.convert(state, scenario, ledger.yuan_per_year))
    period = period_of(day)
    days = period_start(period + 1) - period_start(period)
    seed = ledger.yuan_per_year["fund_seed"] * days / 365.0
    matching = scenario.linkage.fund_matching_ratio > 0
    for fund, yuan in zip(state.funds, seed):
        fund.release_reserve()
        fund.deposit_seed(float(yuan), matching)
    ledger.seed_spent_yuan += seed

"""Funding lever: the yearly budget, its split across lines, the spreading rule, and conversion to capacity.

The budget is disbursed in quarterly periods. At the start of each period every line is spread
across communities by the spreading rule (performance-based uses each community's coverage in the
previous period) and turned into capacity: social-worker hours (stations), programme places
(demonstration communities), hub coordination hours (hub awards), professional hours (purchased
services) and fund seed money. Capacity lines are paid day by day; a line with no recipient in a
community (no programmes, no organisations) is not disbursed there, nor are demonstration yuan
beyond what opens every programme every week. Station money is pooled by street: a street's
social workers serve all its communities.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim.scenario import BUDGET_LINES, SpreadRule

if TYPE_CHECKING:
    from sim.model import FiveSocietyModel

PERIODS_PER_YEAR = 4
WEEKS_PER_YEAR = 52.0
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


class Funding:
    """Allocates each period's budget and keeps the government ledger."""

    def __init__(self, model: FiveSocietyModel) -> None:
        self.model = model
        self.budget = model.scenario.budget
        n = len(model.committees)
        self.yuan_per_year = {line: np.zeros(n) for line in BUDGET_LINES}
        self.capacity_spent_yuan = np.zeros(n)
        self.seed_spent_yuan = np.zeros(n)

    def step(self, day: int) -> None:
        """Start a period when one begins, then pay today's share of the capacity lines."""
        if day == 0 or period_of(day) != period_of(day - 1):
            self._start_period(day)
        for line in CAPACITY_LINES:
            self.capacity_spent_yuan += self.yuan_per_year[line] / 365.0

    def _start_period(self, day: int) -> None:
        model = self.model
        coverage = np.array([c.close_period() for c in model.committees])
        weights = spread_weights(self.budget.spread_rule, model.population.counts, model.expected_need_hours, coverage)
        earmarked = np.array([c.extra_budget_yuan for c in model.scenario.communities.values()])
        for line in BUDGET_LINES:
            share = getattr(self.budget, f"split_{line}")
            offered = (self.budget.total_yuan * weights + earmarked) * share * model.has_recipient(line)
            self.yuan_per_year[line] = np.minimum(offered, model.usable_yuan_per_year(line))
        model.apply_capacity(self.yuan_per_year)
        period = period_of(day)
        days = period_start(period + 1) - period_start(period)
        seed = self.yuan_per_year["fund_seed"] * days / 365.0
        matching = model.scenario.linkage.fund_matching_ratio > 0
        for fund, yuan in zip(model.funds, seed):
            fund.release_reserve()
            fund.deposit_seed(float(yuan), matching)
        self.seed_spent_yuan += seed

    @property
    def spent_yuan(self) -> np.ndarray:
        """Government money disbursed so far, per community."""
        return self.capacity_spent_yuan + self.seed_spent_yuan

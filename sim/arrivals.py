"""Need arrival: who gets which need on which day, drawn only from policy-free streams.

Arrival draws come from the ``arrivals`` stream and each need's reporting and discovery
thresholds from the ``reporting`` and ``discovery`` streams, the same number of draws every day
whatever the policies, so a policy change never changes which needs arise (common random
numbers). A need is reported once its accumulated reporting hazard passes its threshold, and
found by active discovery once its discovery hazard passes its own: policies change hazards,
never thresholds, so more discovery effort finds every need at least as early.

Phase ``step(state, scenario, day)``; reads ``needs.*`` (rates, sizes, patience, hidden and
severe shares, multipliers), resolved once into ``NeedParameters`` and ``Arrivals`` when the state
is built.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim.needs import DEFAULTS, NEED_TYPES, NeedTable, State
from sim.population import Population
from sim.rng import Streams
from sim.scenario import Scenario, providers_of

if TYPE_CHECKING:
    from sim.core.state import DistrictState

HOURS_SHAPE = 2.0  # gamma shape of hours and yuan per need [assumed: right-skewed sizes]
VULNERABLE_HIDDEN_MULTIPLIER = 1.5  # elderly, disabled and hardship residents hide needs more [assumed]


class NeedParameters:
    """Per-type parameters resolved from defaults and the scenario's overrides, as arrays."""

    def __init__(self, scenario: Scenario) -> None:
        rows = []
        for need_type in NEED_TYPES:
            default, override = DEFAULTS[need_type], scenario.needs.for_type(need_type)
            rows.append({
                key: getattr(override, key) if getattr(override, key, None) is not None else getattr(default, key)
                for key in ("rate_child_per_year", "rate_working_per_year", "rate_elderly_per_year", "hours_mean",
                            "yuan_mean", "patience_days", "hidden_share", "severe_share")
            })
        self.rate_per_year = np.array([[r["rate_child_per_year"], r["rate_working_per_year"], r["rate_elderly_per_year"]] for r in rows])
        self.hours_mean = np.array([r["hours_mean"] for r in rows])
        self.yuan_mean = np.array([r["yuan_mean"] for r in rows])
        self.hidden_share = np.array([r["hidden_share"] for r in rows])
        self.severe_share = np.array([r["severe_share"] for r in rows])
        self.patience_days = np.array([r["patience_days"] for r in rows], dtype=np.int32)
        self.service_days = np.array([DEFAULTS[t].service_days for t in NEED_TYPES], dtype=np.int32)
        self.providers = np.array([int(providers_of(scenario, t, severe=False)) for t in NEED_TYPES])
        self.severe_providers = np.array([int(providers_of(scenario, t, severe=True)) for t in NEED_TYPES])
        self.hardship_only = np.array([DEFAULTS[t].hardship_only for t in NEED_TYPES])


class Arrivals:
    """Draws each day's new needs: Poisson counts per (type, resident class), then residents."""

    def __init__(self, scenario: Scenario, params: NeedParameters, population: Population) -> None:
        self.params = params
        klass = population.group * 4 + population.disabled * 2 + population.hardship
        self.order = np.argsort(klass, kind="stable").astype(np.int32)  # residents by class (int32: 4 bytes a resident)
        sizes = np.bincount(klass, minlength=12)
        self.class_start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        self.class_size = sizes
        self.daily_rate = self._rates(scenario, sizes)  # (types, 12)

    def _rates(self, scenario: Scenario, sizes: np.ndarray) -> np.ndarray:
        group = np.arange(12) // 4
        disabled = (np.arange(12) // 2) % 2 == 1
        hardship = np.arange(12) % 2 == 1
        per_resident = self.params.rate_per_year[:, group]
        mult = np.where(disabled, scenario.needs.disabled_multiplier, 1.0) * np.where(hardship, scenario.needs.hardship_multiplier, 1.0)
        per_resident = np.where(self.params.hardship_only[:, None], per_resident * hardship, per_resident * mult)
        return per_resident * sizes / 365.0

    def expected_cost_by_community(self, cost_per_need: np.ndarray, population: Population) -> np.ndarray:
        """Expected yearly cost of needs (e.g. hour-equivalents) per community, for need-weighted funding."""
        per_resident = self.daily_rate / np.maximum(self.class_size, 1) * 365.0  # (types, classes)
        per_class = cost_per_need @ per_resident
        klass = population.group * 4 + population.disabled * 2 + population.hardship
        return np.bincount(population.community, weights=per_class[klass], minlength=len(population.counts))

    def draw(self, day: int, streams: Streams, population: Population, table: NeedTable, listed: np.ndarray) -> np.ndarray:
        """Append today's needs to ``table``; returns their ids."""
        rng = streams.arrivals
        counts = rng.poisson(self.daily_rate)
        total = int(counts.sum())
        u = rng.random((3, total))
        hours_draw = rng.gamma(HOURS_SHAPE, 1.0 / HOURS_SHAPE, total)
        report = streams.reporting.exponential(1.0, total)
        discover = streams.discovery.exponential(1.0, total)
        if total == 0:
            return np.zeros(0, dtype=np.int64)
        flat = np.flatnonzero(counts.ravel())
        types, klass = np.divmod(np.repeat(flat, counts.ravel()[flat]), 12)
        resident = self.order[self.class_start[klass] + (u[0] * self.class_size[klass]).astype(np.int64)]
        vulnerable = population.vulnerable[resident]
        hidden_share = np.minimum(1.0, self.params.hidden_share[types] * np.where(vulnerable, VULNERABLE_HIDDEN_MULTIPLIER, 1.0))
        population.had_need[resident] = True
        hours = hours_draw * self.params.hours_mean[types]
        return table.append(
            resident=resident, community=population.community[resident], type=types,
            severe=u[1] < self.params.severe_share[types], hidden=u[2] < hidden_share,
            hours=hours, hours_left=hours.astype(np.float32), yuan=hours_draw * self.params.yuan_mean[types],
            arrival_day=np.full(total, day), patience_days=self.params.patience_days[types],
            state=np.full(total, State.UNREPORTED), report_threshold=report, discovery_threshold=discover,
            listed=listed[resident],
        )



def reserve_needs(state: DistrictState, days: int) -> None:
    """Room in the need table for the needs of ``days`` more days (their Poisson mean plus six standard deviations).

    Sized once before a run, the table does not grow (and leave its outgrown copies behind) as
    needs arrive; a run that draws more still grows it. Capacity never changes a result.
    """
    expected = float(state.arrivals.daily_rate.sum()) * days
    state.needs.reserve(state.needs.size + math.ceil(expected + 6.0 * math.sqrt(expected)) + 64)


def step(state: DistrictState, scenario: Scenario, day: int) -> None:
    """Today's new needs join the need table."""
    state.arrivals.draw(day, state.streams, state.population, state.needs, state.listed)

"""Service and the end of a need's life: hours given, served needs complete, needs past their patience close unmet.

A provider takes a need by giving it hours (``deliver``), in parts if it has fewer than the need
still lacks: from the first hour the need is IN_SERVICE and its patience stops running; once its
last hour is given it completes ``service_days`` after the first (or that day, if later). A
programme place or a fund grant serves what is left of a need at once (``start_service``).

``Tally`` keeps running counts of closures (overall and by resident group) so that daily series
and final KPIs never rescan the whole need table.

Phase ``step(state, scenario, day)``; reads no scenario keys (patience and service days are in the
need table and ``state.need_params``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.needs import DONE_HOURS, HOURS_PROVIDERS, IN_DELIVERY, Group, Provider, State

if TYPE_CHECKING:
    from sim.core.state import DistrictState
    from sim.scenario import Scenario

GROUP_FLAGS = ("elderly", "disabled", "children", "hardship")
PROVIDER_NAMES = {int(p): (p.name or str(int(p))).lower() for p in Provider}
SATISFACTION_GAIN = 0.1   # per need met on time [assumed]
SATISFACTION_LOSS = 0.15  # per need closed unmet [assumed]


class Tally:
    """Running counts of met and unmet needs, overall and by group, and service delays."""

    def __init__(self) -> None:
        self.met = {"all": 0, **{g: 0 for g in GROUP_FLAGS}}
        self.unmet = {"all": 0, **{g: 0 for g in GROUP_FLAGS}}
        self.by_provider = {name: 0 for name in PROVIDER_NAMES.values()}
        self.days_to_service_sum = 0
        self.served_started = 0

    def add(self, counts: dict[str, int], flags: dict[str, np.ndarray]) -> None:
        """Add closures: ``counts`` is ``met`` or ``unmet``; ``flags`` the group masks of the closed needs."""
        counts["all"] += len(flags["children"])
        for name in GROUP_FLAGS:
            counts[name] += int(np.count_nonzero(flags[name]))

    def coverage(self, group: str = "all") -> float:
        """Met share of closed needs (0 when none closed)."""
        closed = self.met[group] + self.unmet[group]
        return self.met[group] / closed if closed else 0.0


def group_flags(state: DistrictState, ids: np.ndarray) -> dict[str, np.ndarray]:
    """Masks of the resident groups the needs ``ids`` belong to."""
    population, resident = state.population, state.needs.resident[ids]
    return {
        "elderly": population.group[resident] == Group.ELDERLY,
        "disabled": population.disabled[resident],
        "children": population.group[resident] == Group.CHILD,
        "hardship": population.hardship[resident],
    }


def deliver(state: DistrictState, ids: np.ndarray, hours: np.ndarray, provider: Provider, day: int) -> np.ndarray:
    """``hours`` given today by ``provider`` to the distinct needs ``ids``; returns the mask of needs now fully given."""
    needs = state.needs
    _take(state, ids[needs.state[ids] != State.IN_SERVICE], day)
    needs.hours_left[ids] -= hours
    getattr(needs, HOURS_PROVIDERS[provider])[ids] += hours
    done = needs.hours_left[ids] <= DONE_HOURS
    _given(state, ids[done], provider, day)
    return done


def start_service(state: DistrictState, ids: np.ndarray, provider: Provider, day: int) -> None:
    """Needs ``ids`` are served whole today by a programme place or a fund grant."""
    if len(ids) == 0:
        return
    _take(state, ids[state.needs.state[ids] != State.IN_SERVICE], day)
    _given(state, ids, provider, day)


def _take(state: DistrictState, ids: np.ndarray, day: int) -> None:
    """Needs ``ids`` get their first hour today: in service, patience stopped, waiting time counted."""
    if len(ids) == 0:
        return
    needs = state.needs
    needs.state[ids] = State.IN_SERVICE
    needs.match_day[ids] = day
    needs.service_end_day[ids] = IN_DELIVERY
    state.tally.days_to_service_sum += int((day - needs.arrival_day[ids]).sum())
    state.tally.served_started += len(ids)


def _given(state: DistrictState, ids: np.ndarray, provider: Provider, day: int) -> None:
    """Needs ``ids`` have all their hours: ``provider`` completed them; they end after their service days."""
    if len(ids) == 0:
        return
    needs = state.needs
    needs.hours_left[ids] = 0.0
    needs.provider[ids] = int(provider)
    needs.service_end_day[ids] = np.maximum(day, needs.match_day[ids] + state.need_params.service_days[needs.type[ids]])
    state.tally.by_provider[PROVIDER_NAMES[int(provider)]] += len(ids)


def in_delivery(state: DistrictState, ids: np.ndarray) -> np.ndarray:
    """Mask of needs ``ids`` that have been given some hours and still lack some."""
    needs = state.needs
    return (needs.state[ids] == State.IN_SERVICE) & (needs.service_end_day[ids] == IN_DELIVERY)


def step(state: DistrictState, scenario: Scenario, day: int) -> None:
    """Complete services that end today, close needs whose patience ran out, prune the open list."""
    needs = state.needs
    open_ids = needs.open_ids
    kind = needs.state[open_ids]
    done = open_ids[(kind == State.IN_SERVICE) & (needs.service_end_day[open_ids] <= day)]
    waiting = (kind == State.UNREPORTED) | (kind == State.WAITING)
    expired = open_ids[waiting & (day - needs.arrival_day[open_ids] >= needs.patience_days[open_ids])]
    _close(state, done, State.MET, day)
    _close(state, expired, State.UNMET, day)
    needs.prune()


def _close(state: DistrictState, ids: np.ndarray, outcome: State, day: int) -> None:
    if len(ids) == 0:
        return
    needs, population = state.needs, state.population
    needs.close(ids, outcome, day)
    state.tally.add(state.tally.met if outcome == State.MET else state.tally.unmet, group_flags(state, ids))
    resident = needs.resident[ids]
    if outcome == State.MET:
        wait = (needs.match_day[ids] - needs.arrival_day[ids]) / needs.patience_days[ids]
        np.add.at(population.satisfaction, resident, SATISFACTION_GAIN * (1.0 - np.clip(wait, 0.0, 1.0)))
    else:
        np.add.at(population.satisfaction, resident, -SATISFACTION_LOSS)
    population.satisfaction[resident] = np.clip(population.satisfaction[resident], 0.0, 1.0)  # the others are in [0, 1] already
    counts = np.bincount(needs.community[ids], minlength=state.communities)
    for c in np.flatnonzero(counts).tolist():  # committees with closures today
        count = int(counts[c])
        state.committees[c].record_closures(count if outcome == State.MET else 0, 0 if outcome == State.MET else count)
    np.add.at(state.unmet_by_compound if outcome == State.UNMET else state.met_by_compound, population.compound[resident], 1)

"""Reporting and discovery lever: how unreported needs become known, and whose hours that takes.

Every unreported need accumulates two hazards a day. The *reporting* hazard (residents who do not
hide their need): walk-in at the service point, decaying with distance, plus online reporting for
digital residents when it is on. The *discovery* hazard (any unreported need) comes from effort
that someone's hours pay for:

- volunteer patrols: patrol volunteers' hours (taken from their pledge), a hazard per resident;
- social-worker outreach: station-paid outreach hours screen households, one household per
  ``outreach_hours_per_household``, the households longest off the register first (vulnerable
  ones weighted ``OUTREACH_TARGETING`` times);
- the representatives' cadence: contacts, home visits and meetings on their days, each covering
  as many households as the hours of representatives (unpaid residents) and committee staff
  (paid, a share of their week) allow, going round the households in turn;
- the register (走访台账): a household screened by a visit or outreach has its later hidden needs
  found at a hazard that fades with the time since the screening (it knows whom to call).

A screened or covered household's unreported needs get the impulse -ln(1 - p) of that effort's
detection probability. A need becomes WAITING when either hazard passes the need's own threshold
(drawn at arrival), so more effort finds every need at least as early.

Phase ``step(state, scenario, day)``; reads ``linkage.discovery.*`` and ``linkage.online_reporting``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.needs import State

from sim.policies.volunteering import patrollers_by_community

if TYPE_CHECKING:
    from sim.core.state import DistrictState
    from sim.scenario import Discovery, Scenario

OUTREACH_TARGETING = 3.0  # outreach goes back to vulnerable households this many times as often [assumed]
CADENCES = ("contact", "visit", "meeting")
REGISTERING = ("visit",)  # cadences whose rounds put households on the register (with outreach)


def impulse(probability: float) -> float:
    """The hazard that finds a need with ``probability`` in one go."""
    return -np.log1p(-min(probability, 1.0 - 1e-12))


class CadenceRounds:
    """The representatives' contacts, visits and meetings: who gives the hours and how far they reach.

    Per community, the hours the rounds ask for (every household contacted and visited, every
    representative at every meeting) are compared with the hours on offer (representatives'
    weekly hours plus the committee staff's discovery share); when they fall short, every round
    covers the same fraction of households. Hours used are split between representatives and
    staff in proportion to what each offers, so neither gives more than it has.
    """

    def __init__(self, d: Discovery, households_per_community: np.ndarray, residents: np.ndarray) -> None:
        self.d = d
        self.households = households_per_community.astype(float)
        self.representatives = np.round(self.households * d.representatives_per_100_households / 100.0)
        self.staff = residents * d.committee_staff_per_10000 / 10_000.0
        self.representative_supply_per_day = self.representatives * d.representative_hours_per_week / 7.0
        self.staff_supply_per_day = self.staff * d.committee_staff_hours_per_week * d.committee_staff_discovery_share / 7.0
        demand = sum(self.round_hours(name) / interval for name, interval in self.intervals().items())
        supply = self.representative_supply_per_day + self.staff_supply_per_day
        self.fraction = np.where(demand > 0, np.minimum(1.0, supply / np.maximum(demand, 1e-12)), 0.0)
        self.staff_share = np.where(supply > 0, self.staff_supply_per_day / np.maximum(supply, 1e-12), 0.0)
        n = len(self.households)
        self.credit = {name: np.zeros(n) for name in CADENCES}
        self.cursor = {name: np.zeros(n, dtype=np.int64) for name in CADENCES}
        self.representative_hours = np.zeros(n)
        self.staff_hours = np.zeros(n)

    def intervals(self) -> dict[str, int]:
        """Days between rounds of each cadence that is on."""
        d = self.d
        days = {"contact": d.contact_interval_days, "visit": d.visit_interval_days, "meeting": d.meeting_interval_days}
        return {name: interval for name, interval in days.items() if interval > 0}

    def round_hours(self, name: str) -> np.ndarray:
        """Hours one full round of a cadence asks for, per community."""
        d = self.d
        if name == "meeting":
            return self.representatives * d.meeting_hours_per_representative
        per_household = d.contact_hours_per_household if name == "contact" else d.visit_hours_per_household
        return self.households * per_household

    def detect_prob(self, name: str) -> float:
        """Chance a round of the cadence finds a hidden need of a household it covers."""
        return getattr(self.d, f"{name}_detect_prob")

    def today(self, day: int) -> list[str]:
        """Cadences with a round today."""
        return [name for name, interval in self.intervals().items() if (day + 1) % interval == 0]

    def hold(self, name: str, start: np.ndarray) -> np.ndarray:
        """Hold one round: charge its hours and return the households it covers (going round in turn)."""
        self.credit[name] += self.fraction * self.households
        count = np.floor(self.credit[name] + 1e-9).astype(np.int64)
        count = np.minimum(count, self.households.astype(np.int64))
        self.credit[name] -= count
        full = np.maximum(self.households, 1.0)
        hours = self.round_hours(name) * count / full
        self.staff_hours += hours * self.staff_share
        self.representative_hours += hours * (1.0 - self.staff_share)
        going = np.flatnonzero(count)  # communities whose round covers someone
        step, size, cursor = count[going], self.households[going].astype(np.int64), self.cursor[name]
        within = np.arange(int(step.sum())) - np.repeat(np.cumsum(step) - step, step)
        covered = np.repeat(start[going], step) + (np.repeat(cursor[going], step) + within) % np.repeat(size, step)
        cursor[going] = (cursor[going] + step) % size
        return covered.astype(np.int64)

    def hours_offered(self, days: int) -> tuple[float, float]:
        """Representatives' and staff's discovery hours on offer over ``days`` days."""
        return float(self.representative_supply_per_day.sum() * days), float(self.staff_supply_per_day.sum() * days)


class Outreach:
    """Social-worker outreach: station hours screen households, longest off the register first."""

    def __init__(self, communities: int) -> None:
        self.credit_hours = np.zeros(communities)
        self.hours_given = np.zeros(communities)
        self.hours_credited = np.zeros(communities)

    def screen(self, state: DistrictState, scenario: Scenario, day: int) -> np.ndarray:
        """Today's screened households: as many as the outreach hours in hand allow, per community."""
        per_household = scenario.linkage.discovery.outreach_hours_per_household
        today = state.capacity.outreach_hours_per_week / 7.0
        self.credit_hours += today
        self.hours_credited += today
        count = np.floor(self.credit_hours / per_household + 1e-9).astype(np.int64)
        count = np.minimum(count, state.households.per_community)
        hours = count * per_household
        self.credit_hours -= hours
        self.hours_given += hours
        households, register = state.households, state.register
        chosen = []
        for c in np.flatnonzero(count).tolist():
            start, stop = int(households.start[c]), int(households.stop[c])
            weight = np.where(households.vulnerable[start:stop], OUTREACH_TARGETING, 1.0)
            chosen.append(start + top(((day - register.screened_day[start:stop]) * weight), int(count[c])))
        return np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.int64)


def top(score: np.ndarray, count: int, few: int = 8) -> np.ndarray:
    """The ``count`` highest scores' positions, ties to the lower position (the set a stable sort gives, unordered)."""
    if count >= score.size:
        return np.arange(score.size)
    if count <= few:  # argmax finds the first of equal scores: ``count`` picks are a stable sort's first (few: beats a partition)
        score, chosen = score.astype(float), []
        for _ in range(count):
            chosen.append(int(score.argmax()))
            score[chosen[-1]] = -np.inf
        return np.array(chosen, dtype=np.int64)
    kth = np.partition(score, score.size - count)[score.size - count]
    above = np.flatnonzero(score > kth)
    return np.concatenate([above, np.flatnonzero(score == kth)[: count - above.size]])


def patrol_hazard(state: DistrictState, scenario: Scenario) -> np.ndarray:
    """Daily patrol hazard per resident, by community."""
    d = scenario.linkage.discovery
    residents = np.maximum(state.population.counts, 1)
    patrollers = patrollers_by_community(state)
    return patrollers * d.patrol_hours_per_week / 7.0 * d.residents_per_patrol_hour / residents * d.patrol_detect_prob


def _impulse_for(households_of_needs: np.ndarray, covered: np.ndarray, probability: float) -> np.ndarray:
    """The impulse for needs whose household is in ``covered``, zero for the others."""
    return np.where(np.isin(households_of_needs, covered), impulse(probability), 0.0)


def effort_hazard(state: DistrictState, scenario: Scenario, day: int, household: np.ndarray) -> np.ndarray:
    """Today's discovery hazard from outreach and the cadence's rounds, for needs in ``household``; updates the register."""
    households, register, rounds = state.households, state.register, state.rounds
    d = scenario.linkage.discovery
    hazard = np.zeros(household.size)
    screened = state.outreach.screen(state, scenario, day)
    if screened.size:
        hazard += _impulse_for(household, screened, d.outreach_detect_prob)
        register.record(screened, day)
    for name in rounds.today(day):
        covered = rounds.hold(name, households.start)
        if covered.size:
            hazard += _impulse_for(household, covered, rounds.detect_prob(name))
            if name in REGISTERING:
                register.record(covered, day)
    return hazard


def step(state: DistrictState, scenario: Scenario, day: int) -> None:
    """Accumulate today's hazards and move needs that became known to WAITING."""
    needs, population = state.needs, state.population
    ids = needs.open_ids[needs.state[needs.open_ids] == State.UNREPORTED]
    d = scenario.linkage.discovery
    resident = needs.resident[ids]
    household = state.households.of_resident[resident]
    register_hazard = d.register_report_rate_per_day * state.register.strength(household, day, d.register_memory_days)
    effort = effort_hazard(state, scenario, day, household)  # hours are spent whether or not a need is open
    if ids.size == 0:
        return
    walk_in = d.walk_in_rate_per_day * np.exp(-population.service_distance_m[resident] / d.walk_in_decay_m)
    online = d.online_rate_per_day * population.digital[resident] if scenario.linkage.online_reporting else 0.0
    needs.report_hazard[ids] += np.where(needs.hidden[ids], 0.0, walk_in + online)
    needs.discovery_hazard[ids] += patrol_hazard(state, scenario)[needs.community[ids]] + effort + register_hazard
    reported = needs.report_hazard[ids] >= needs.report_threshold[ids]
    discovered = ~reported & (needs.discovery_hazard[ids] >= needs.discovery_threshold[ids])
    needs.state[ids[reported | discovered]] = State.WAITING
    needs.discovered[ids[discovered]] = True

"""Volunteer turnover and the points lever: hours refill, recruitment and quitting.

Quitting follows a hazard (a 25-33% yearly pattern by default; Corporation for National and
Community Service, *Volunteering in America*, 2007: about a third of volunteers do not return the
next year) that rises with overload, and falls with social-worker supervision and points
(recognition). Each volunteer quits when its accumulated hazard passes a threshold drawn when it
joined, so a policy that lowers the hazard keeps every volunteer at least as long. A recruit's
traits (skills, motivation, team, quitting threshold) come from its own stream, keyed by the
resident and how many times it has joined, so recruiting more or earlier never changes who a
later recruit is.

Phase ``step(state, scenario, day)``; reads ``volunteers.*``, ``social_workers.volunteers_per_supervision_hour``,
``linkage.points_*``, ``linkage.service_mode``, ``linkage.list_share``,
``linkage.discovery.patrol_share`` and ``linkage.discovery.patrol_hours_per_week``; when the state
is built, ``communities.<name>.volunteers`` (the initial volunteers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.needs import Group, Provider
from sim.scenario import ServiceMode

if TYPE_CHECKING:
    from sim.core.state import DistrictState
    from sim.population import Population
    from sim.scenario import Scenario

LOAD_MEMORY_DAYS = 28.0  # utilisation is averaged over about four weeks [assumed]
POINTS_PER_HOUR = 1.0


def list_reserve_share(scenario: Scenario) -> float:
    """Share of volunteer hours kept for scheduled list visits under the service mode."""
    mode = scenario.linkage.service_mode
    return {ServiceMode.ORDER: 0.0, ServiceMode.MIXED: scenario.linkage.list_share, ServiceMode.LIST: 1.0}[mode]


def volunteer_skills(state: DistrictState) -> np.ndarray:
    """Need types a volunteer may serve (routine or severe): the skills volunteers may have."""
    params = state.need_params
    return np.flatnonzero(((params.providers | params.severe_providers) & int(Provider.VOLUNTEER)) > 0)


def recruit(state: DistrictState, scenario: Scenario, residents: np.ndarray, day: int, initial: bool = False) -> None:
    """Residents ``residents`` become volunteers today."""
    if residents.size == 0:
        return
    v, d = scenario.volunteers, scenario.linkage.discovery
    population = state.population
    n = residents.size
    skills, motivation, patrol, quit_threshold = _traits(state, scenario, residents)
    patrol_hours = np.where(patrol, d.patrol_hours_per_week, 0.0)
    service = np.maximum(0.0, v.hours_per_week - patrol_hours) * (1.0 - list_reserve_share(scenario))
    slots = state.volunteers.add(
        n, resident=residents, community=population.community[residents], area=population.community[residents], x_m=population.x_m[residents],
        y_m=population.y_m[residents], hours_per_week=v.hours_per_week, refill_per_week=service,
        skills=skills, motivation=motivation, patrol=patrol, joined_day=day, left_day=-1,
        quit_threshold=quit_threshold, initial=initial,
    )
    population.is_volunteer[residents] = True
    population.volunteer_spells[residents] += 1
    state.changes.volunteers_added.extend(slots.tolist())
    state.roster_version += 1


def _traits(state: DistrictState, scenario: Scenario, residents: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Skills (bit mask), motivation, patrol team and quitting threshold of recruits, each from its own stream."""
    types = volunteer_skills(state)
    share, patrol_share = scenario.volunteers.skill_share, scenario.linkage.discovery.patrol_share
    n = residents.size
    skills, motivation = np.zeros(n, dtype=np.int64), np.zeros(n)
    patrol, quit_threshold = np.zeros(n, dtype=bool), np.zeros(n)
    spells = state.population.volunteer_spells
    for i, resident in enumerate(residents.tolist()):
        rng = state.streams.member("traits", resident, int(spells[resident]))
        skills[i] = int(((rng.random(types.size) < share) * (1 << types)).sum())
        motivation[i] = rng.beta(2.0, 2.0)
        patrol[i] = rng.random() < patrol_share
        quit_threshold[i] = rng.exponential(1.0)
    return skills, motivation, patrol, quit_threshold


def step(state: DistrictState, scenario: Scenario, day: int) -> None:
    """Refill hours (volunteers' by how organised they are), let volunteers quit, recruit new ones."""
    state.volunteers.refill(activation(state, scenario))
    state.social_workers.refill()
    state.professionals.refill()
    _quit(state, scenario, day)
    _recruit_daily(state, scenario, day)


def activation(state: DistrictState, scenario: Scenario) -> np.ndarray:
    """Share of its pledge each volunteer gives today: full when organised, ``unorganised_activation`` when not.

    Social workers organise and supervise volunteers and hub organisations coordinate them
    (source: seed, Shuyang: social workers are the support, volunteers assist); a community's
    organised share is what its supervision and coordination hours can cover.
    """
    low = scenario.volunteers.unorganised_activation
    organised = organised_share(state, scenario)[state.volunteers.view("community")]
    return low + (1.0 - low) * organised


def patrollers_by_community(state: DistrictState) -> np.ndarray:
    """Active patrol volunteers per community."""
    pool = state.volunteers
    mask = pool.view("active") & pool.view("patrol")
    return np.bincount(pool.view("community")[mask], minlength=state.communities).astype(float)


def supervised_share(state: DistrictState, scenario: Scenario) -> np.ndarray:
    """Share of each community's active volunteers that social workers can supervise."""
    per_hour = scenario.social_workers.volunteers_per_supervision_hour
    return _share_of_volunteers(state, state.capacity.supervision_hours_per_week * per_hour)


def organised_share(state: DistrictState, scenario: Scenario) -> np.ndarray:
    """Share of each community's active volunteers organised by social workers or hub organisations."""
    cap = state.capacity
    capacity = (cap.supervision_hours_per_week * scenario.social_workers.volunteers_per_supervision_hour
                + cap.hub_hours_per_week * scenario.volunteers.volunteers_per_coordination_hour)
    return _share_of_volunteers(state, capacity)


def _share_of_volunteers(state: DistrictState, capacity: np.ndarray) -> np.ndarray:
    pool = state.volunteers
    active = np.bincount(pool.view("community")[pool.view("active")], minlength=state.communities)
    return np.minimum(1.0, capacity / np.maximum(active, 1))


def end_of_day(state: DistrictState, scenario: Scenario) -> None:
    """Update utilisation and points from the hours given today."""
    pool = state.volunteers
    n = pool.size
    daily = np.maximum(pool.refill_per_week[:n] / 7.0, 1e-9)
    used = np.minimum(1.0, pool.given_today[:n] / daily)
    pool.load[:n] += (used - pool.load[:n]) / LOAD_MEMORY_DAYS
    if scenario.linkage.points_enabled:
        pool.points[:n] += pool.given_today[:n] * POINTS_PER_HOUR


def quit_hazard(state: DistrictState, scenario: Scenario) -> np.ndarray:
    """Today's quitting hazard of every volunteer slot."""
    v, link = scenario.volunteers, scenario.linkage
    pool = state.volunteers
    n = pool.size
    base = -np.log1p(-v.quit_rate_per_year) / 365.0
    overload = 1.0 + (v.overload_quit_multiplier - 1.0) * pool.load[:n] ** 2
    supervised = supervised_share(state, scenario)[pool.community[:n]]
    supervision = 1.0 - v.supervision_quit_reduction * supervised
    points = 1.0 - link.points_quit_reduction if link.points_enabled else 1.0
    motivation = 1.5 - pool.motivation[:n]
    return base * overload * supervision * points * motivation


def _quit(state: DistrictState, scenario: Scenario, day: int) -> None:
    pool = state.volunteers
    n = pool.size
    if n == 0:
        return
    active = pool.active[:n]
    pool.quit_hazard[:n] += np.where(active, quit_hazard(state, scenario), 0.0)
    leaving = np.flatnonzero(active & (pool.quit_hazard[:n] >= pool.quit_threshold[:n]))
    if leaving.size:
        pool.active[leaving] = False
        pool.left_day[leaving] = day
        pool.bank[leaving] = 0.0
        state.population.is_volunteer[pool.resident[leaving]] = False
        state.changes.volunteers_removed.extend(leaving.tolist())
        state.roster_version += 1


def _recruit_daily(state: DistrictState, scenario: Scenario, day: int) -> None:
    """Today's recruits: every community's count from one Poisson draw, then their candidates from one draw."""
    v, link = scenario.volunteers, scenario.linkage
    rng = state.streams.recruitment
    boost = 1.0 + link.points_recruit_boost if link.points_enabled else 1.0
    adults = np.array([a.size for a in state.adults_by_community])
    pool = state.volunteers
    eligible = adults - np.bincount(pool.view("community")[pool.view("active")], minlength=adults.size)  # volunteers are adults of their community
    rate = (v.recruit_rate_per_year * eligible / 365.0 + state.capacity.hub_hours_per_week / 7.0 / v.hours_per_recruit_coordination) * boost
    count = rng.poisson(rate)
    recruiting = np.flatnonzero((count > 0) & (eligible > 0))
    if recruiting.size:
        draws = 4 * count[recruiting]
        picks = np.split(rng.integers(0, np.repeat(adults[recruiting], draws)), np.cumsum(draws)[:-1])
        candidates = np.concatenate([state.adults_by_community[c][i] for c, i in zip(recruiting.tolist(), picks)])
        recruit(state, scenario, _first_fresh(state, candidates, np.repeat(recruiting, draws), count), day)


def _first_fresh(state: DistrictState, candidates: np.ndarray, community: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Per community, the first ``count`` distinct candidates (in draw order) who are not volunteers yet."""
    fresh = ~state.population.is_volunteer[candidates]
    candidates, community = candidates[fresh], community[fresh]
    _, first = np.unique(candidates, return_index=True)  # a resident is in one community: first draw kept
    first.sort()
    candidates, community = candidates[first], community[first]
    start = np.searchsorted(community, community)  # draws are in community order
    return candidates[np.arange(community.size) - start < count[community]]


def initial_volunteers(state: DistrictState, scenario: Scenario) -> None:
    """Each community's initial volunteers, drawn from its adults."""
    rng = state.streams.recruitment
    for community, adults in zip(scenario.communities.values(), state.adults_by_community):
        count = min(community.volunteers, adults.size)
        recruit(state, scenario, np.sort(rng.choice(adults, size=count, replace=False)), day=0, initial=True)


def adults(population: Population, community: int) -> np.ndarray:
    """Residents of a community who may volunteer (working age and elderly)."""
    members = population.members(community)
    return members[population.group[members] != Group.CHILD]

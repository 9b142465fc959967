"""Volunteer turnover and the points lever: hours refill, recruitment and quitting.

Quitting follows a hazard (a 25-33% yearly pattern by default; Corporation for National and
Community Service, *Volunteering in America*, 2007: about a third of volunteers do not return the
next year) that rises with overload, and falls with social-worker supervision and points
(recognition). Each volunteer quits when its accumulated hazard passes a threshold drawn when it
joined, so a policy that lowers the hazard keeps every volunteer at least as long.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.needs import Group, Provider
from sim.scenario import ServiceMode

if TYPE_CHECKING:
    from sim.model import FiveSocietyModel

LOAD_MEMORY_DAYS = 28.0  # utilisation is averaged over about four weeks [assumed]
POINTS_PER_HOUR = 1.0


def list_reserve_share(model: FiveSocietyModel) -> float:
    """Share of volunteer hours kept for scheduled list visits under the service mode."""
    mode = model.scenario.linkage.service_mode
    return {ServiceMode.ORDER: 0.0, ServiceMode.MIXED: model.scenario.linkage.list_share, ServiceMode.LIST: 1.0}[mode]


def volunteer_skills(model: FiveSocietyModel) -> np.ndarray:
    """Need types a volunteer may serve (routine or severe): the skills volunteers may have."""
    params = model.need_params
    return np.flatnonzero(((params.providers | params.severe_providers) & int(Provider.VOLUNTEER)) > 0)


def recruit(model: FiveSocietyModel, residents: np.ndarray, day: int, initial: bool = False) -> None:
    """Residents ``residents`` become volunteers today."""
    if residents.size == 0:
        return
    v, s = model.scenario.volunteers, model.scenario
    rng = model.streams.skills
    n = residents.size
    types = volunteer_skills(model)
    skill_draw = rng.random((n, types.size))
    skills = ((skill_draw < v.skill_share) * (1 << types)).sum(axis=1)
    motivation = rng.beta(2.0, 2.0, n)
    patrol = rng.random(n) < s.linkage.discovery.patrol_share
    patrol_hours = np.where(patrol, s.linkage.discovery.patrol_hours_per_week, 0.0)
    service = np.maximum(0.0, v.hours_per_week - patrol_hours) * (1.0 - list_reserve_share(model))
    population = model.population
    slots = model.volunteers.add(
        n, resident=residents, community=population.community[residents], area=population.community[residents], x_m=population.x_m[residents],
        y_m=population.y_m[residents], hours_per_week=v.hours_per_week, refill_per_week=service,
        skills=skills, motivation=motivation, patrol=patrol, joined_day=day, left_day=-1,
        quit_threshold=model.streams.quitting.exponential(1.0, n), initial=initial,
    )
    population.is_volunteer[residents] = True
    model.add_volunteer_agents(slots)


def step(model: FiveSocietyModel, day: int) -> None:
    """Refill hours (volunteers' by how organised they are), let volunteers quit, recruit new ones."""
    model.volunteers.refill(activation(model))
    model.social_workers.refill()
    model.professionals.refill()
    _quit(model, day)
    _recruit_daily(model, day)


def activation(model: FiveSocietyModel) -> np.ndarray:
    """Share of its pledge each volunteer gives today: full when organised, ``unorganised_activation`` when not.

    Social workers organise and supervise volunteers and hub organisations coordinate them
    (source: seed, Shuyang: social workers are the support, volunteers assist); a community's
    organised share is what its supervision and coordination hours can cover.
    """
    low = model.scenario.volunteers.unorganised_activation
    organised = model.organised_share()[model.volunteers.view("community")]
    return low + (1.0 - low) * organised


def end_of_day(model: FiveSocietyModel) -> None:
    """Update utilisation and points from the hours given today."""
    pool = model.volunteers
    n = pool.size
    daily = np.maximum(pool.refill_per_week[:n] / 7.0, 1e-9)
    used = np.minimum(1.0, pool.given_today[:n] / daily)
    pool.load[:n] += (used - pool.load[:n]) / LOAD_MEMORY_DAYS
    if model.scenario.linkage.points_enabled:
        pool.points[:n] += pool.given_today[:n] * POINTS_PER_HOUR


def quit_hazard(model: FiveSocietyModel) -> np.ndarray:
    """Today's quitting hazard of every volunteer slot."""
    v, link = model.scenario.volunteers, model.scenario.linkage
    pool = model.volunteers
    n = pool.size
    base = -np.log1p(-v.quit_rate_per_year) / 365.0
    overload = 1.0 + (v.overload_quit_multiplier - 1.0) * pool.load[:n] ** 2
    supervised = model.supervised_share()[pool.community[:n]]
    supervision = 1.0 - v.supervision_quit_reduction * supervised
    points = 1.0 - link.points_quit_reduction if link.points_enabled else 1.0
    motivation = 1.5 - pool.motivation[:n]
    return base * overload * supervision * points * motivation


def _quit(model: FiveSocietyModel, day: int) -> None:
    pool = model.volunteers
    n = pool.size
    if n == 0:
        return
    active = pool.active[:n]
    pool.quit_hazard[:n] += np.where(active, quit_hazard(model), 0.0)
    leaving = np.flatnonzero(active & (pool.quit_hazard[:n] >= pool.quit_threshold[:n]))
    if leaving.size:
        pool.active[leaving] = False
        pool.left_day[leaving] = day
        pool.bank[leaving] = 0.0
        model.population.is_volunteer[pool.resident[leaving]] = False
        model.remove_volunteer_agents(leaving)


def _recruit_daily(model: FiveSocietyModel, day: int) -> None:
    v, link = model.scenario.volunteers, model.scenario.linkage
    rng = model.streams.recruitment
    boost = 1.0 + link.points_recruit_boost if link.points_enabled else 1.0
    for c, adults in enumerate(model.adults_by_community):
        eligible = adults.size - int(np.count_nonzero(model.population.is_volunteer[adults]))
        rate = (v.recruit_rate_per_year * eligible / 365.0 + model.hub_hours_per_week[c] / 7.0 / v.hours_per_recruit_coordination) * boost
        count = rng.poisson(rate)
        if count and eligible:
            candidates = adults[rng.integers(0, adults.size, 4 * count)]
            candidates = candidates[~model.population.is_volunteer[candidates]]
            _, first = np.unique(candidates, return_index=True)
            fresh = candidates[np.sort(first)][:count]
            recruit(model, fresh, day)


def initial_volunteers(model: FiveSocietyModel) -> None:
    """Each community's initial volunteers, drawn from its adults."""
    rng = model.streams.recruitment
    for community, adults in zip(model.scenario.communities.values(), model.adults_by_community):
        count = min(community.volunteers, adults.size)
        recruit(model, np.sort(rng.choice(adults, size=count, replace=False)), day=0, initial=True)


def adults(model: FiveSocietyModel, community: int) -> np.ndarray:
    """Residents of a community who may volunteer (working age and elderly)."""
    members = model.population.members(community)
    return members[model.population.group[members] != Group.CHILD]

"""Yuan into capacity: what each budget line buys in a period, and who gets it.

Station yuan pay street social workers (full-time equivalents, plus the base workers), split by
head count into case-work, outreach and supervision hours; hub awards buy hub organisations'
coordination hours; purchased services buy each community's pooled professional contract;
demonstration yuan open programmes on their real schedule. ``convert`` computes the purchase,
``apply`` puts it into the provider pools and programmes and returns the weekly ``Capacity``.

Reads ``conversion.*``, ``social_workers.*``, ``organizations.hub_orgs``, ``organizations.service_orgs``
and ``schedules``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.core.records import OrgKind
from sim.core.state import Capacity

if TYPE_CHECKING:
    from sim.core.state import DistrictState
    from sim.needs import Programme
    from sim.scenario import Scenario

WEEKS_PER_YEAR = 52.0


@dataclass(frozen=True)
class Purchase:
    """What one period's yearly-rate allocation buys."""

    street_fte: np.ndarray                # social workers per street (full-time equivalents)
    capacity: Capacity                    # outreach, supervision and coordination hours per community
    professional_hours_per_week: np.ndarray  # purchased-services contract hours per community
    funded_share: np.ndarray              # share of the year's weeks demonstration money opens, per community


def full_year_yuan(name: Programme, scenario: Scenario) -> float:
    """What a programme's whole schedule (``scenario.schedules``) costs for a year."""
    opening = scenario.schedules.of(name)
    return opening.places_per_day * opening.days_per_week * WEEKS_PER_YEAR * scenario.conversion.yuan_per_place_day


def has_recipient(state: DistrictState, scenario: Scenario, line: str) -> np.ndarray:
    """Communities where a budget line can be spent (1.0) or not (0.0)."""
    n, org = state.communities, scenario.organizations
    if line == "demonstration":
        return np.array([any(r.community == c for r in state.programmes) for c in range(n)], dtype=float)
    if line == "hub_awards":
        return np.full(n, float(org.hub_orgs > 0))
    if line == "purchased_services":
        return np.full(n, float(org.service_orgs > 0))
    return np.ones(n)


def usable_yuan_per_year(state: DistrictState, scenario: Scenario, line: str) -> np.ndarray:
    """The most a line can turn into capacity in each community a year (inf: no limit).

    Demonstration money opens programmes on their real schedule; more than every week of the
    year of every programme cannot be used, so it is not disbursed.
    """
    n = state.communities
    if line != "demonstration":
        return np.full(n, np.inf)
    full = np.zeros(n)
    for run in state.programmes:
        full[run.community] += full_year_yuan(run.name, scenario)
    return full


def convert(state: DistrictState, scenario: Scenario, yuan_per_year: dict[str, np.ndarray]) -> Purchase:
    """What this period's yearly-rate allocation buys."""
    conv, sw, streets = scenario.conversion, scenario.social_workers, state.streets
    street_yuan = np.bincount(streets.street_of, weights=yuan_per_year["stations"], minlength=len(streets.members))
    street_fte = street_yuan / conv.yuan_per_social_worker_year + sw.base_workers * np.array([m.size for m in streets.members])
    hours = street_fte[streets.street_of] * streets.resident_share * sw.hours_per_week  # street hours by head count
    capacity = Capacity(
        outreach_hours_per_week=hours * sw.outreach_share,
        supervision_hours_per_week=hours * max(0.0, 1.0 - sw.casework_share - sw.outreach_share),
        hub_hours_per_week=yuan_per_year["hub_awards"] / conv.yuan_per_hub_hour / WEEKS_PER_YEAR,
    )
    professional = yuan_per_year["purchased_services"] / conv.yuan_per_professional_hour / WEEKS_PER_YEAR
    full = usable_yuan_per_year(state, scenario, "demonstration")
    funded = np.divide(yuan_per_year["demonstration"], full, out=np.zeros_like(full), where=full > 0)
    return Purchase(street_fte, capacity, professional, funded)


def apply(state: DistrictState, scenario: Scenario, purchase: Purchase) -> Capacity:
    """Put a purchase into the providers: staff streets, set contracts and coordination, open programmes."""
    for street, workers in enumerate(purchase.street_fte):
        _staff_social_workers(state, scenario, street, float(workers))
    for organization in state.organizations:
        if organization.kind == OrgKind.HUB:
            hub = purchase.capacity.hub_hours_per_week[organization.community]
            organization.coordination_hours_per_week = hub / scenario.organizations.hub_orgs
        elif organization.professional_slot is not None:
            slot, hours = organization.professional_slot, purchase.professional_hours_per_week[organization.community]
            state.professionals.hours_per_week[slot] = hours
            state.professionals.refill_per_week[slot] = hours
    for run in state.programmes:
        run.funded_share = float(min(1.0, purchase.funded_share[run.community]))
    refresh_places(state)
    return purchase.capacity


def _staff_social_workers(state: DistrictState, scenario: Scenario, street: int, fte: float) -> None:
    """A street's station social workers: based at its station, serving every community of the street."""
    slots = state.streets.social_worker_slots[street]
    needed = math.ceil(fte - 1e-9)
    blocks = [state.layout.blocks[c] for c in state.streets.members[street]]
    home = next((b for b in blocks if b.station is not None), blocks[0])
    base = home.station or home.service_point
    while len(slots) < needed:
        x_m, y_m = ((np.array(base) + 0.5) * state.layout.cell_size_m).tolist()
        slot = int(state.social_workers.add(1, community=home.index, area=street, x_m=x_m, y_m=y_m)[0])
        slots.append(slot)
        state.changes.social_workers_added.append((slot, base))
    sw = scenario.social_workers
    for i, slot in enumerate(slots):
        hours = fte * sw.hours_per_week / needed if i < needed else 0.0
        state.social_workers.hours_per_week[slot] = hours
        state.social_workers.refill_per_week[slot] = hours * sw.casework_share
        state.social_workers.active[slot] = i < needed


def refresh_places(state: DistrictState) -> None:
    """Places a programme opens with (a funded day's, else its own sessions'), times deliberation weights."""
    for run in state.programmes:
        run.places = (run.funded_places if run.funded_share > 0 else run.base_places) * run.weight


def area_of(state: DistrictState, pool: object, communities: np.ndarray) -> np.ndarray:
    """The area key a provider of ``pool`` must share with needs of ``communities``: the street for social workers."""
    return state.streets.street_of[communities] if pool is state.social_workers else communities

"""The district's state: everything a day's phases read and change, in one typed object.

The phases (``sim.core.day.PHASES``) are functions ``(state, scenario, day)``; the Mesa model
(``sim.model.FiveSocietyModel``) is a view over a ``DistrictState`` that applies ``changes`` to its
agents after each day. Nothing here imports Mesa.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from sim.core.records import Committee, Fund, Organisation, ProgrammeRun, VisitRegister

if TYPE_CHECKING:
    from sim.core.nearby import VolunteerIndex
    from sim.core.pools import ContractPool, HoursPool, VolunteerPool
    from sim.arrivals import Arrivals, NeedParameters
    from sim.households import Households
    from sim.lifecycle import Tally
    from sim.needs import NeedTable
    from sim.policies.discovery import CadenceRounds, Outreach
    from sim.population import Population
    from sim.rng import Streams
    from sim.world import Layout


@dataclass
class FundingLedger:
    """Each line's yearly-rate allocation this period and the government money paid so far, per community."""

    yuan_per_year: dict[str, np.ndarray]
    capacity_spent_yuan: np.ndarray
    seed_spent_yuan: np.ndarray

    @property
    def spent_yuan(self) -> np.ndarray:
        """Government money disbursed so far, per community."""
        return self.capacity_spent_yuan + self.seed_spent_yuan


@dataclass
class Streets:
    """Communities grouped into streets (街道): station social workers serve their whole street."""

    street_of: np.ndarray               # street of each community
    members: list[np.ndarray]           # communities of each street
    resident_share: np.ndarray          # each community's share of its street's residents
    social_worker_slots: list[list[int]] = field(default_factory=list)  # pool slots of each street's workers


@dataclass
class Capacity:
    """What this period's money buys, per week: the paid hours the phases draw on (``sim.policies.funding``)."""

    outreach_hours_per_week: np.ndarray      # social workers' outreach, per community
    supervision_hours_per_week: np.ndarray   # social workers' volunteer supervision, per community
    hub_hours_per_week: np.ndarray           # hub organisations' coordination, per community


@dataclass
class Effort:
    """Running counts of activities and of hours given outside matched services."""

    activities_held: int = 0
    person_times_served: int = 0
    regular_attendance: int = 0
    list_visits: int = 0
    organization_hours: float = 0.0
    patrol_hours: float = 0.0
    social_worker_other_hours: float = 0.0


@dataclass
class ViewChanges:
    """What changed today that the Mesa view shows: volunteers added, moved (to a resident's home), removed; social workers added."""

    volunteers_added: list[int] = field(default_factory=list)
    volunteers_removed: list[int] = field(default_factory=list)
    volunteer_moves: list[tuple[int, int]] = field(default_factory=list)  # (slot, resident)
    social_workers_added: list[tuple[int, tuple[int, int]]] = field(default_factory=list)  # (slot, base cell)

    def clear(self) -> None:
        """Forget the changes once the view has applied them."""
        self.volunteers_added.clear()
        self.volunteers_removed.clear()
        self.volunteer_moves.clear()
        self.social_workers_added.clear()


@dataclass
class MatchingCache:
    """The dispatcher's volunteer index and the roster version it was last brought up to."""

    index: VolunteerIndex | None = None
    roster_version: int = -1


@dataclass
class DistrictState:
    """Population, needs, providers, ledgers, capacity and effort counters of one run."""

    streams: Streams
    layout: Layout
    population: Population
    need_params: NeedParameters
    arrivals: Arrivals
    needs: NeedTable
    tally: Tally
    listed: np.ndarray                 # residents on the routine-visit list
    listed_ids: np.ndarray
    households: Households
    register: VisitRegister
    rounds: CadenceRounds
    outreach: Outreach
    adults_by_community: list[np.ndarray]
    expected_need_hours: np.ndarray    # expected yearly hour-equivalents of need, per community
    volunteers: VolunteerPool
    social_workers: HoursPool
    professionals: ContractPool
    streets: Streets
    committees: list[Committee]
    funds: list[Fund]
    organizations: list[Organisation]
    programmes: list[ProgrammeRun]
    work_units: np.ndarray
    funding: FundingLedger
    capacity: Capacity
    unmet_by_compound: np.ndarray
    met_by_compound: np.ndarray
    effort: Effort = field(default_factory=Effort)
    sessions_today: list[ProgrammeRun] = field(default_factory=list)
    roster_version: int = 0            # bumped whenever volunteers join or leave
    matching: MatchingCache = field(default_factory=MatchingCache)
    changes: ViewChanges = field(default_factory=ViewChanges)

    @property
    def communities(self) -> int:
        """Number of communities."""
        return len(self.committees)

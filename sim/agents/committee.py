"""CommunityCommittee: the resident committee that coordinates, runs the service point and records performance.

The committee also keeps the register of screened households (走访台账, ``VisitRegister``) and the
stock of hours its representatives (居民代表, unpaid residents) and its staff (社区工作者, paid) can
give to contacts, visits and meetings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from mesa.discrete_space import Cell, FixedAgent

if TYPE_CHECKING:
    from sim.model import FiveSocietyModel


class CommunityCommittee(FixedAgent):
    """Collects reports, dispatches providers, and keeps the community's record."""

    def __init__(self, model: FiveSocietyModel, community: int, name: str, cell: Cell, prior_coverage: float) -> None:
        super().__init__(model)
        self.community = community
        self.name = name
        self.cell = cell
        self.period_met = 0
        self.period_unmet = 0
        self.last_coverage = prior_coverage
        self.meetings_held = 0

    @property
    def representatives(self) -> int:
        """Resident representatives (居民代表) of the community."""
        return int(self.model.rounds.representatives[self.community])

    @property
    def staff(self) -> float:
        """Committee staff (社区工作者) of the community, full-time equivalents."""
        return float(self.model.rounds.staff[self.community])

    def record_closures(self, met: int, unmet: int) -> None:
        """Count needs closed this funding period."""
        self.period_met += met
        self.period_unmet += unmet

    def close_period(self) -> float:
        """Coverage of the period just ended (kept when nothing closed); resets the counters."""
        closed = self.period_met + self.period_unmet
        if closed:
            self.last_coverage = self.period_met / closed
        self.period_met = self.period_unmet = 0
        return self.last_coverage


NEVER_SCREENED_DAY = -100_000  # a day long before any run: never on the register


class VisitRegister:
    """走访台账: the day each household was last screened by a home visit or outreach."""

    def __init__(self, households: int) -> None:
        self.screened_day = np.full(households, NEVER_SCREENED_DAY, dtype=np.int64)

    def record(self, households: np.ndarray, day: int) -> None:
        """Households screened on ``day``."""
        self.screened_day[households] = day

    def on_register(self) -> np.ndarray:
        """Households screened at least once."""
        return self.screened_day > NEVER_SCREENED_DAY

    def strength(self, households: np.ndarray, day: int, memory_days: float) -> np.ndarray:
        """exp(-days since screening / memory) for households screened before ``day``, else 0."""
        age = day - self.screened_day[households]
        return np.where((age >= 1) & (self.screened_day[households] > NEVER_SCREENED_DAY),
                        np.exp(-np.maximum(age, 0) / memory_days), 0.0)

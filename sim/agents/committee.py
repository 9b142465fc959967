"""CommunityCommittee: the resident committee that coordinates, runs the service point and records performance."""

from __future__ import annotations

from typing import TYPE_CHECKING

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

"""CommunityCommittee: the resident committee that coordinates, runs the service point and records performance.

The agent is a view of a ``sim.core.records.Committee``. The committee also keeps the register of
screened households (走访台账, ``VisitRegister``, in ``state.register``) and the stock of hours its
representatives (居民代表, unpaid residents) and its staff (社区工作者, paid) can give to contacts,
visits and meetings (``state.rounds``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mesa.discrete_space import Cell, FixedAgent

from sim.core.records import NEVER_SCREENED_DAY, Committee, VisitRegister

if TYPE_CHECKING:
    from sim.model import FiveSocietyModel

__all__ = ["NEVER_SCREENED_DAY", "CommunityCommittee", "VisitRegister"]


class CommunityCommittee(FixedAgent):
    """Collects reports, dispatches providers, and keeps the community's record (a view of ``record``)."""

    model: FiveSocietyModel

    def __init__(self, model: FiveSocietyModel, record: Committee, cell: Cell) -> None:
        super().__init__(model)
        self.record = record
        self.cell = cell

    @property
    def community(self) -> int:
        """Index of the community."""
        return self.record.community

    @property
    def name(self) -> str:
        """The community's name."""
        return self.record.name

    @property
    def last_coverage(self) -> float:
        """Coverage of the last closed funding period."""
        return self.record.last_coverage

    @property
    def meetings_held(self) -> int:
        """Residents' meetings held so far."""
        return self.record.meetings_held

    @property
    def representatives(self) -> int:
        """Resident representatives (居民代表) of the community."""
        return int(self.model.rounds.representatives[self.community])

    @property
    def staff(self) -> float:
        """Committee staff (社区工作者) of the community, full-time equivalents."""
        return float(self.model.rounds.staff[self.community])

"""SocialWorker: a professional based at a station or service point; state in ``model.social_workers``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mesa.discrete_space import Cell, CellAgent

if TYPE_CHECKING:
    from sim.model import FiveSocietyModel


class SocialWorker(CellAgent):
    """A social worker: case work for severe needs, outreach, volunteer supervision."""

    def __init__(self, model: FiveSocietyModel, slot: int, cell: Cell) -> None:
        super().__init__(model)
        self.slot = slot
        self.base = cell
        self.cell = cell

    @property
    def hours_per_week(self) -> float:
        """Funded hours a week."""
        return float(self.model.social_workers.hours_per_week[self.slot])

    @property
    def hours_given(self) -> float:
        """Case-work hours given so far."""
        return float(self.model.social_workers.given[self.slot])

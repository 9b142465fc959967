"""Resident: one entry of the population arrays, placed in its home cell."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mesa.discrete_space import Cell, FixedAgent

from sim.needs import Group

if TYPE_CHECKING:
    from sim.model import FiveSocietyModel


class Resident(FixedAgent):
    """A resident; attributes are read from ``model.population``."""

    def __init__(self, model: FiveSocietyModel, index: int, cell: Cell) -> None:
        super().__init__(model)
        self.index = index
        self.cell = cell

    @property
    def group(self) -> Group:
        """Age group."""
        return Group(int(self.model.population.group[self.index]))

    @property
    def disabled(self) -> bool:
        """Has a disability."""
        return bool(self.model.population.disabled[self.index])

    @property
    def hardship(self) -> bool:
        """Lives in a hardship household."""
        return bool(self.model.population.hardship[self.index])

    @property
    def digital(self) -> bool:
        """Can report needs online."""
        return bool(self.model.population.digital[self.index])

    @property
    def community(self) -> int:
        """Index of the home community."""
        return int(self.model.population.community[self.index])

    @property
    def satisfaction(self) -> float:
        """Satisfaction with community services, 0 to 1."""
        return float(self.model.population.satisfaction[self.index])

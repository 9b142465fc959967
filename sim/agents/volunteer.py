"""Volunteer: a resident who gives time; state in ``model.volunteers`` (a ``VolunteerPool``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mesa.discrete_space import Cell, CellAgent

from sim.core.records import Team

if TYPE_CHECKING:
    from sim.model import FiveSocietyModel


class Volunteer(CellAgent):
    """A volunteer; moves to the home of the resident it last served."""

    def __init__(self, model: FiveSocietyModel, slot: int, cell: Cell) -> None:
        super().__init__(model)
        self.slot = slot
        self.cell = cell

    @property
    def resident(self) -> int:
        """The resident this volunteer is."""
        return int(self.model.volunteers.resident[self.slot])

    @property
    def hours_per_week(self) -> float:
        """Pledged hours a week."""
        return float(self.model.volunteers.hours_per_week[self.slot])

    @property
    def points(self) -> float:
        """Points earned (when the points incentive is on)."""
        return float(self.model.volunteers.points[self.slot])

    @property
    def patrol(self) -> bool:
        """In a patrol team (active discovery)."""
        return bool(self.model.volunteers.patrol[self.slot])

    @property
    def team(self) -> Team:
        """The team this volunteer works in: the patrol team (active discovery) or the service team."""
        return Team.PATROL if self.patrol else Team.SERVICE

    @property
    def skills(self) -> int:
        """Bit mask of need types this volunteer can serve."""
        return int(self.model.volunteers.skills[self.slot])

    @property
    def motivation(self) -> float:
        """Motivation, 0 to 1; low motivation raises the quitting hazard."""
        return float(self.model.volunteers.motivation[self.slot])

"""SocialOrganization: a hub-type or service-type community social organisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mesa.discrete_space import Cell, FixedAgent

if TYPE_CHECKING:
    from sim.model import FiveSocietyModel


@dataclass
class ProgrammeRun:
    """A group programme (canteen, day care, classes, market) and its places per session."""

    name: str
    community: int
    need_types: tuple[int, ...]
    places: float
    sessions_per_week: float
    venue: tuple[int, int]
    weight: float = 1.0
    served_today: int = 0

    def has_session(self, day: int) -> bool:
        """Sessions are spread evenly over the week."""
        rate = self.sessions_per_week / 7.0
        return int((day + 1) * rate) > int(day * rate)

    def need_places(self, occupancy: float) -> int:
        """Places left for residents with a recorded need after regular attendees."""
        total = int(self.places)
        return total - round(total * occupancy)


class SocialOrganization(FixedAgent):
    """Runs programmes (service type) or coordinates volunteers (hub type)."""

    def __init__(self, model: FiveSocietyModel, kind: str, community: int, cell: Cell) -> None:
        super().__init__(model)
        self.kind = kind  # "hub" or "service"
        self.community = community
        self.cell = cell
        self.programmes: list[ProgrammeRun] = []
        self.professional_slot: int | None = None
        self.coordination_hours_per_week = 0.0

"""SocialOrganization: a hub-type or service-type community social organisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mesa.discrete_space import Cell, FixedAgent

if TYPE_CHECKING:
    from sim.model import FiveSocietyModel


@dataclass
class ProgrammeRun:
    """A group programme (canteen, day care, classes, market): its opening days and places.

    ``places`` is what an opening holds (a funded day's places when money opens it, else its own
    sessions'), times the deliberation weight; ``open_places`` is today's.

    Two kinds of session: the organisation's own (``base_places`` at ``sessions_per_week``,
    spread evenly over the week) and, in the weeks demonstration money pays for
    (``funded_share`` of the weeks, spread evenly over the year), the programme's real schedule
    (``days_per_week`` days, ``funded_places`` places a day).
    """

    name: str
    community: int
    need_types: tuple[int, ...]
    places: float
    sessions_per_week: float
    venue: tuple[int, int]
    weight: float = 1.0
    served_today: int = 0
    base_places: float = 0.0
    days_per_week: int = 0
    funded_places: float = 0.0
    funded_share: float = 0.0
    open_places: float = 0.0  # places open today (0 on a closed day)

    def funded_open(self, day: int) -> bool:
        """An opening day of a funded week: the programme's weekdays in the weeks the money pays for."""
        week, share = day // 7, self.funded_share
        return day % 7 < self.days_per_week and int((week + 1) * share + 1e-9) > int(week * share + 1e-9)

    def has_session(self, day: int) -> bool:
        """The organisation's own sessions, spread evenly over the week."""
        rate = self.sessions_per_week / 7.0
        return int((day + 1) * rate) > int(day * rate)

    def places_on(self, day: int) -> float:
        """Places open today: a funded opening day's, else an own session's, else none (times the deliberation weight)."""
        if self.funded_open(day):
            return max(self.funded_places, self.base_places) * self.weight
        return self.base_places * self.weight if self.has_session(day) else 0.0

    def need_places(self, occupancy: float) -> int:
        """Places left for residents with a recorded need after regular attendees."""
        total = int(self.open_places)
        return total - round(total * occupancy)


class SocialOrganization(FixedAgent):
    """Runs programmes (service type) or coordinates volunteers (hub type)."""

    def __init__(self, model: FiveSocietyModel, kind: str, community: int, cell: Cell) -> None:
        super().__init__(model)
        self.kind = kind  # "hub" or "service"
        self.community = community
        self.cell = cell
        self.programmes: list[ProgrammeRun] = []
        self.professional_slot: int | None = None  # the community's pooled purchased-services contract
        self.coordination_hours_per_week = 0.0

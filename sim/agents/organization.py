"""SocialOrganization: a hub-type or service-type community social organisation, a view of a ``sim.core.records.Organisation``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mesa.discrete_space import Cell, FixedAgent

from sim.core.records import Organisation, OrgKind, ProgrammeRun

if TYPE_CHECKING:
    from sim.model import FiveSocietyModel

__all__ = ["ProgrammeRun", "SocialOrganization"]


class SocialOrganization(FixedAgent):
    """Runs programmes (service type) or coordinates volunteers (hub type)."""

    def __init__(self, model: FiveSocietyModel, record: Organisation, cell: Cell) -> None:
        super().__init__(model)
        self.record = record
        self.cell = cell

    @property
    def kind(self) -> OrgKind:
        """Hub or service organisation."""
        return self.record.kind

    @property
    def community(self) -> int:
        """Index of the community."""
        return self.record.community

    @property
    def programmes(self) -> list[ProgrammeRun]:
        """The programmes it runs."""
        return self.record.programmes

    @property
    def professional_slot(self) -> int | None:
        """The community's pooled purchased-services contract (service organisations)."""
        return self.record.professional_slot

    @property
    def coordination_hours_per_week(self) -> float:
        """Hub coordination hours a week (hub organisations)."""
        return self.record.coordination_hours_per_week

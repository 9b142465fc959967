"""The model SolaraViz re-creates on Reset: the scenario file plus the levers the controls moved."""

from __future__ import annotations

from typing import Protocol

from sim.model import FiveSocietyModel
from sim.viz.levers import Settings, build_scenario


class SettingsSource(Protocol):
    """Anything holding the current settings in ``.value`` (a ``solara.Reactive[Settings]``)."""

    @property
    def value(self) -> Settings: ...


class ClassroomModel(FiveSocietyModel):
    """A ``FiveSocietyModel`` built from the controls' current settings; stops after the scenario's days.

    SolaraViz calls ``ClassroomModel(**model_params)`` on Reset. The settings come in as a
    per-session holder read at construction time, so Reset builds what the controls say now.
    """

    def __init__(self, settings: Settings | SettingsSource, seed: int | None = None) -> None:
        current = settings if isinstance(settings, Settings) else settings.value
        scenario, overrides = build_scenario(current)
        super().__init__(scenario, seed=seed)
        self.settings = current
        self.overrides = overrides

    def step(self) -> None:
        """One day; the run stops (``running`` False) after the scenario's last day."""
        super().step()
        if self.steps >= self.scenario.days:
            self.running = False

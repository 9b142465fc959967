"""The classroom's model: the scenario file plus the moved levers, with a day-by-day closure history.

The history (cumulative met and closed needs, overall and by group, one row per day) lets the
charts show coverage over a rolling window without rescanning the need table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.lifecycle import GROUP_FLAGS
from sim.model import FiveSocietyModel
from sim.viz.levers import Settings, build_scenario

GROUPS = ("all", *GROUP_FLAGS)
WINDOW_DAYS = 30
MIN_CLOSED = 10  # fewer closures than this: no coverage figure for that group (a share of <10 jumps by >10 points) [choice]


class ClassroomModel(FiveSocietyModel):
    """A ``FiveSocietyModel`` built from the controls' settings; stops after the scenario's days."""

    def __init__(self, settings: Settings, seed: int | None = None) -> None:
        scenario, overrides = build_scenario(settings)
        super().__init__(scenario, seed=seed)
        self.settings = settings
        self.overrides = overrides
        # row d: cumulative (met, closed) per group after day d; row 0 = before day 1
        self.closures = np.zeros((scenario.days + 1, len(GROUPS), 2), dtype=np.int64)

    def step(self) -> None:
        """One day; the run stops (``running`` False) after the scenario's last day."""
        super().step()
        if self.steps <= self.scenario.days:
            met, unmet = self.tally.met, self.tally.unmet
            self.closures[self.steps] = [(met[g], met[g] + unmet[g]) for g in GROUPS]
        if self.steps >= self.scenario.days:
            self.running = False

    @property
    def day(self) -> int:
        """Days simulated so far."""
        return min(self.steps, self.scenario.days)


@dataclass(frozen=True, eq=False)
class ModelView:
    """What the page shows of a model after a day, copied so that drawing never reads a model mid-step.

    Compared by identity (a new day is a new view).
    """

    day: int
    days: int
    closures: np.ndarray           # rows 0..day of ``ClassroomModel.closures``
    series: dict[str, list[float]]  # the daily series, days 1..day
    states: str                     # ``sim.viz.mapview.map_states``
    providers: str                  # ``sim.viz.mapview.map_providers``
    needs_arisen: int


def snapshot(model: ClassroomModel) -> ModelView:
    """The model as the page shows it now (call between steps)."""
    from sim.viz.mapview import map_providers, map_states

    day = model.day
    series = {key: [float(v) for v in values[:day]] for key, values in model.datacollector.model_vars.items()}
    return ModelView(day, model.scenario.days, model.closures[: day + 1].copy(), series, map_states(model),
                     map_providers(model), int(model.needs.size))


def rolling_coverage(model: ClassroomModel | ModelView, group: str = "all", window_days: int = WINDOW_DAYS,
                     min_closed: int = MIN_CLOSED) -> list[float | None]:
    """Met share of needs closed in the last ``window_days`` days, for day 1..today.

    None before the window is full (day < ``window_days``) and when fewer than ``min_closed`` closed.
    """
    rows = model.closures[: model.day + 1, GROUPS.index(group)]
    days = np.arange(1, model.day + 1)
    start = np.maximum(days - window_days, 0)
    met = rows[1:, 0] - rows[start, 0]
    closed = rows[1:, 1] - rows[start, 1]
    return [float(m / c) if c >= min_closed and day >= window_days else None
            for day, m, c in zip(days.tolist(), met.tolist(), closed.tolist())]


def closed_in_window(model: ClassroomModel | ModelView, group: str = "all", window_days: int = WINDOW_DAYS) -> int:
    """Needs of ``group`` closed (met or unmet) in the last ``window_days`` days."""
    day = model.day
    rows = model.closures[:, GROUPS.index(group), 1]
    return int(rows[day] - rows[max(0, day - window_days)])


def coverage_so_far(model: ClassroomModel | ModelView, group: str = "all", min_closed: int = MIN_CLOSED) -> float | None:
    """Met share of needs closed since day 1 (the run's KPI so far); None while fewer than ``min_closed`` closed."""
    met, closed = model.closures[model.day, GROUPS.index(group)].tolist()
    return met / closed if closed >= min_closed else None


def not_yet_served(view: ModelView) -> int:
    """Open needs nobody is serving today: hidden plus waiting."""
    series = view.series
    if not series.get("needs_waiting"):
        return 0
    return int(series["needs_waiting"][-1] + series["needs_unreported"][-1])

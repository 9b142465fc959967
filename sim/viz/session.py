"""What one browser session runs: one model, or two side by side that differ only in the moved levers.

Side by side, the left model is the scenario file as written and the right one has the levers
the teacher moved. Both are built from the same file and seed, so the named random streams
(``sim.rng``) give them the same residents and the same needs (common random numbers).
"""

from __future__ import annotations

import math
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from collections.abc import Callable
from dataclasses import dataclass, field

from sim.viz.levers import LeverValue, Settings, load_for_class, moved_levers, read_levers, settings_for
from sim.viz.mapview import map_layout
from sim.viz.model import ClassroomModel, ModelView, snapshot

BUSY_AFTER_S = 0.5  # a step slower than this shows the busy indicator
MAX_DAYS_PER_FRAME = 10


def days_per_frame(speed_days_per_s: float, frame_s: float) -> int:
    """Days to step before the next redraw so that Play keeps ``speed_days_per_s`` when a frame takes ``frame_s``.

    One day per redraw while the machine keeps up; more (at most ``MAX_DAYS_PER_FRAME``) when
    drawing is slower than the speed asks.
    """
    return max(1, min(MAX_DAYS_PER_FRAME, math.ceil(speed_days_per_s * frame_s - 1e-9)))


@dataclass
class Session:
    """The models a session steps together, and the lever values the file itself sets."""

    models: tuple[ClassroomModel, ...]
    file_values: dict[str, LeverValue]
    file_budget_yuan: float
    last_step_s: float = 0.0
    views: tuple[ModelView, ...] = ()
    layouts: tuple[str, ...] = ()
    _executor: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=1), repr=False)

    def __post_init__(self) -> None:
        self.views = tuple(snapshot(model) for model in self.models)
        self.layouts = tuple(map_layout(model) for model in self.models)

    @property
    def side_by_side(self) -> bool:
        return len(self.models) == 2

    @property
    def main(self) -> ClassroomModel:
        """The model with the teacher's levers (the right one side by side)."""
        return self.models[-1]

    @property
    def running(self) -> bool:
        return all(model.running for model in self.models)

    @property
    def day(self) -> int:
        """The day the page shows (the last finished step)."""
        return self.views[-1].day

    @property
    def moved(self) -> list[str]:
        """Levers the teacher moved away from the file."""
        return moved_levers(self.file_values, self.main.settings.values)

    def step(self) -> None:
        """One day for every model (nothing once the run is over)."""
        if not self.running:
            return
        started = time.perf_counter()
        for model in self.models:
            model.step()
        self.views = tuple(snapshot(model) for model in self.models)  # one assignment: drawing sees all or nothing
        self.last_step_s = time.perf_counter() - started

    def step_watched(self, on_busy: Callable[[bool], None]) -> None:
        """One day in a worker thread; ``on_busy(True)`` if it takes over ``BUSY_AFTER_S``, then ``on_busy(False)``."""
        try:
            future: Future = self._executor.submit(self.step)
        except RuntimeError:  # closed by Reset while Play was between two days: nothing to step
            return
        try:
            future.result(timeout=BUSY_AFTER_S)
        except FutureTimeout:
            on_busy(True)
            try:
                future.result()
            finally:
                on_busy(False)


    def close(self) -> None:
        """Let the stepping thread end (after a step under way)."""
        self._executor.shutdown(wait=False)


def build_session(settings: Settings, side_by_side: bool) -> Session:
    """A session for these settings: one model, or the file's model and this one side by side."""
    scenario = load_for_class(settings.path)
    file_values, budget_yuan = read_levers(scenario), scenario.budget.total_yuan
    model = ClassroomModel(settings)
    if not side_by_side:
        return Session((model,), file_values, budget_yuan)
    left = ClassroomModel(settings_for(settings.scenarios_dir, settings.scenario_file))
    return Session((left, model), file_values, budget_yuan)

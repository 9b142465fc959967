"""Matplotlib figures of the app: the district map and the daily series.

The figures hold no words, only numbers on the axes: titles and legends are HTML (see
``sim.viz.components``) so that Chinese renders in the browser's fonts on any machine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from sim.agents import SocialWorker  # noqa: E402
from sim.viz.display import DISPLAY_COLOURS, Display  # noqa: E402

if TYPE_CHECKING:
    from sim.model import FiveSocietyModel

MAX_QUIET_DOTS = 20_000  # residents without a need drawn at most; residents with one always are
# marker, size (pt^2), face colour of each kind of site or provider: also used by the HTML legend
MARKERS: dict[str, tuple[str, float, str]] = {
    "marker_volunteer": ("^", 22.0, "#1a9641"),
    "marker_social_worker": ("P", 60.0, "#111111"),
    "marker_service_point": ("*", 220.0, "#ffd92f"),
    "marker_station": ("s", 90.0, "#8c510a"),
    "marker_venue": ("D", 70.0, "#e7298a"),
}
BORDER_COLOUR = "#333333"


def jitter(count: int) -> tuple[np.ndarray, np.ndarray]:
    """Fixed offsets in [0.1, 0.9) of each resident inside its cell (an R2 low-discrepancy sequence)."""
    index = np.arange(count, dtype=float)
    return 0.1 + 0.8 * ((0.5 + index * 0.7548776662) % 1.0), 0.1 + 0.8 * ((0.5 + index * 0.5698402910) % 1.0)


def drawn_residents(states: np.ndarray, limit: int = MAX_QUIET_DOTS) -> np.ndarray:
    """Indices of residents to draw: every one with a need, and an even subset of the rest."""
    quiet = np.flatnonzero(states == Display.NONE)
    if quiet.size > limit:
        quiet = quiet[:: int(np.ceil(quiet.size / limit))]
    busy = np.flatnonzero(states != Display.NONE)
    return np.concatenate([quiet, busy])  # residents with a need drawn last, on top


def map_figure(model: FiveSocietyModel, states: np.ndarray) -> Figure:
    """Residents coloured by display state, providers and sites as markers, community borders."""
    layout = model.layout
    fig = Figure(figsize=(6.0, 6.0 * layout.height / max(layout.width, 1) + 0.2), dpi=90)
    ax = fig.add_subplot()
    _draw_residents(ax, model, states)
    _draw_borders(ax, model)
    _draw_sites(ax, model)
    _draw_providers(ax, model)
    ax.set_xlim(0, layout.width)
    ax.set_ylim(0, layout.height)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    fig.tight_layout(pad=0.3)
    return fig


def _draw_residents(ax: Axes, model: FiveSocietyModel, states: np.ndarray) -> None:
    population = model.population
    dx, dy = jitter(population.size)
    shown = drawn_residents(states)
    palette = np.array([DISPLAY_COLOURS[d] for d in Display])
    side_cells = max(model.layout.width, model.layout.height)
    size = float(np.clip(300.0 / side_cells, 0.3, 8.0))
    ax.scatter(population.cell_x[shown] + dx[shown], population.cell_y[shown] + dy[shown],
               s=np.where(states[shown] == Display.NONE, size, size * 2.5), c=palette[states[shown]],
               linewidths=0, zorder=1)


def _draw_borders(ax: Axes, model: FiveSocietyModel) -> None:
    for block in model.layout.blocks:
        x0, y0, width, height = block.rect
        ax.add_patch(Rectangle((x0, y0), width, height, fill=False, edgecolor=BORDER_COLOUR, linewidth=1.6, zorder=2))


def _sites(model: FiveSocietyModel) -> dict[str, list[tuple[int, int]]]:
    blocks = model.layout.blocks
    return {
        "marker_service_point": [b.service_point for b in blocks],
        "marker_station": [b.station for b in blocks if b.station is not None],
        "marker_venue": [b.venue for b in blocks],
    }


def _draw_sites(ax: Axes, model: FiveSocietyModel) -> None:
    for key, points in _sites(model).items():
        _draw_points(ax, key, np.array(points, dtype=float).reshape(-1, 2) + 0.5, zorder=4)


def _draw_providers(ax: Axes, model: FiveSocietyModel) -> None:
    volunteers = [agent.cell.coordinate for agent in model.volunteer_agents.values()]
    workers = [agent.cell.coordinate for agent in model.agents_by_type.get(SocialWorker, [])
               if model.social_workers.active[agent.slot]]
    offsets = np.column_stack(jitter(len(volunteers)))
    _draw_points(ax, "marker_volunteer", np.array(volunteers, dtype=float).reshape(-1, 2) + offsets, zorder=3)
    _draw_points(ax, "marker_social_worker", np.array(workers, dtype=float).reshape(-1, 2) + 0.85, zorder=5)


def _draw_points(ax: Axes, key: str, xy: np.ndarray, zorder: int) -> None:
    if xy.size == 0:
        return
    marker, size, colour = MARKERS[key]
    ax.scatter(xy[:, 0], xy[:, 1], marker=marker, s=size, c=colour, edgecolors="black", linewidths=0.5, zorder=zorder)


def series_figure(series: Mapping[str, Sequence[float]], keys: Sequence[str], colours: Sequence[str], percent: bool = False) -> Figure:
    """Daily lines of ``keys`` from a DataCollector's model variables (day 1 is the first step)."""
    fig = Figure(figsize=(5.2, 2.6), dpi=90)
    ax = fig.add_subplot()
    for key, colour in zip(keys, colours):
        values = np.asarray(series.get(key, []), dtype=float)
        ax.plot(np.arange(1, values.size + 1), values * (100.0 if percent else 1.0), color=colour, linewidth=1.8,
                marker="o" if values.size == 1 else None)
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0, top=100.0 if percent else None)
    ax.yaxis.set_major_formatter(FuncFormatter(_percent if percent else _short_number))
    ax.grid(alpha=0.3)
    fig.tight_layout(pad=0.4)
    return fig


def _percent(value: float, _position: int) -> str:
    return f"{value:.0f}%"


def _short_number(value: float, _position: int) -> str:
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= scale:
            return f"{value / scale:g}{suffix}"
    return f"{value:g}"

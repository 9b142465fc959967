"""The district map drawn in the browser: the grid once, then one character per resident a day.

``map_layout`` is sent when a model is built (cells, community borders, sites, where each resident
sits); ``map_states`` and ``map_providers`` are sent each day. The canvas (``map.vue``) draws the
grid, borders and sites once, repaints the residents' dots when their states change and moves the
provider markers.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import numpy as np
import reacton.core
import solara

from sim.agents import SocialWorker
from sim.viz.display import DISPLAY_COLOURS, Display, resident_states

if TYPE_CHECKING:
    from sim.model import FiveSocietyModel

# shape and colour of each kind of site or provider (canvas shapes in map.vue; symbols for the legend)
MARKERS: dict[str, tuple[str, str, str]] = {
    "marker_volunteer": ("triangle", "#1a9641", "▲"),
    "marker_social_worker": ("plus", "#111111", "✚"),
    "marker_service_point": ("star", "#ffd92f", "★"),
    "marker_station": ("square", "#8c510a", "■"),
    "marker_venue": ("diamond", "#e7298a", "◆"),
}
BORDER_COLOUR = "#333333"
CANVAS_WIDTH_PX = 600


def jitter(count: int) -> tuple[np.ndarray, np.ndarray]:
    """Fixed offsets in [0.1, 0.9) of each resident inside its cell (an R2 low-discrepancy sequence)."""
    index = np.arange(count, dtype=float)
    return 0.1 + 0.8 * ((0.5 + index * 0.7548776662) % 1.0), 0.1 + 0.8 * ((0.5 + index * 0.5698402910) % 1.0)


def map_layout(model: FiveSocietyModel) -> str:
    """What never changes during a run, as JSON: grid size, borders, sites, resident positions, colours.

    JSON text rather than a dict: the UI library walks every list inside a component's arguments.
    """
    layout, population = model.layout, model.population
    dx, dy = jitter(population.size)
    xy = np.column_stack([population.cell_x + dx, population.cell_y + dy]).round(2).ravel()
    side_cells = max(layout.width, layout.height)
    blocks = layout.blocks
    sites = {"marker_service_point": [b.service_point for b in blocks],
             "marker_station": [b.station for b in blocks if b.station is not None],
             "marker_venue": [b.venue for b in blocks]}
    return json.dumps({
        "width": layout.width, "height": layout.height, "canvas_px": CANVAS_WIDTH_PX,
        "borders": [list(b.rect) for b in blocks], "border_colour": BORDER_COLOUR,
        "sites": [[MARKERS[key][0], MARKERS[key][1], x + 0.5, y + 0.5] for key, points in sites.items() for x, y in points],
        "xy": xy.tolist(), "palette": [DISPLAY_COLOURS[d] for d in Display],
        "dot_px": float(np.clip(CANVAS_WIDTH_PX / side_cells / 9.0, 0.7, 3.0)),
    })


def map_states(model: FiveSocietyModel) -> str:
    """Each resident's display state today, one digit per resident."""
    return (resident_states(model) + ord("0")).astype(np.uint8).tobytes().decode("ascii")


def map_providers(model: FiveSocietyModel) -> str:
    """Where volunteers and working social workers are today (cell units), as JSON."""
    slots = np.array(sorted(model.volunteer_agents), dtype=np.int64)
    volunteers = np.array([model.volunteer_agents[slot].cell.coordinate for slot in slots.tolist()], dtype=float).reshape(-1, 2)
    dx, dy = jitter(int(slots.max()) + 1 if slots.size else 0)
    offsets = np.column_stack([dx[slots], dy[slots]]) if slots.size else np.zeros((0, 2))  # fixed per volunteer
    workers = np.array([agent.cell.coordinate for agent in model.agents_by_type.get(SocialWorker, [])
                        if model.social_workers.active[agent.slot]], dtype=float).reshape(-1, 2) + 0.85
    return json.dumps({"volunteer": [MARKERS["marker_volunteer"][1], (volunteers + offsets).round(2).ravel().tolist(),
                                     slots.tolist()],
                       "worker": [MARKERS["marker_social_worker"][1], workers.round(2).ravel().tolist()]})


@solara.component_vue("map.vue", vuetify=False)
def MapCanvas(geometry: str, states: str, providers: str) -> reacton.core.Element:
    """The canvas map (see ``map.vue``)."""

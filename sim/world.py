"""The district's geometry: community blocks on one grid, their compounds and service sites."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.scenario import Scenario

Rect = tuple[int, int, int, int]  # x0, y0, width, height in cells


@dataclass(frozen=True)
class Block:
    """One community's rectangle of the district grid and the sites inside it."""

    index: int
    name: str
    rect: Rect
    compounds: tuple[Rect, ...]
    service_point: tuple[int, int]
    station: tuple[int, int] | None
    venue: tuple[int, int]


@dataclass(frozen=True)
class Layout:
    """All blocks and the grid's size."""

    width: int
    height: int
    cell_size_m: float
    blocks: tuple[Block, ...]


def block_side_cells(area_km2: float, cell_size_m: float) -> int:
    """Side of a square block of ``area_km2`` in cells (at least 3)."""
    return max(3, math.ceil(math.sqrt(area_km2) * 1000.0 / cell_size_m))


def compound_rects(rect: Rect, count: int) -> tuple[Rect, ...]:
    """Split a block into ``count`` compound rectangles laid out row by row."""
    x0, y0, width, height = rect
    cols = math.ceil(math.sqrt(count))
    rows = math.ceil(count / cols)
    cell_w, cell_h = max(1, width // cols), max(1, height // rows)
    rects = []
    for i in range(count):
        col, row = i % cols, i // cols
        cx = x0 + min(col * cell_w, width - cell_w)
        cy = y0 + min(row * cell_h, height - cell_h)
        rects.append((cx, cy, cell_w, cell_h))
    return tuple(rects)


def build_layout(scenario: Scenario) -> Layout:
    """Place community blocks on shelves, left to right, about sqrt(n) to a row."""
    names = list(scenario.communities)
    per_row = math.ceil(math.sqrt(len(names)))
    blocks, x, y, row_height, width = [], 0, 0, 0, 0
    for index, name in enumerate(names):
        community = scenario.communities[name]
        side = block_side_cells(community.area_km2, scenario.cell_size_m)
        if index and index % per_row == 0:
            x, y, row_height = 0, y + row_height, 0
        blocks.append(_block(index, name, (x, y, side, side), community.compounds, community.has_station))
        x += side
        row_height, width = max(row_height, side), max(width, x)
    return Layout(width, y + row_height, scenario.cell_size_m, tuple(blocks))


def _block(index: int, name: str, rect: Rect, compounds: int, has_station: bool) -> Block:
    x0, y0, width, height = rect
    centre = (x0 + width // 2, y0 + height // 2)
    station = (centre[0] + 1, centre[1]) if has_station else None
    venue = (centre[0], min(y0 + height - 1, centre[1] + 1))
    return Block(index, name, rect, compound_rects(rect, compounds), centre, station, venue)

"""Work bounded before it starts: the grid's cell budget and a run's memory, from the scenario alone.

Memory per run was measured on this project's 2-core Linux machine (Python 3.11, Mesa 3.3.1,
November 2026) as the growth of peak RSS (``resource.getrusage``) over an idle process that had
imported the model, for one year of the baseline scenario at several sizes:

==========  ============  ==========  ==============
residents   grid cells    volunteers  peak RSS growth
==========  ============  ==========  ==============
10,000      400           300         9.2 MB
100,000     400           3,000       67.9 MB
200,000     400           6,000       131.9 MB
10,000      10,000        300         20.5 MB
10,000      40,000        300         58.6 MB
10,000      400           30,000      16.8 MB
==========  ============  ==========  ==============

Per resident: (131.9 - 67.9) MB / 100,000 residents (with 3,000 volunteers) = 0.66 KB; per cell:
(58.6 - 20.5) MB / 30,000 cells = 1.27 KB; per volunteer: (16.8 - 9.2) MB / 29,700 = 0.26 KB.
The estimate rounds these up (0.8 KB, 1.4 KB, 0.4 KB: needs pile up over longer runs) and adds
the interpreter with numpy, scipy, pandas and Mesa loaded (~190 MB measured). It is a guard
against runs that cannot fit, not a prediction to the megabyte.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

from sim.errors import ScenarioError
from sim.scenario import Scenario
from sim.world import block_side_cells

MAX_GRID_CELLS = 4_000_000  # ~5.6 GB of grid at 1.4 KB a cell: beyond it, coarser cells are the answer
BYTES_PER_RESIDENT = 800
BYTES_PER_CELL = 1_400
BYTES_PER_VOLUNTEER = 400
BASE_BYTES = 200 * 2**20
GB = 2**30


@dataclass(frozen=True)
class Size:
    """What a scenario builds: residents, volunteers and grid cells."""

    residents: int
    volunteers: int
    cells: int

    @property
    def memory_bytes(self) -> int:
        """Estimated peak memory of one run (see the module docstring for the arithmetic)."""
        return (BASE_BYTES + BYTES_PER_RESIDENT * self.residents + BYTES_PER_CELL * self.cells
                + BYTES_PER_VOLUNTEER * self.volunteers)


def scenario_size(scenario: Scenario) -> Size:
    """Residents, volunteers and grid cells of a scenario, without building anything.

    The grid is bounded by the sum of block sides both ways (blocks sit on shelves, so the real
    grid is never larger than this square).
    """
    sides = [block_side_cells(c.area_km2, scenario.cell_size_m) for c in scenario.communities.values()]
    per_row = math.ceil(math.sqrt(len(sides)))
    width = max(sum(sides[i:i + per_row]) for i in range(0, len(sides), per_row))
    height = sum(max(sides[i:i + per_row]) for i in range(0, len(sides), per_row))
    communities = scenario.communities.values()
    return Size(sum(c.residents for c in communities), sum(c.volunteers for c in communities), width * height)


def check_grid(scenario: Scenario, source: str) -> None:
    """Refuse a layout of more than ``MAX_GRID_CELLS`` cells, saying what cell size would fit."""
    cells = scenario_size(scenario).cells
    if cells > MAX_GRID_CELLS:
        fitting_m = math.ceil(scenario.cell_size_m * math.sqrt(cells / MAX_GRID_CELLS))
        raise ScenarioError([f"{source}: cell_size_m: {scenario.cell_size_m:g} m makes a grid of {cells:,} cells "
                             f"(allowed: at most {MAX_GRID_CELLS:,}; use cell_size_m >= {fitting_m} or smaller areas)"])


def machine_memory_bytes() -> tuple[int | None, int | None]:
    """(total, available) physical memory in bytes; None where the system does not say."""
    def pages(name: str) -> int | None:
        try:
            value = os.sysconf(name) * os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError, AttributeError):
            return None
        return value if value > 0 else None

    return pages("SC_PHYS_PAGES"), pages("SC_AVPHYS_PAGES")


def check_memory(scenario: Scenario, source: str, runs_at_once: int = 1) -> None:
    """Refuse a run (or ``runs_at_once`` parallel runs) whose estimated memory exceeds this machine's."""
    refuse_if_too_big(scenario_size(scenario), source, runs_at_once)


def refuse_if_too_big(size: Size, source: str, runs_at_once: int = 1) -> None:
    """``ScenarioError`` with the estimate and the machine's memory when ``size`` x runs cannot fit."""
    need = size.memory_bytes * runs_at_once
    total, available = machine_memory_bytes()
    budget = available or total
    if budget is None or need <= budget:
        return
    parallel = f" x {runs_at_once} runs at once" if runs_at_once > 1 else ""
    free = "" if available is None else f", {available / GB:.1f} GB free"
    raise ScenarioError([f"{source}: needs about {need / GB:.1f} GB of memory{parallel} ({size.residents:,} residents, "
                         f"{size.volunteers:,} volunteers, {size.cells:,} grid cells); this machine has "
                         f"{(total or 0) / GB:.1f} GB{free} (allowed: fewer or smaller communities, or fewer --workers)"])

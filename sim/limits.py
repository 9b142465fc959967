"""Work bounded before it starts: the grid's cell budget and a run's memory, from the scenario alone.

Memory per run was measured on this project's 2-core Linux machine (Python 3.11, numpy 2.4,
Mesa 3.3.1, November 2026) as the growth of peak RSS (``resource.getrusage``) over a process
that had imported what the run needs, for runs of the baseline scenario at several sizes, each in
a fresh process. Headless runs (``sim.run.simulate``: experiments, calibration, ``sim run``) do
not load Mesa; runs with Mesa agents (``FiveSocietyModel(agents=True)``: the classroom app) build
one agent per resident and a grid of cell objects:

=========  ==========  ==========  =====  ======  ===============
residents  grid cells  volunteers  days   agents  peak RSS growth
=========  ==========  ==========  =====  ======  ===============
10,000     400         300         365    no      3.6 MB
100,000    400         3,000       365    no      15.0 MB
200,000    400         6,000       365    no      26.4 MB
500,000    400         15,000      365    no      60.9 MB
500,000    400         15,000      1      no      41.2 MB
100,000    400         3,000       1,825  no      34.9 MB
100,000    400         30,000      365    no      21.9 MB
10,000     1,000,000   300         365    no      18.6 MB
10,000     400         300         365    yes     9.2 MB
100,000    400         3,000       365    yes     67.1 MB
200,000    400         6,000       365    yes     129.6 MB
10,000     10,000      300         365    yes     21.3 MB
10,000     40,000      300         365    yes     59.7 MB
=========  ==========  ==========  =====  ======  ===============

(MB = 2^20 bytes.) Headless, per resident and year: (60.9 - 15.0) MB / 400,000 residents = 120 B
(with 3% of them volunteers). Of it, the needs: (34.9 - 15.0) MB / (100,000 residents x 4 more
years) = 52 B a resident-year (0.54 needs a resident-year at 89 B a need); the rest, about 68 B,
is the residents' own arrays, and the build's transients peak at 41.2 MB / 500,000 = 86 B in one
large community. Per volunteer: (21.9 - 15.0) MB / 27,000 = 268 B. Per grid cell (the unmet-need
map): (18.6 - 3.6) MB / 999,600 = 16 B. With agents, per resident (129.6 - 67.1) MB / 100,000 =
655 B a year; per cell (59.7 - 21.3) MB / 30,000 = 1,342 B. At city scale (generated communities
of 10,000 residents) a headless year peaked at 125 B a resident at 1 M residents.

The estimate rounds these up: headless, 100 B a resident plus 60 B a resident-year (scenarios
with more elderly residents have more needs; the build's peak is covered by the first part),
300 B a volunteer, 32 B a cell, plus the interpreter with numpy, scipy and pydantic (75 MB
measured; 98 MB with Dask's worker loaded: 128 MB). With agents, 600 B more a resident and
1.4 KB more a cell, and 100 MB more for Mesa and pandas (153 MB measured after imports against
75). It is a guard against runs that cannot fit, not a prediction to the megabyte.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

from sim.errors import ScenarioError
from sim.scenario import Scenario
from sim.world import block_side_cells

MAX_GRID_CELLS = 4_000_000  # ~5.6 GB of Mesa grid at 1.4 KB a cell (128 MB headless): beyond it, coarser cells are the answer
BYTES_PER_RESIDENT = 100              # headless: residents' arrays and the build's transients
BYTES_PER_RESIDENT_YEAR = 60          # headless: the needs a resident has in a year
BYTES_PER_CELL = 32
BYTES_PER_VOLUNTEER = 300
BASE_BYTES = 128 * 2**20
AGENT_BYTES_PER_RESIDENT = 600        # with Mesa agents: one Resident agent each, on top of the above
AGENT_BYTES_PER_CELL = 1_400          # with Mesa agents: the grid's cell objects
AGENT_BASE_BYTES = 100 * 2**20        # with Mesa agents: Mesa and pandas loaded
DAYS_PER_YEAR = 365
GB = 2**30


@dataclass(frozen=True)
class Size:
    """What a scenario builds and for how long: residents, volunteers, grid cells and days."""

    residents: int
    volunteers: int
    cells: int
    days: int = DAYS_PER_YEAR

    @property
    def memory_bytes(self) -> int:
        """Estimated peak memory of one headless run (see the module docstring for the arithmetic)."""
        years = self.days / DAYS_PER_YEAR
        return math.ceil(BASE_BYTES + (BYTES_PER_RESIDENT + BYTES_PER_RESIDENT_YEAR * years) * self.residents
                         + BYTES_PER_CELL * self.cells + BYTES_PER_VOLUNTEER * self.volunteers)

    @property
    def memory_bytes_with_agents(self) -> int:
        """Estimated peak memory of one run with Mesa agents (``FiveSocietyModel(agents=True)``, the classroom app)."""
        return (self.memory_bytes + AGENT_BASE_BYTES + AGENT_BYTES_PER_RESIDENT * self.residents
                + AGENT_BYTES_PER_CELL * self.cells)


def scenario_size(scenario: Scenario, days: int | None = None) -> Size:
    """Residents, volunteers and grid cells of a scenario, and its days (or ``days``), without building anything.

    The grid is bounded by the sum of block sides both ways (blocks sit on shelves, so the real
    grid is never larger than this square).
    """
    sides = [block_side_cells(c.area_km2, scenario.cell_size_m) for c in scenario.communities.values()]
    per_row = math.ceil(math.sqrt(len(sides)))
    width = max(sum(sides[i:i + per_row]) for i in range(0, len(sides), per_row))
    height = sum(max(sides[i:i + per_row]) for i in range(0, len(sides), per_row))
    communities = scenario.communities.values()
    return Size(sum(c.residents for c in communities), sum(c.volunteers for c in communities), width * height,
                scenario.days if days is None else days)


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


def check_memory(scenario: Scenario, source: str, runs_at_once: int = 1, days: int | None = None) -> None:
    """Refuse a headless run of ``days`` (default: the scenario's), or ``runs_at_once`` in parallel, whose estimated memory exceeds this machine's."""
    refuse_if_too_big(scenario_size(scenario, days), source, runs_at_once)


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
                         f"{size.volunteers:,} volunteers, {size.cells:,} grid cells, {size.days:,} days); this machine has "
                         f"{(total or 0) / GB:.1f} GB{free} (allowed: fewer or smaller communities, fewer days, or fewer --workers)"])

"""One day of the district: the phases, in order, each a function ``(state, scenario, day)``.

1. funding        -- a funding period starts (budget spread, turned into capacity); today's pay
2. arrivals       -- new needs arise (policy-free streams: common random numbers)
3. discovery      -- residents report needs; patrols, outreach and representatives find hidden ones
4. volunteering   -- hours refill; volunteers quit and are recruited
5. sessions open  -- programmes holding a session today open
6. list visits    -- scheduled visits to listed households (list or mixed service mode)
7. dispatch       -- the committee or the platform matches waiting needs to providers
8. sessions close -- sessions close: activities, person-times, staff hours
9. life cycle     -- services complete; needs past their patience close unmet
10. giving        -- donations into community funds, matched when policy says
11. deliberation  -- meetings move programme places to where needs go unmet
12. effort        -- volunteers' utilisation and points; hours given outside matched services

The Mesa view (``sim.model``) shows the day's changes on its agents and records the daily series
after the last phase.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sim import arrivals, lifecycle
from sim.core import effort
from sim.policies import deliberation, discovery, funding, giving, listing, matching, programmes, volunteering

if TYPE_CHECKING:
    from sim.core.state import DistrictState
    from sim.scenario import Scenario

Phase = Callable[["DistrictState", "Scenario", int], None]

PHASES: tuple[tuple[str, Phase], ...] = (
    ("funding", funding.step),
    ("arrivals", arrivals.step),
    ("discovery", discovery.step),
    ("volunteering", volunteering.step),
    ("sessions open", programmes.open_sessions),
    ("list visits", listing.step),
    ("dispatch", matching.step),
    ("sessions close", programmes.close_sessions),
    ("life cycle", lifecycle.step),
    ("giving", giving.step),
    ("deliberation", deliberation.step),
    ("effort", effort.step),
)


def step_day(state: DistrictState, scenario: Scenario, day: int) -> None:
    """Run every phase of ``day`` in order."""
    for _, phase in PHASES:
        phase(state, scenario, day)

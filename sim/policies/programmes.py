"""Group programmes: sessions open, serve regular attendees and residents with needs, and are counted.

Demonstration money buys opening days on each programme's real schedule (``scenario.schedules``): a
community's money opens all its programmes for the same share of the year's weeks, at most every
week; yuan that would buy more than that are not disbursed. Regular attendees (without a
recorded need) are counted apart from the needs a session meets.

Volunteers help at sessions: each session takes ``session_volunteer_hours`` from the banked hours
of its community's active volunteers (spread in proportion to their banks; less when they have
less), so running programmes competes with one-to-one orders for volunteer time.

Phases ``open_sessions`` and ``close_sessions`` ``(state, scenario, day)``; read
``organizations.regular_occupancy``, ``organizations.session_staff_hours`` and
``organizations.session_volunteer_hours``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.policies.capacity import full_year_yuan

if TYPE_CHECKING:
    from sim.core.state import DistrictState
    from sim.scenario import Scenario

__all__ = ["close_sessions", "full_year_yuan", "open_sessions"]


def open_sessions(state: DistrictState, scenario: Scenario, day: int) -> None:
    """The programmes holding a session today (the dispatcher fills their free places)."""
    for run in state.programmes:
        run.open_places = run.places_on(day)
    state.sessions_today = [run for run in state.programmes if run.open_places >= 1.0]
    for run in state.sessions_today:
        run.served_today = 0


def close_sessions(state: DistrictState, scenario: Scenario, day: int) -> None:
    """Count today's sessions as activities, their attendance as person-times, their staff hours."""
    org, effort, pool = scenario.organizations, state.effort, state.volunteers
    active = np.flatnonzero(pool.view("active"))
    by_community = active[np.argsort(pool.community[active], kind="stable")]  # each community's slots, ascending
    bounds = np.searchsorted(pool.community[by_community], np.arange(state.communities + 1)).tolist()
    for run in state.sessions_today:
        regulars = round(int(run.open_places) * org.regular_occupancy)
        effort.activities_held += 1
        effort.person_times_served += regulars + run.served_today
        effort.regular_attendance += regulars
        effort.organization_hours += org.session_staff_hours
        pool.spend_spread(by_community[bounds[run.community]:bounds[run.community + 1]], org.session_volunteer_hours)

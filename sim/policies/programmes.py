"""Group programmes: sessions open, serve regular attendees and residents with needs, and are counted.

Volunteers help at sessions: each session takes ``session_volunteer_hours`` from the banked hours
of its community's active volunteers (spread in proportion to their banks; less when they have
less), so running programmes competes with one-to-one orders for volunteer time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.model import FiveSocietyModel


def open_sessions(model: FiveSocietyModel, day: int) -> None:
    """The programmes holding a session today (the dispatcher fills their free places)."""
    model.sessions_today = [run for run in model.programmes if run.places >= 1.0 and run.has_session(day)]
    for run in model.sessions_today:
        run.served_today = 0


def close_sessions(model: FiveSocietyModel, day: int) -> None:
    """Count today's sessions as activities, their attendance as person-times, their staff hours."""
    org = model.scenario.organizations
    for run in model.sessions_today:
        regulars = round(int(run.places) * org.regular_occupancy)
        model.activities_held += 1
        model.person_times_served += regulars + run.served_today
        model.organization_hours += org.session_staff_hours
        pool = model.volunteers
        helpers = np.flatnonzero(pool.view("active") & (pool.view("community") == run.community))
        pool.spend_spread(helpers, org.session_volunteer_hours)

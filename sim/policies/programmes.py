"""Group programmes: sessions open, serve regular attendees and residents with needs, and are counted.

Demonstration money buys opening days on each programme's real schedule (``scenario.schedules``): a
community's money opens all its programmes for the same share of the year's weeks, at most every
week; yuan that would buy more than that are not disbursed. Regular attendees (without a
recorded need) are counted apart from the needs a session meets.

Volunteers help at sessions: each session takes ``session_volunteer_hours`` from the banked hours
of its community's active volunteers (spread in proportion to their banks; less when they have
less), so running programmes competes with one-to-one orders for volunteer time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.policies.funding import WEEKS_PER_YEAR

if TYPE_CHECKING:
    from sim.model import FiveSocietyModel
    from sim.scenario import Scenario


def full_year_yuan(name: str, scenario: Scenario) -> float:
    """What a programme's whole schedule (``scenario.schedules``) costs for a year."""
    opening = scenario.schedules.of(name)
    return opening.places_per_day * opening.days_per_week * WEEKS_PER_YEAR * scenario.conversion.yuan_per_place_day


def open_sessions(model: FiveSocietyModel, day: int) -> None:
    """The programmes holding a session today (the dispatcher fills their free places)."""
    for run in model.programmes:
        run.open_places = run.places_on(day)
    model.sessions_today = [run for run in model.programmes if run.open_places >= 1.0]
    for run in model.sessions_today:
        run.served_today = 0


def close_sessions(model: FiveSocietyModel, day: int) -> None:
    """Count today's sessions as activities, their attendance as person-times, their staff hours."""
    org = model.scenario.organizations
    for run in model.sessions_today:
        regulars = round(int(run.open_places) * org.regular_occupancy)
        model.activities_held += 1
        model.person_times_served += regulars + run.served_today
        model.regular_attendance += regulars
        model.organization_hours += org.session_staff_hours
        pool = model.volunteers
        helpers = np.flatnonzero(pool.view("active") & (pool.view("community") == run.community))
        pool.spend_spread(helpers, org.session_volunteer_hours)

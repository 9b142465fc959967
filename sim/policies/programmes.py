"""Group programmes: sessions open, serve regular attendees and residents with needs, and are counted.

Demonstration money buys opening days on each programme's real schedule (``SCHEDULES``): a
community's money opens all its programmes for the same share of the year's weeks, at most every
week; yuan that would buy more than that are not disbursed. Regular attendees (without a
recorded need) are counted apart from the needs a session meets.

Volunteers help at sessions: each session takes ``session_volunteer_hours`` from the banked hours
of its community's active volunteers (spread in proportion to their banks; less when they have
less), so running programmes competes with one-to-one orders for volunteer time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.policies.funding import WEEKS_PER_YEAR

if TYPE_CHECKING:
    from sim.model import FiveSocietyModel


@dataclass(frozen=True)
class Schedule:
    """A funded programme's opening days a week and places a day."""

    days_per_week: int
    places_per_day: int


SCHEDULES = {
    "canteen": Schedule(6, 40),   # [assumed] seniors' canteens (Qiaotou) serve lunch six days a week, ~40 meals
    "day_care": Schedule(5, 20),  # [assumed] home-based elderly day care on weekdays, ~20 places
    "classes": Schedule(2, 25),   # [assumed] two class days a week, ~25 places
    "market": Schedule(1, 60),    # [seed: Donglanwan weekly 360 volunteer market] one day a week; ~60 visitors [assumed]
}


def full_year_yuan(name: str, yuan_per_place_day: float) -> float:
    """What a programme's whole schedule costs for a year."""
    schedule = SCHEDULES[name]
    return schedule.places_per_day * schedule.days_per_week * WEEKS_PER_YEAR * yuan_per_place_day


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

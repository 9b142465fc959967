"""The session phases alone: a programme opens on its days, counts its attendance, and its helpers' hours."""

from __future__ import annotations

from sim.core.records import ProgrammeRun
from sim.needs import Programme
from sim.policies import programmes

from ..tiny import tiny_state


def test_a_session_opens_counts_its_regulars_and_takes_its_helpers_hours() -> None:
    state, scenario = tiny_state(**{"organizations.regular_occupancy": 0.5, "organizations.session_staff_hours": 3.0,
                                    "organizations.session_volunteer_hours": 2.0})
    run = ProgrammeRun(Programme.MARKET, 0, (7,), 10.0, 7.0, (0, 0), base_places=10.0)  # a session every day
    state.programmes.append(run)
    state.volunteers.bank[0] = 5.0
    programmes.open_sessions(state, scenario, day=0)
    assert state.sessions_today == [run] and run.open_places == 10.0 and run.need_places(0.5) == 5
    run.served_today = 2  # the dispatcher filled two places with needs
    programmes.close_sessions(state, scenario, day=0)
    effort = state.effort
    assert (effort.activities_held, effort.person_times_served, effort.regular_attendance) == (1, 5 + 2, 5)
    assert effort.organization_hours == 3.0 and state.volunteers.bank[0] == 3.0


def test_no_session_on_a_day_without_one() -> None:
    state, scenario = tiny_state()
    run = ProgrammeRun(Programme.MARKET, 0, (7,), 10.0, 1.0, (0, 0), base_places=10.0)  # one session a week, on day 6
    state.programmes.append(run)
    opened = []
    for day in range(7):
        programmes.open_sessions(state, scenario, day)
        opened.append(len(state.sessions_today))
    assert opened == [0, 0, 0, 0, 0, 0, 1]

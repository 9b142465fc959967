"""The day's last phase: hours given outside matched services (patrols, outreach, supervision, coordination).

Phase ``step(state, scenario, day)``; reads ``linkage.discovery.patrol_hours_per_week`` and
``linkage.points_enabled`` (volunteers' utilisation and points).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.policies.volunteering import end_of_day, patrollers_by_community

if TYPE_CHECKING:
    from sim.core.state import DistrictState
    from sim.scenario import Scenario


def step(state: DistrictState, scenario: Scenario, day: int) -> None:
    """Volunteers' utilisation and points; patrol, outreach, supervision and coordination hours of today."""
    end_of_day(state, scenario)
    effort, cap = state.effort, state.capacity
    patrol = scenario.linkage.discovery.patrol_hours_per_week
    effort.patrol_hours += float(patrollers_by_community(state).sum()) * patrol / 7.0
    effort.social_worker_other_hours += float((cap.outreach_hours_per_week + cap.supervision_hours_per_week).sum()) / 7.0
    effort.organization_hours += float(cap.hub_hours_per_week.sum()) / 7.0

"""Reporting and discovery lever: how unreported needs become known.

Every unreported need accumulates two hazards a day. The *reporting* hazard (residents who do not
hide their need): walk-in at the service point, decaying with distance, plus online reporting for
digital residents when it is on. The *discovery* hazard (any unreported need): volunteer patrols,
social-worker outreach targeted at vulnerable residents, and impulses on the days representatives
contact, visit or meet residents. A need becomes WAITING when either hazard passes the need's own
threshold (drawn at arrival), so more effort finds every need at least as early.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.needs import State

if TYPE_CHECKING:
    from sim.model import FiveSocietyModel

OUTREACH_TARGETING = 3.0  # outreach reaches vulnerable residents this many times as often [assumed]


def impulse(probability: float) -> float:
    """The hazard that finds a need with ``probability`` in one go."""
    return -np.log1p(-min(probability, 1.0 - 1e-12))


def cadence_hazard(day: int, model: FiveSocietyModel) -> float:
    """Hazard from representatives' contacts, visits and meetings falling on ``day``."""
    d = model.scenario.linkage.discovery
    total = 0.0
    for interval, probability in ((d.contact_interval_days, d.contact_detect_prob),
                                  (d.visit_interval_days, d.visit_detect_prob),
                                  (d.meeting_interval_days, d.meeting_detect_prob)):
        if interval and (day + 1) % interval == 0:
            total += impulse(probability)
    return total


def community_hazards(model: FiveSocietyModel) -> tuple[np.ndarray, np.ndarray]:
    """Daily patrol hazard per resident and outreach hazard per (untargeted) resident, by community."""
    d = model.scenario.linkage.discovery
    residents = np.maximum(model.population.counts, 1)
    patrollers = model.patrollers_by_community()
    patrol = patrollers * d.patrol_hours_per_week / 7.0 * d.residents_per_patrol_hour / residents * d.patrol_detect_prob
    outreach = model.outreach_hours_per_week / 7.0 * d.outreach_residents_per_hour / residents * d.outreach_detect_prob
    return patrol, outreach


def step(model: FiveSocietyModel, day: int) -> None:
    """Accumulate today's hazards and move needs that became known to WAITING."""
    needs, population = model.needs, model.population
    ids = needs.open_ids[needs.state[needs.open_ids] == State.UNREPORTED]
    if ids.size == 0:
        return
    d = model.scenario.linkage.discovery
    resident, community = needs.resident[ids], needs.community[ids]
    walk_in = d.walk_in_rate_per_day * np.exp(-population.service_distance_m[resident] / d.walk_in_decay_m)
    online = d.online_rate_per_day * population.digital[resident] if model.scenario.linkage.online_reporting else 0.0
    needs.report_hazard[ids] += np.where(needs.hidden[ids], 0.0, walk_in + online)
    patrol, outreach = community_hazards(model)
    weight = np.where(population.vulnerable[resident], OUTREACH_TARGETING, 1.0) / model.outreach_weight_mean[community]
    needs.discovery_hazard[ids] += patrol[community] + outreach[community] * weight + cadence_hazard(day, model)
    reported = needs.report_hazard[ids] >= needs.report_threshold[ids]
    discovered = ~reported & (needs.discovery_hazard[ids] >= needs.discovery_threshold[ids])
    needs.state[ids[reported | discovered]] = State.WAITING
    needs.discovered[ids[discovered]] = True

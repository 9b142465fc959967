"""Tiny hand-built districts for exact traces: overrides that switch everything off but what a test names."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.core.build import build_state
from sim.core.state import DistrictState
from sim.needs import NEED_TYPES, NeedType, State
from sim.scenario import Scenario

from .conftest import small

ALL_TYPES = [t.value for t in NEED_TYPES]
DAILY_LIFE = NEED_TYPES.index(NeedType.DAILY_LIFE)


def nothing_hidden() -> dict[str, Any]:
    """Every need reported within about a day: none hidden, everyone online."""
    return {
        **{f"needs.{t}.hidden_share": 0.0 for t in ALL_TYPES},
        "linkage.online_reporting": True, "linkage.discovery.online_rate_per_day": 10.0,
        "communities.baseline.digital_share_elderly": 1.0, "communities.baseline.digital_share_other": 1.0,
    }


def no_needs_but(**rates: float) -> dict[str, Any]:
    """Arrival rates of every type zero, except ``rates`` (``daily_life=3.0``: per working-age resident-year)."""
    zero = {f"needs.{t}.rate_{g}_per_year": 0.0 for t in ALL_TYPES for g in ("child", "working", "elderly")}
    return {**zero, **{f"needs.{t}.rate_working_per_year": rate for t, rate in rates.items()}}


def no_money() -> dict[str, Any]:
    """No budget, no outside social workers, no base programme places, no gifts."""
    return {
        "budget.total_yuan": 0.0, "social_workers.base_workers": 0.0, "organizations.base_places": 0,
        "giving.donors_per_1000_per_year": 0.0, "giving.unit_gifts_per_year": 0.0,
    }


def steady_volunteers(count: int) -> dict[str, Any]:
    """``count`` volunteers who never quit, are never recruited, give their whole pledge and have every skill."""
    return {
        "communities.baseline.volunteers": count, "volunteers.quit_rate_per_year": 0.0,
        "volunteers.recruit_rate_per_year": 0.0, "volunteers.unorganised_activation": 1.0,
        "volunteers.skill_share": 1.0, "volunteers.local_radius_m": 50_000.0,
    }


def tiny_scenario(patience_days: int = 7, **extra: Any) -> Scenario:
    """Five working-age residents, one volunteer pledging 7 hours a week, no money, no programmes, no need arising by itself."""
    overrides = {
        **no_money(), **no_needs_but(), **steady_volunteers(1), "volunteers.hours_per_week": 7.0,
        "communities.baseline.share_elderly": 0.0, "communities.baseline.share_children": 0.0,
        "communities.baseline.share_hardship": 0.0, "communities.baseline.share_disabled": 0.0,
        "communities.baseline.programmes": [], "needs.daily_life.patience_days": patience_days, **extra,
    }
    return small(overrides, residents=5, days=10)


def tiny_state(patience_days: int = 7, **extra: Any) -> tuple[DistrictState, Scenario]:
    """The state of ``tiny_scenario`` on day 0 (its one volunteer in slot 0, its bank empty) and the scenario."""
    scenario = tiny_scenario(patience_days, **extra)
    return build_state(scenario, seed=1), scenario


def others(state: DistrictState, count: int) -> np.ndarray:
    """The first ``count`` residents who are not the volunteer."""
    return np.setdiff1d(np.arange(state.population.size), state.volunteers.view("resident"))[:count]


def waiting_needs(state: DistrictState, scenario: Scenario, hours: list[float], need_type: int = DAILY_LIFE,
                  arrival_day: int = 0) -> np.ndarray:
    """Known needs (daily life unless said) of ``hours`` for residents who are not the volunteer, waiting from ``arrival_day``."""
    n = len(hours)
    return state.needs.append(
        resident=others(state, n), community=np.zeros(n), type=np.full(n, need_type), hours=np.array(hours),
        hours_left=np.array(hours), arrival_day=np.full(n, arrival_day),
        patience_days=np.full(n, scenario.needs.daily_life.patience_days), state=np.full(n, State.WAITING),
        report_threshold=np.ones(n), discovery_threshold=np.ones(n),
    )

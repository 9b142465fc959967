"""KPIs as named functions of a finished (or running) run, plus the run's invariants.

A run is anything with the core's ``state``, its ``scenario`` and the days it has ``steps``ped
(``RunView``): the Mesa model (``sim.model.FiveSocietyModel``) and the Mesa-free
``sim.run.HeadlessRun`` alike, so both give the same KPIs from the same state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np

from sim.needs import (
    DONE_HOURS,
    HOURS_PROVIDERS,
    IN_DELIVERY,
    NEED_TYPES,
    Group,
    NeedType,
    Provider,
    State,
)

if TYPE_CHECKING:
    from sim.core.state import DistrictState
    from sim.scenario import Scenario


class RunView(Protocol):
    """What the KPIs read: the core's state, the scenario and the days stepped so far."""

    scenario: Scenario
    state: DistrictState
    steps: int


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 = equal, 1 = all in one place)."""
    values = np.sort(np.asarray(values, dtype=float))
    total = values.sum()
    if values.size == 0 or total <= 0:
        return 0.0
    ranks = np.arange(1, values.size + 1)
    return float((2.0 * (ranks * values).sum() / (values.size * total)) - (values.size + 1) / values.size)


def volunteers_active(run: RunView) -> int:
    """Volunteers active now."""
    return int(np.count_nonzero(run.state.volunteers.view("active")))


def volunteer_hours(run: RunView) -> float:
    """Hours volunteers have given: orders, sessions, list visits and patrols."""
    return float(run.state.volunteers.view("given").sum() + run.state.effort.patrol_hours)


def money(run: RunView) -> dict[str, float]:
    """Money in (government, charity), spent (capacity, grants) and held (fund balances), in yuan."""
    funds, funding = run.state.funds, run.state.funding
    return {
        "government_spent_yuan": float(funding.spent_yuan.sum()),
        "charity_raised_yuan": float(sum(f.raised_yuan for f in funds)),
        "charity_goods_yuan": float(sum(f.donated_goods_yuan for f in funds)),
        "charity_matched_yuan": float(sum(f.matched_yuan for f in funds)),
        "capacity_spent_yuan": float(funding.capacity_spent_yuan.sum()),
        "grants_yuan": float(sum(f.granted_yuan for f in funds)),
        "fund_balance_yuan": float(sum(f.holdings_yuan for f in funds)),
    }


def kpis(run: RunView) -> dict[str, float]:
    """Every KPI of the run so far (see docs/ODD.md for definitions)."""
    state = run.state
    needs, tally, pool, effort, population = state.needs, state.tally, state.volunteers, state.effort, state.population
    cash = money(run)
    met = tally.met["all"]
    initial = pool.view("initial")
    served_total = cash["capacity_spent_yuan"] + cash["grants_yuan"]
    hidden = needs.view("hidden")
    compound_residents = np.maximum(np.bincount(population.compound, minlength=population.compound_count), 1)
    satisfied = population.satisfaction[population.had_need]
    result = {
        "needs_arisen": float(needs.size),
        "needs_met": float(met),
        "needs_unmet": float(tally.unmet["all"]),
        "needs_pending": float(needs.open_ids.size),
        "coverage": tally.coverage(),
        "coverage_elderly": tally.coverage("elderly"),
        "coverage_disabled": tally.coverage("disabled"),
        "coverage_children": tally.coverage("children"),
        "coverage_hardship": tally.coverage("hardship"),
        "hidden_needs": float(np.count_nonzero(hidden)),
        "hidden_discovered": float(np.count_nonzero(hidden & needs.view("discovered"))),
        "mean_days_to_service": tally.days_to_service_sum / tally.served_started if tally.served_started else 0.0,
        "volunteers_active": float(volunteers_active(run)),
        "volunteer_retention": float(np.count_nonzero(pool.view("active") & initial) / max(1, np.count_nonzero(initial))),
        "volunteer_hours": volunteer_hours(run),
        "social_worker_hours": float(state.social_workers.view("given").sum() + effort.social_worker_other_hours),
        "organization_hours": float(state.professionals.view("given").sum() + effort.organization_hours),
        "activities_held": float(effort.activities_held),
        "person_times_served": float(effort.person_times_served + met - tally.by_provider["programme"] + effort.list_visits),
        "regular_attendance": float(effort.regular_attendance),
        "charity_raised_yuan": cash["charity_raised_yuan"],
        "government_spent_yuan": cash["government_spent_yuan"],
        "leverage": cash["charity_raised_yuan"] / cash["government_spent_yuan"] if cash["government_spent_yuan"] >= 1.0 else 0.0,
        "cost_per_need_met_yuan": served_total / met if met else 0.0,
        "unmet_gini": gini(state.unmet_by_compound / compound_residents),
        "satisfaction_mean": float(satisfied.mean()) if satisfied.size else 0.5,
        "volunteers_recruited": float(np.count_nonzero(~initial)),
        "volunteers_quit": float(np.count_nonzero(~pool.view("active"))),
        "list_visits": float(effort.list_visits),
        **{f"needs_met_by_{name}": float(count) for name, count in tally.by_provider.items()},
        **{k: v for k, v in cash.items() if k not in ("government_spent_yuan", "charity_raised_yuan")},
        **calibration_kpis(run),
        **discovery_kpis(run),
    }
    return result


def calibration_kpis(run: RunView) -> dict[str, float]:
    """Ratios the source documents and the literature report (scenarios/targets/, docs/ODD.md section 9)."""
    state = run.state
    pool, needs, population, effort = state.volunteers, state.needs, state.population, state.effort
    days = max(run.steps, 1)
    left = pool.view("left_day")
    volunteer_days = float((np.where(left >= 0, left, days) - pool.view("joined_day")).sum())
    quits = float(np.count_nonzero(~pool.view("active")))
    elderly = population.group == Group.ELDERLY
    care = (needs.view("type") == NEED_TYPES.index(NeedType.ELDERLY_CARE)) & elderly[needs.view("resident")]
    met = needs.view("state") == State.MET
    helped = np.unique(needs.view("resident")[met & population.hardship[needs.view("resident")]])
    initial = np.count_nonzero(pool.view("initial"))
    cash = money(run)
    return {
        "person_times_per_activity": effort.person_times_served / effort.activities_held if effort.activities_held else 0.0,
        "volunteer_hours_per_active_month": volunteer_hours(run) / volunteer_days * (365.0 / 12.0) if volunteer_days else 0.0,
        "volunteer_attrition_per_year": float(1.0 - np.exp(-quits / volunteer_days * 365.0)) if volunteer_days else 0.0,
        "volunteer_stock_ratio": volunteers_active(run) / initial if initial else 0.0,
        "volunteers_per_community": volunteers_active(run) / len(state.committees),
        "activities_per_community_year": effort.activities_held / len(state.committees) * 365.0 / days,
        "elderly_care_needs_per_elderly_year": float(np.count_nonzero(care)) / max(1, np.count_nonzero(elderly)) * 365.0 / days,
        "hardship_residents_helped": float(helped.size),
        "hardship_reach_share": helped.size / max(1, int(np.count_nonzero(population.hardship))),
        "charity_money_yuan": cash["charity_raised_yuan"] - cash["charity_goods_yuan"],
    }


# -- discovery effort: whose hours find needs, and what the paid ones cost ---------------------
def discovery_kpis(run: RunView) -> dict[str, float]:
    """Hours given to finding needs (representatives, committee staff, patrols, outreach) and the yuan of the paid ones."""
    s, state = run.scenario, run.state
    representatives = float(state.rounds.representative_hours.sum())
    staff = float(state.rounds.staff_hours.sum())
    outreach = float(state.outreach.hours_given.sum())
    patrol = state.effort.patrol_hours
    yuan_per_social_worker_hour = s.conversion.yuan_per_social_worker_year / (s.social_workers.hours_per_week * 52.0)
    return {
        "discovery_hours": representatives + staff + outreach + float(patrol),
        "committee_staff_hours": staff,
        "representative_hours": representatives,
        "outreach_hours": outreach,
        "patrol_hours": float(patrol),
        "discovery_paid_yuan": outreach * yuan_per_social_worker_hour + staff * s.linkage.discovery.committee_staff_yuan_per_hour,
        "households_on_register": float(np.count_nonzero(state.register.on_register())),
    }


def discovery_audit(run: RunView) -> bool:
    """True when representatives, staff and outreach gave no more discovery hours than they had."""
    rounds, outreach = run.state.rounds, run.state.outreach
    offered_representatives, offered_staff = rounds.hours_offered(max(run.steps, 1))
    return bool(rounds.representative_hours.sum() <= offered_representatives + 1e-6
                and rounds.staff_hours.sum() <= offered_staff + 1e-6
                and np.all(outreach.hours_given <= outreach.hours_credited + 1e-6))


def invariants(run: RunView) -> dict[str, bool]:
    """Checks that hold in every run: need accounting, money accounting, hours never exceeded."""
    state = run.state
    needs, tally, cash = state.needs, state.tally, money(run)
    open_count = int(np.count_nonzero(needs.view("state") <= State.IN_SERVICE))
    money_in = cash["government_spent_yuan"] + cash["charity_raised_yuan"]
    money_out = cash["capacity_spent_yuan"] + cash["grants_yuan"] + cash["fund_balance_yuan"]
    return {
        "needs_balance": needs.size == tally.met["all"] + tally.unmet["all"] + needs.open_ids.size,
        "open_list_matches_states": open_count == needs.open_ids.size,
        "money_balance": bool(np.isclose(money_in, money_out, rtol=1e-9, atol=1e-6)),
        "fund_never_negative": all(f.balance_yuan >= -1e-9 and f.match_reserve_yuan >= -1e-9 for f in state.funds),
        "volunteer_hours_within_capacity": state.volunteers.audit(),
        "social_worker_hours_within_capacity": state.social_workers.audit(),
        "professional_hours_within_capacity": state.professionals.audit(),
        "discovery_hours_within_capacity": discovery_audit(run),
        **service_hours_checks(run),
    }


def service_hours_checks(run: RunView) -> dict[str, bool]:
    """Every need served consumed its providers' hours, and every hour providers gave to needs is in a need's ledger."""
    state = run.state
    needs = state.needs
    need_state, end = needs.view("state"), needs.view("service_end_day")
    given = (need_state == State.MET) | ((need_state == State.IN_SERVICE) & (end != IN_DELIVERY))
    from_pools = sum(needs.view(column) for column in HOURS_PROVIDERS.values())
    by_hours = given & np.isin(needs.view("provider"), [int(p) for p in HOURS_PROVIDERS])
    hours = needs.view("hours").astype(np.float64)
    pools = {Provider.VOLUNTEER: state.volunteers, Provider.SOCIAL_WORKER: state.social_workers, Provider.PROFESSIONAL: state.professionals}
    return {
        "served_needs_have_all_their_hours": bool(np.all(needs.view("hours_left")[given] <= DONE_HOURS)),
        "needs_met_by_providers_consumed_their_hours": bool(np.allclose(from_pools[by_hours], hours[by_hours], rtol=1e-9, atol=1e-6)),
        "no_need_given_more_than_it_needs": bool(np.all(from_pools <= hours + 1e-6)),
        **{f"{p.name.lower()}_hours_served_match_needs": bool(np.isclose(pools[p].view("served").sum(), needs.view(column).sum(), rtol=1e-9, atol=1e-6))
           for p, column in HOURS_PROVIDERS.items()},
    }


def by_community(run: RunView) -> dict[str, dict[str, float]]:
    """Per-community needs, coverage and money (counted in one pass over the needs, not one per community)."""
    state = run.state
    needs, pool, n = state.needs, state.volunteers, state.communities
    community, need_state = needs.view("community"), needs.view("state")
    arisen = np.bincount(community, minlength=n).tolist()
    met = np.bincount(community[need_state == State.MET], minlength=n).tolist()
    unmet = np.bincount(community[need_state == State.UNMET], minlength=n).tolist()
    active = np.bincount(pool.view("community")[pool.view("active")], minlength=n).tolist()
    residents = state.population.counts.tolist()
    result = {}
    for c, committee in enumerate(state.committees):
        result[committee.name] = {
            "residents": float(residents[c]),
            "needs_arisen": float(arisen[c]),
            "needs_met": float(met[c]),
            "needs_unmet": float(unmet[c]),
            "coverage": met[c] / (met[c] + unmet[c]) if met[c] + unmet[c] else 0.0,
            "unmet_per_1000": 1000.0 * unmet[c] / max(residents[c], 1),
            "government_spent_yuan": float(state.funding.spent_yuan[c]),
            "charity_raised_yuan": float(state.funds[c].raised_yuan),
            "volunteers_active": float(active[c]),
        }
    return result


def unmet_by_cell(run: RunView) -> list[list[int]]:
    """Unmet needs by residents' home cell, as rows (y) of columns (x)."""
    state = run.state
    grid = np.zeros((state.layout.height, state.layout.width), dtype=np.int64)
    unmet = state.needs.view("state") == State.UNMET
    resident = state.needs.view("resident")[unmet]
    np.add.at(grid, (state.population.cell_y[resident], state.population.cell_x[resident]), 1)
    return grid.tolist()


def _open_in(run: RunView, state: State) -> int:
    needs = run.state.needs
    return int(np.count_nonzero(needs.state[needs.open_ids] == state))


SERIES = {
    "needs_arisen": lambda r: float(r.state.needs.size),
    "needs_met": lambda r: float(r.state.tally.met["all"]),
    "needs_unmet": lambda r: float(r.state.tally.unmet["all"]),
    "needs_unreported": lambda r: float(_open_in(r, State.UNREPORTED)),
    "needs_waiting": lambda r: float(_open_in(r, State.WAITING)),
    "needs_in_service": lambda r: float(_open_in(r, State.IN_SERVICE)),
    "coverage": lambda r: r.state.tally.coverage(),
    "coverage_elderly": lambda r: r.state.tally.coverage("elderly"),
    "coverage_disabled": lambda r: r.state.tally.coverage("disabled"),
    "coverage_children": lambda r: r.state.tally.coverage("children"),
    "coverage_hardship": lambda r: r.state.tally.coverage("hardship"),
    "volunteers_active": lambda r: float(volunteers_active(r)),
    "volunteer_hours": volunteer_hours,
    "government_spent_yuan": lambda r: float(r.state.funding.spent_yuan.sum()),
    "charity_raised_yuan": lambda r: float(sum(f.raised_yuan for f in r.state.funds)),
    "fund_balance_yuan": lambda r: float(sum(f.holdings_yuan for f in r.state.funds)),
}

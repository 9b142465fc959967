"""KPIs as named functions of a finished (or running) model, plus the run's invariants."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    from sim.model import FiveSocietyModel


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 = equal, 1 = all in one place)."""
    values = np.sort(np.asarray(values, dtype=float))
    total = values.sum()
    if values.size == 0 or total <= 0:
        return 0.0
    ranks = np.arange(1, values.size + 1)
    return float((2.0 * (ranks * values).sum() / (values.size * total)) - (values.size + 1) / values.size)


def volunteers_active(model: FiveSocietyModel) -> int:
    """Volunteers active now."""
    return int(np.count_nonzero(model.volunteers.view("active")))


def volunteer_hours(model: FiveSocietyModel) -> float:
    """Hours volunteers have given: orders, sessions, list visits and patrols."""
    return float(model.volunteers.view("given").sum() + model.patrol_hours)


def money(model: FiveSocietyModel) -> dict[str, float]:
    """Money in (government, charity), spent (capacity, grants) and held (fund balances), in yuan."""
    funds = model.funds
    return {
        "government_spent_yuan": float(model.funding.spent_yuan.sum()),
        "charity_raised_yuan": float(sum(f.raised_yuan for f in funds)),
        "charity_goods_yuan": float(sum(f.donated_goods_yuan for f in funds)),
        "charity_matched_yuan": float(sum(f.matched_yuan for f in funds)),
        "capacity_spent_yuan": float(model.funding.capacity_spent_yuan.sum()),
        "grants_yuan": float(sum(f.granted_yuan for f in funds)),
        "fund_balance_yuan": float(sum(f.holdings_yuan for f in funds)),
    }


def kpis(model: FiveSocietyModel) -> dict[str, float]:
    """Every KPI of the run so far (see docs/ODD.md for definitions)."""
    needs, tally, pool = model.needs, model.tally, model.volunteers
    cash = money(model)
    met = tally.met["all"]
    initial = pool.view("initial")
    served_total = cash["capacity_spent_yuan"] + cash["grants_yuan"]
    hidden = needs.view("hidden")
    compound_residents = np.maximum(np.bincount(model.population.compound, minlength=model.population.compound_count), 1)
    satisfied = model.population.satisfaction[model.population.had_need]
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
        "volunteers_active": float(volunteers_active(model)),
        "volunteer_retention": float(np.count_nonzero(pool.view("active") & initial) / max(1, np.count_nonzero(initial))),
        "volunteer_hours": volunteer_hours(model),
        "social_worker_hours": float(model.social_workers.view("given").sum() + model.social_worker_other_hours),
        "organization_hours": float(model.professionals.view("given").sum() + model.organization_hours),
        "activities_held": float(model.activities_held),
        "person_times_served": float(model.person_times_served + met - tally.by_provider["programme"] + model.list_visits),
        "regular_attendance": float(model.regular_attendance),
        "charity_raised_yuan": cash["charity_raised_yuan"],
        "government_spent_yuan": cash["government_spent_yuan"],
        "leverage": cash["charity_raised_yuan"] / cash["government_spent_yuan"] if cash["government_spent_yuan"] >= 1.0 else 0.0,
        "cost_per_need_met_yuan": served_total / met if met else 0.0,
        "unmet_gini": gini(model.unmet_by_compound / compound_residents),
        "satisfaction_mean": float(satisfied.mean()) if satisfied.size else 0.5,
        "volunteers_recruited": float(np.count_nonzero(~initial)),
        "volunteers_quit": float(np.count_nonzero(~pool.view("active"))),
        "list_visits": float(model.list_visits),
        **{f"needs_met_by_{name}": float(count) for name, count in tally.by_provider.items()},
        **{k: v for k, v in cash.items() if k not in ("government_spent_yuan", "charity_raised_yuan")},
        **calibration_kpis(model),
        **discovery_kpis(model),
    }
    return result


def calibration_kpis(model: FiveSocietyModel) -> dict[str, float]:
    """Ratios the source documents and the literature report (scenarios/targets/, docs/ODD.md section 9)."""
    pool, needs, population = model.volunteers, model.needs, model.population
    days = max(model.steps, 1)
    left = pool.view("left_day")
    volunteer_days = float((np.where(left >= 0, left, days) - pool.view("joined_day")).sum())
    quits = float(np.count_nonzero(~pool.view("active")))
    elderly = population.group == Group.ELDERLY
    care = (needs.view("type") == NEED_TYPES.index(NeedType.ELDERLY_CARE)) & elderly[needs.view("resident")]
    met = needs.view("state") == State.MET
    helped = np.unique(needs.view("resident")[met & population.hardship[needs.view("resident")]])
    initial = np.count_nonzero(pool.view("initial"))
    cash = money(model)
    return {
        "person_times_per_activity": model.person_times_served / model.activities_held if model.activities_held else 0.0,
        "volunteer_hours_per_active_month": volunteer_hours(model) / volunteer_days * (365.0 / 12.0) if volunteer_days else 0.0,
        "volunteer_attrition_per_year": float(1.0 - np.exp(-quits / volunteer_days * 365.0)) if volunteer_days else 0.0,
        "volunteer_stock_ratio": volunteers_active(model) / initial if initial else 0.0,
        "volunteers_per_community": volunteers_active(model) / len(model.committees),
        "activities_per_community_year": model.activities_held / len(model.committees) * 365.0 / days,
        "elderly_care_needs_per_elderly_year": float(np.count_nonzero(care)) / max(1, np.count_nonzero(elderly)) * 365.0 / days,
        "hardship_residents_helped": float(helped.size),
        "hardship_reach_share": helped.size / max(1, int(np.count_nonzero(population.hardship))),
        "charity_money_yuan": cash["charity_raised_yuan"] - cash["charity_goods_yuan"],
    }


# -- discovery effort: whose hours find needs, and what the paid ones cost ---------------------
def discovery_kpis(model: FiveSocietyModel) -> dict[str, float]:
    """Hours given to finding needs (representatives, committee staff, patrols, outreach) and the yuan of the paid ones."""
    s = model.scenario
    representatives = float(model.rounds.representative_hours.sum())
    staff = float(model.rounds.staff_hours.sum())
    outreach = float(model.outreach.hours_given.sum())
    yuan_per_social_worker_hour = s.conversion.yuan_per_social_worker_year / (s.social_workers.hours_per_week * 52.0)
    return {
        "discovery_hours": representatives + staff + outreach + float(model.patrol_hours),
        "committee_staff_hours": staff,
        "representative_hours": representatives,
        "outreach_hours": outreach,
        "patrol_hours": float(model.patrol_hours),
        "discovery_paid_yuan": outreach * yuan_per_social_worker_hour + staff * s.linkage.discovery.committee_staff_yuan_per_hour,
        "households_on_register": float(np.count_nonzero(model.register.on_register())),
    }


def discovery_audit(model: FiveSocietyModel) -> bool:
    """True when representatives, staff and outreach gave no more discovery hours than they had."""
    offered_representatives, offered_staff = model.rounds.hours_offered(max(model.steps, 1))
    outreach = model.outreach
    return bool(model.rounds.representative_hours.sum() <= offered_representatives + 1e-6
                and model.rounds.staff_hours.sum() <= offered_staff + 1e-6
                and np.all(outreach.hours_given <= outreach.hours_credited + 1e-6))


def invariants(model: FiveSocietyModel) -> dict[str, bool]:
    """Checks that hold in every run: need accounting, money accounting, hours never exceeded."""
    needs, cash = model.needs, money(model)
    state = needs.view("state")
    open_count = int(np.count_nonzero(state <= State.IN_SERVICE))
    money_in = cash["government_spent_yuan"] + cash["charity_raised_yuan"]
    money_out = cash["capacity_spent_yuan"] + cash["grants_yuan"] + cash["fund_balance_yuan"]
    return {
        "needs_balance": needs.size == model.tally.met["all"] + model.tally.unmet["all"] + needs.open_ids.size,
        "open_list_matches_states": open_count == needs.open_ids.size,
        "money_balance": bool(np.isclose(money_in, money_out, rtol=1e-9, atol=1e-6)),
        "fund_never_negative": all(f.balance_yuan >= -1e-9 and f.match_reserve_yuan >= -1e-9 for f in model.funds),
        "volunteer_hours_within_capacity": model.volunteers.audit(),
        "social_worker_hours_within_capacity": model.social_workers.audit(),
        "professional_hours_within_capacity": model.professionals.audit(),
        "discovery_hours_within_capacity": discovery_audit(model),
        **service_hours_checks(model),
    }


def service_hours_checks(model: FiveSocietyModel) -> dict[str, bool]:
    """Every need served consumed its providers' hours, and every hour providers gave to needs is in a need's ledger."""
    needs = model.needs
    state, end = needs.view("state"), needs.view("service_end_day")
    given = (state == State.MET) | ((state == State.IN_SERVICE) & (end != IN_DELIVERY))
    from_pools = sum(needs.view(column) for column in HOURS_PROVIDERS.values())
    by_hours = given & np.isin(needs.view("provider"), [int(p) for p in HOURS_PROVIDERS])
    hours = needs.view("hours").astype(np.float64)
    pools = {Provider.VOLUNTEER: model.volunteers, Provider.SOCIAL_WORKER: model.social_workers, Provider.PROFESSIONAL: model.professionals}
    return {
        "served_needs_have_all_their_hours": bool(np.all(needs.view("hours_left")[given] <= DONE_HOURS)),
        "needs_met_by_providers_consumed_their_hours": bool(np.allclose(from_pools[by_hours], hours[by_hours], rtol=1e-9, atol=1e-6)),
        "no_need_given_more_than_it_needs": bool(np.all(from_pools <= hours + 1e-6)),
        **{f"{p.name.lower()}_hours_served_match_needs": bool(np.isclose(pools[p].view("served").sum(), needs.view(column).sum(), rtol=1e-9, atol=1e-6))
           for p, column in HOURS_PROVIDERS.items()},
    }


def by_community(model: FiveSocietyModel) -> dict[str, dict[str, float]]:
    """Per-community needs, coverage and money."""
    needs = model.needs
    state, community = needs.view("state"), needs.view("community")
    result = {}
    for c, committee in enumerate(model.committees):
        mine = community == c
        met = int(np.count_nonzero(mine & (state == State.MET)))
        unmet = int(np.count_nonzero(mine & (state == State.UNMET)))
        residents = int(model.population.counts[c])
        result[committee.name] = {
            "residents": float(residents),
            "needs_arisen": float(np.count_nonzero(mine)),
            "needs_met": float(met),
            "needs_unmet": float(unmet),
            "coverage": met / (met + unmet) if met + unmet else 0.0,
            "unmet_per_1000": 1000.0 * unmet / max(residents, 1),
            "government_spent_yuan": float(model.funding.spent_yuan[c]),
            "charity_raised_yuan": float(model.funds[c].raised_yuan),
            "volunteers_active": float(np.count_nonzero(model.volunteers.view("active") & (model.volunteers.view("community") == c))),
        }
    return result


def unmet_by_cell(model: FiveSocietyModel) -> list[list[int]]:
    """Unmet needs by residents' home cell, as rows (y) of columns (x)."""
    grid = np.zeros((model.layout.height, model.layout.width), dtype=np.int64)
    unmet = model.needs.view("state") == State.UNMET
    resident = model.needs.view("resident")[unmet]
    np.add.at(grid, (model.population.cell_y[resident], model.population.cell_x[resident]), 1)
    return grid.tolist()


def _open_in(model: FiveSocietyModel, state: State) -> int:
    return int(np.count_nonzero(model.needs.state[model.needs.open_ids] == state))


SERIES = {
    "needs_arisen": lambda m: float(m.needs.size),
    "needs_met": lambda m: float(m.tally.met["all"]),
    "needs_unmet": lambda m: float(m.tally.unmet["all"]),
    "needs_unreported": lambda m: float(_open_in(m, State.UNREPORTED)),
    "needs_waiting": lambda m: float(_open_in(m, State.WAITING)),
    "needs_in_service": lambda m: float(_open_in(m, State.IN_SERVICE)),
    "coverage": lambda m: m.tally.coverage(),
    "coverage_elderly": lambda m: m.tally.coverage("elderly"),
    "coverage_disabled": lambda m: m.tally.coverage("disabled"),
    "coverage_children": lambda m: m.tally.coverage("children"),
    "coverage_hardship": lambda m: m.tally.coverage("hardship"),
    "volunteers_active": lambda m: float(volunteers_active(m)),
    "volunteer_hours": volunteer_hours,
    "government_spent_yuan": lambda m: float(m.funding.spent_yuan.sum()),
    "charity_raised_yuan": lambda m: float(sum(f.raised_yuan for f in m.funds)),
    "fund_balance_yuan": lambda m: float(sum(f.holdings_yuan for f in m.funds)),
}

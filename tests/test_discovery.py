"""Discovery: closed-form hazard checks, the register (走访台账), and no free effort."""

from __future__ import annotations

import numpy as np
import pytest

from sim.agents.committee import VisitRegister
from sim.households import Households
from sim.loading import load_scenario
from sim.metrics import invariants
from sim.model import FiveSocietyModel
from sim.needs import NEED_TYPES
from sim.policies.discovery import CadenceRounds

from .conftest import ROOT, run_model, small

ALL_HIDDEN = {f"needs.{t.value}.hidden_share": 1.0 for t in NEED_TYPES}
LONG_PATIENCE = {f"needs.{t.value}.patience_days": 400 for t in NEED_TYPES}
# only patrols find needs, at a constant hazard: no money (no outreach, no hub recruitment), no
# turnover (the patrol team stays the same), every volunteer patrols
PATROLS_ONLY = {
    **ALL_HIDDEN, **LONG_PATIENCE, "budget.total_yuan": 0.0, "volunteers.quit_rate_per_year": 0.0,
    "volunteers.recruit_rate_per_year": 0.0, "linkage.discovery.patrol_share": 1.0,
}
NO_OUTREACH = {"social_workers.outreach_share": 0.0}
CADENCE_ON = {"linkage.discovery.contact_interval_days": 7, "linkage.discovery.visit_interval_days": 30,
              "linkage.discovery.meeting_interval_days": 90}


def patrol_hazard_per_day(model: FiveSocietyModel) -> float:
    """The closed-form daily patrol hazard of the scenario (one community, constant team)."""
    d = model.scenario.linkage.discovery
    patrollers = int(np.count_nonzero(model.volunteers.view("active") & model.volunteers.view("patrol")))
    return patrollers * d.patrol_hours_per_week / 7.0 * d.residents_per_patrol_hour / model.population.size * d.patrol_detect_prob


def test_a_constant_hazard_finds_one_minus_exp_of_hidden_needs() -> None:
    """A hazard h a day finds 1 - exp(-h t) of hidden needs by age t (within binomial sampling error)."""
    days = 180
    model = run_model(small(PATROLS_ONLY, residents=6000, days=days), seed=11)
    h = patrol_hazard_per_day(model)
    needs = model.needs
    age = days - needs.view("arrival_day")  # discovery runs on the arrival day too
    assert np.allclose(needs.view("discovery_hazard")[~needs.view("discovered")], h * age[~needs.view("discovered")], rtol=1e-4)
    expected = 1.0 - np.exp(-h * age)
    found = needs.view("discovered")
    assert needs.size > 1000 and 0.01 < h < 0.1
    for low, high in ((0, 30), (30, 90), (90, days + 1)):
        band = (age >= low) & (age < high)
        mean, sd = expected[band].sum(), np.sqrt((expected[band] * (1 - expected[band])).sum())
        assert abs(found[band].sum() - mean) < 4 * sd, (low, high, found[band].sum(), mean, sd)


def test_a_screened_households_needs_are_found_at_least_as_early() -> None:
    """Common random numbers: the same needs, with half the households on the register or not."""
    scenario = small({**ALL_HIDDEN, **NO_OUTREACH, "linkage.discovery.register_report_rate_per_day": 0.05}, days=90)
    plain, screened = FiveSocietyModel(scenario, seed=4), FiveSocietyModel(scenario, seed=4)
    half = np.arange(0, screened.households.count, 2)
    screened.register.record(half, day=0)
    found = {id(m): np.full(0, -1) for m in (plain, screened)}
    for day in range(scenario.days):
        for model in (plain, screened):
            model.step()
            first = found[id(model)]
            first = np.concatenate([first, np.full(model.needs.size - first.size, -1)])
            first[(first < 0) & model.needs.view("discovered")] = day
            found[id(model)] = first
    assert np.array_equal(plain.needs.view("resident"), screened.needs.view("resident"))
    a, b = found[id(plain)], found[id(screened)]
    on_register = np.isin(screened.households.of_resident[screened.needs.view("resident")], half)
    assert np.all((b[a >= 0] >= 0) & (b[a >= 0] <= a[a >= 0]))  # found in the plain run: found as early or earlier
    earlier = (b >= 0) & ((a < 0) | (b < a))
    assert np.count_nonzero(earlier & on_register) > 10
    assert np.count_nonzero(earlier & ~on_register) <= np.count_nonzero(earlier & on_register) // 3


def test_the_register_fades_and_a_new_screening_refreshes_it() -> None:
    register = VisitRegister(3)
    register.record(np.array([0, 1]), day=10)
    assert list(register.strength(np.array([0, 2]), 10, 100.0)) == [0.0, 0.0]  # from the day after
    assert register.strength(np.array([0]), 110, 100.0)[0] == pytest.approx(np.exp(-1.0))
    register.record(np.array([1]), day=109)
    assert register.strength(np.array([1]), 110, 100.0)[0] == pytest.approx(np.exp(-0.01))
    assert list(register.on_register()) == [True, True, False]


def test_households_are_derived_without_a_draw_and_slice_by_community() -> None:
    scenario = small(communities={"north": {"residents": 700, "volunteers": 20}})
    model = FiveSocietyModel(scenario, seed=2)
    h = model.households
    assert isinstance(h, Households)
    sizes = np.bincount(h.of_resident, minlength=h.count)
    assert sizes.min() >= 1 and sizes.max() <= 3
    assert h.count == pytest.approx(model.population.size / 2.62, abs=2)
    for c in range(2):
        mine = h.of_resident[model.population.community == c]
        assert mine.min() == h.start[c] and mine.max() == h.stop[c] - 1
    again = FiveSocietyModel(small({"linkage.discovery.residents_per_household": 1.0}, communities={"north": {"residents": 700, "volunteers": 20}}), seed=2)
    assert np.array_equal(again.population.group, model.population.group)  # households change nobody's attributes


def test_cadence_rounds_cover_what_the_hours_allow() -> None:
    """Rounds ask for more hours than representatives and staff offer: each covers the offered share."""
    scenario = small(CADENCE_ON, residents=3000)
    d = scenario.linkage.discovery
    rounds = CadenceRounds(d, np.array([1000]), np.array([3000]))
    asked = 1000 * d.contact_hours_per_household / 7 + 1000 * d.visit_hours_per_household / 30 + 90 * d.meeting_hours_per_representative / 90
    offered = 90 * d.representative_hours_per_week / 7 + 3000 * 18 / 10_000 * 40 * d.committee_staff_discovery_share / 7
    assert rounds.representatives[0] == 90
    assert rounds.fraction[0] == pytest.approx(offered / asked)
    covered = np.concatenate([rounds.hold("contact", np.array([0])) for _ in range(10)])
    assert covered.size == pytest.approx(10 * 1000 * offered / asked, abs=1)
    assert np.bincount(covered, minlength=1000).max() - np.bincount(covered, minlength=1000).min() <= 1  # in turn
    used = rounds.representative_hours.sum() + rounds.staff_hours.sum()
    assert used == pytest.approx(covered.size * d.contact_hours_per_household)
    assert rounds.staff_hours.sum() / used == pytest.approx(rounds.staff_supply_per_day[0] / (offered))


def test_rounds_without_hours_find_nothing() -> None:
    """No free effort: the cadence switched on with nobody's hours changes no outcome."""
    nobody = {**CADENCE_ON, "linkage.discovery.representative_hours_per_week": 0.0,
              "linkage.discovery.committee_staff_discovery_share": 0.0}
    off = run_model(small(days=90), seed=3).result().kpis
    on = run_model(small(nobody, days=90), seed=3).result().kpis
    assert on["coverage"] == off["coverage"] and on["hidden_discovered"] == off["hidden_discovered"]
    assert on["discovery_hours"] == off["discovery_hours"]


@pytest.mark.parametrize("lever, hours", [
    ("representatives", ("representative_hours", "committee_staff_hours")),
    ("patrols", ("patrol_hours",)),
    ("outreach", ("outreach_hours",)),
])
def test_switching_a_discovery_lever_on_consumes_hours(lever: str, hours: tuple[str, ...]) -> None:
    """Each discovery lever file finds more needs and someone's hours went into it (and yuan when paid)."""
    base = load_scenario(ROOT / "scenarios" / "baseline.toml")
    on = load_scenario(ROOT / "scenarios" / "levers" / f"{lever}.toml")
    off_model, on_model = run_model(base.model_copy(update={"days": 120}), seed=1), run_model(on.model_copy(update={"days": 120}), seed=1)
    off, with_lever = off_model.result().kpis, on_model.result().kpis
    assert with_lever["hidden_discovered"] > off["hidden_discovered"]
    parts = ("representative_hours", "committee_staff_hours", "outreach_hours", "patrol_hours")
    extra = with_lever["discovery_hours"] - off["discovery_hours"]
    assert extra > 0 and extra == pytest.approx(sum(with_lever[k] - off[k] for k in parts))  # every extra hour is someone's
    for key in hours:
        assert with_lever[key] > off[key]
    if lever != "patrols":  # paid hours: committee staff and station social workers
        assert with_lever["discovery_paid_yuan"] > off["discovery_paid_yuan"]
    assert on_model.needs.size == off_model.needs.size  # common random numbers


def test_outreach_screens_the_longest_unscreened_vulnerable_households_first() -> None:
    model = FiveSocietyModel(small(residents=2000), seed=6)
    model.step()
    screened = np.flatnonzero(model.register.on_register())
    h = model.households
    per_day = model.outreach_hours_per_week[0] / 7.0 / model.scenario.linkage.discovery.outreach_hours_per_household
    assert screened.size == int(per_day + 1e-9)
    assert h.vulnerable[screened].all() and h.vulnerable.sum() > screened.size
    assert model.outreach.hours_given.sum() == pytest.approx(screened.size * model.scenario.linkage.discovery.outreach_hours_per_household)


def test_discovery_hours_stay_within_what_was_offered() -> None:
    model = run_model(small(CADENCE_ON, days=120), seed=2)
    assert invariants(model)["discovery_hours_within_capacity"]
    kpis = model.result().kpis
    assert kpis["discovery_hours"] == pytest.approx(kpis["representative_hours"] + kpis["committee_staff_hours"]
                                                    + kpis["outreach_hours"] + kpis["patrol_hours"])
    assert kpis["households_on_register"] == model.households.count  # monthly visits reach everyone in 120 days

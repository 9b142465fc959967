"""Building a district's state from a scenario and a seed (no Mesa: ``sim.model`` adds the agents)."""

from __future__ import annotations

import numpy as np

from sim import lifecycle
from sim.core.pools import ContractPool, HoursPool, VolunteerPool
from sim.arrivals import Arrivals, NeedParameters
from sim.core.records import Committee, Fund, Organisation, OrgKind, ProgrammeRun, VisitRegister
from sim.core.state import Capacity, DistrictState, FundingLedger, Streets
from sim.households import Households
from sim.needs import NEED_TYPES, PROGRAMME_TYPES, Group, NeedTable, Programme
from sim.policies import discovery, volunteering
from sim.population import Population
from sim.rng import Streams
from sim.scenario import BUDGET_LINES, Scenario
from sim.world import Block, Layout, build_layout


def build_state(scenario: Scenario, seed: int) -> DistrictState:
    """The district on day 0: residents, households, providers, committees, funds, programmes, initial volunteers."""
    streams = Streams(seed)
    layout = build_layout(scenario)
    population = Population(scenario, layout, streams.population)
    need_params = NeedParameters(scenario)
    arrivals = Arrivals(scenario, need_params, population)
    listed = population.listed
    d = scenario.linkage.discovery
    households = Households(population, d.residents_per_household)
    n = len(layout.blocks)
    costs = need_params.hours_mean + need_params.yuan_mean / scenario.conversion.yuan_per_professional_hour
    professionals = ContractPool()
    organizations, programmes = _organisations(scenario, layout, professionals)
    state = DistrictState(
        streams=streams, layout=layout, population=population, need_params=need_params, arrivals=arrivals,
        needs=NeedTable(), tally=lifecycle.Tally(), listed=listed, listed_ids=np.flatnonzero(listed).astype(np.int32),
        households=households, register=VisitRegister(households.count),
        rounds=discovery.CadenceRounds(d, households.per_community, population.counts), outreach=discovery.Outreach(n),
        adults_by_community=_adults_by_community(population, n),
        expected_need_hours=arrivals.expected_cost_by_community(costs, population),
        volunteers=VolunteerPool(max(16, sum(c.volunteers for c in scenario.communities.values()) * 2)),
        social_workers=HoursPool(), professionals=professionals, streets=_streets(scenario, population.counts),
        committees=[Committee(b.index, b.name, b.service_point, c.performance_prior)
                    for b, c in zip(layout.blocks, scenario.communities.values())],
        funds=[Fund(b.index) for b in layout.blocks], organizations=organizations, programmes=programmes,
        work_units=np.array([c.work_units for c in scenario.communities.values()]),
        funding=FundingLedger({line: np.zeros(n) for line in BUDGET_LINES}, np.zeros(n), np.zeros(n)),
        capacity=Capacity(np.zeros(n), np.zeros(n), np.zeros(n)),
        unmet_by_compound=np.zeros(population.compound_count), met_by_compound=np.zeros(population.compound_count),
    )
    volunteering.initial_volunteers(state, scenario)
    return state


def _adults_by_community(population: Population, communities: int) -> list[np.ndarray]:
    """Each community's residents who may volunteer (``volunteering.adults``), as views of one array.

    One pass over the residents instead of one per community; residents are contiguous by
    community, so each community's adults are one slice, in index order. They stay int64 (numpy's
    index type): recruitment indexes with them every day, and an int32 index array is cast on each use.
    """
    adults = np.flatnonzero(population.group != Group.CHILD)
    per_community = np.bincount(population.community[adults], minlength=communities)
    return np.split(adults, np.cumsum(per_community)[:-1])


def _streets(scenario: Scenario, counts: np.ndarray) -> Streets:
    """Group communities into streets (街道): a community with no street is a street of its own."""
    names = [f"street:{c.street}" if c.street else f"community:{key}" for key, c in scenario.communities.items()]
    streets = list(dict.fromkeys(names))
    street_of = np.array([streets.index(n) for n in names], dtype=np.int64)
    members = [np.flatnonzero(street_of == s) for s in range(len(streets))]
    weights = counts.astype(float)
    share = weights / np.maximum(np.bincount(street_of, weights=weights)[street_of], 1.0)
    return Streets(street_of, members, share, [[] for _ in members])


def _organisations(scenario: Scenario, layout: Layout, professionals: ContractPool) -> tuple[list[Organisation], list[ProgrammeRun]]:
    """Every community's hub and service organisations, pooled contracts and programmes."""
    organizations: list[Organisation] = []
    programmes: list[ProgrammeRun] = []
    for block, community in zip(layout.blocks, scenario.communities.values()):
        orgs, runs = _community_organisations(scenario, layout, block, community.programmes, professionals)
        organizations.extend(orgs)
        programmes.extend(runs)
    return organizations, programmes


def _community_organisations(scenario: Scenario, layout: Layout, block: Block, programme_names: list[Programme],
                             professionals: ContractPool) -> tuple[list[Organisation], list[ProgrammeRun]]:
    """A community's hub and service organisations, their professional contract and programmes."""
    org, community, venue = scenario.organizations, block.index, block.venue
    hubs = [Organisation(OrgKind.HUB, community, venue) for _ in range(org.hub_orgs)]
    services = [Organisation(OrgKind.SERVICE, community, venue) for _ in range(org.service_orgs)]
    x_m, y_m = ((np.array(venue) + 0.5) * layout.cell_size_m).tolist()
    if services:  # one pooled purchased-services contract per community, held by its service organisations
        slot = int(professionals.add(1, community=community, area=community, x_m=x_m, y_m=y_m)[0])
        for organization in services:
            organization.professional_slot = slot
    runs = []
    for i, name in enumerate(dict.fromkeys(programme_names)):
        schedule = scenario.schedules.of(name)
        run = ProgrammeRun(name, community, tuple(NEED_TYPES.index(t) for t in PROGRAMME_TYPES[name]),
                           0.0, org.sessions_per_week, venue, base_places=float(org.base_places),
                           days_per_week=schedule.days_per_week, funded_places=schedule.places_per_day)
        runs.append(run)
        if services:
            services[i % len(services)].programmes.append(run)
    return hubs + services, runs

"""The five-society linkage model: a Mesa model whose step is one day.

Phases of a day, in order (``FiveSocietyModel.step``):

1. funding      -- a funding period starts (budget spread, turned into capacity); today's pay
2. arrivals     -- new needs arise (policy-free streams: common random numbers)
3. discovery    -- residents report needs; patrols, outreach and representatives find hidden ones
4. volunteering -- hours refill; volunteers quit and are recruited
5. sessions     -- programmes holding a session today open
6. list visits  -- scheduled visits to listed households (list or mixed service mode)
7. dispatch     -- the committee or the platform matches waiting needs to providers
8. sessions     -- sessions close: activities, person-times, staff hours
9. life cycle   -- services complete; needs past their patience close unmet
10. giving      -- donations into community funds, matched when policy says
11. deliberation -- meetings move programme places to where needs go unmet
12. record      -- daily series (Mesa DataCollector)
"""

from __future__ import annotations

import math

import mesa
import numpy as np
from mesa.discrete_space import Cell, OrthogonalMooreGrid

from sim import lifecycle, metrics
from sim.agents import CommunityCommittee, CommunityFund, Resident, SocialOrganization, SocialWorker, Volunteer
from sim.agents.committee import VisitRegister
from sim.agents.organization import ProgrammeRun
from sim.agents.pools import ContractPool, HoursPool, VolunteerPool
from sim.arrivals import Arrivals, NeedParameters
from sim.households import Households
from sim.needs import PROGRAMME_TYPES, NEED_TYPES, NeedTable
from sim.policies import deliberation, discovery, giving, listing, programmes, volunteering
from sim.policies.programmes import full_year_yuan
from sim.policies.funding import WEEKS_PER_YEAR, Funding
from sim.policies.matching import Dispatcher
from sim.population import Population
from sim.rng import Streams
from sim.run import RunResult
from sim.scenario import Community, Scenario
from sim.world import Block, build_layout


class FiveSocietyModel(mesa.Model):
    """Residents' needs met (or not) by the linked community, social workers, organisations, volunteers and charity."""

    def __init__(self, scenario: Scenario, seed: int | None = None) -> None:
        seed = scenario.seed if seed is None else int(seed)
        super().__init__(seed=seed)
        self.scenario = scenario
        self.streams = Streams(seed)
        self.layout = build_layout(scenario)
        self.grid = OrthogonalMooreGrid((self.layout.width, self.layout.height), torus=False, capacity=None, random=self.random)
        self.population = Population(scenario, self.layout, self.streams.population)
        self.need_params = NeedParameters(scenario)
        self.arrivals = Arrivals(scenario, self.need_params, self.population)
        self.needs = NeedTable()
        self.tally = lifecycle.Tally()
        self._init_counters()
        self._init_residents()
        self._init_societies()
        self.funding = Funding(self)
        self.dispatcher = Dispatcher(self)
        volunteering.initial_volunteers(self)
        self.datacollector = mesa.DataCollector(model_reporters=dict(metrics.SERIES))

    # -- building the world -------------------------------------------------------------------
    def _init_counters(self) -> None:
        n_communities, n_compounds = len(self.layout.blocks), self.population.compound_count
        self.activities_held = 0
        self.person_times_served = 0
        self.organization_hours = 0.0
        self.patrol_hours = 0.0
        self.social_worker_other_hours = 0.0
        self.list_visits = 0
        self.regular_attendance = 0
        self.roster_version = 0
        self.sessions_today: list[ProgrammeRun] = []
        self.unmet_by_compound = np.zeros(n_compounds)
        self.met_by_compound = np.zeros(n_compounds)
        self.outreach_hours_per_week = np.zeros(n_communities)
        self.supervision_hours_per_week = np.zeros(n_communities)
        self.hub_hours_per_week = np.zeros(n_communities)

    def _init_residents(self) -> None:
        population, link = self.population, self.scenario.linkage
        self.listed = population.listed(link.list_elderly_share, population.list_u)
        self.listed_ids = np.flatnonzero(self.listed)
        for index, (x, y) in enumerate(zip(population.cell_x.tolist(), population.cell_y.tolist())):
            Resident(self, index, self.grid[(x, y)])
        self._init_discovery()
        self.adults_by_community = [volunteering.adults(self, c) for c in range(len(self.layout.blocks))]
        costs = self.need_params.hours_mean + self.need_params.yuan_mean / self.scenario.conversion.yuan_per_professional_hour
        self.expected_need_hours = self.arrivals.expected_cost_by_community(costs, population)

    def _init_discovery(self) -> None:
        """Households, the committee's register of screened ones, the cadence's rounds and outreach."""
        d = self.scenario.linkage.discovery
        self.households = Households(self.population, d.residents_per_household)
        self.register = VisitRegister(self.households.count)
        self.rounds = discovery.CadenceRounds(d, self.households.per_community, self.population.counts)
        self.outreach = discovery.Outreach(len(self.layout.blocks))

    def _init_societies(self) -> None:
        s = self.scenario
        self.volunteers = VolunteerPool(max(16, sum(c.volunteers for c in s.communities.values()) * 2))
        self.social_workers = HoursPool()
        self.professionals = ContractPool()
        self.volunteer_agents: dict[int, Volunteer] = {}
        self._init_streets()
        self.social_worker_slots: list[list[int]] = [[] for _ in self.street_members]
        self.committees, self.funds, self.organizations, self.programmes = [], [], [], []
        for block, community in zip(self.layout.blocks, s.communities.values()):
            service_point = self.cell_at(block.service_point)
            self.committees.append(CommunityCommittee(self, block.index, block.name, service_point, community.performance_prior))
            self.funds.append(CommunityFund(self, block.index))
            self._init_organizations(block, community)
        self.work_units = np.array([c.work_units for c in s.communities.values()])

    def _init_organizations(self, block: Block, spec: Community) -> None:
        """A community's hub and service organisations, their professional hours and programmes."""
        org, community, venue_xy = self.scenario.organizations, block.index, block.venue
        venue = self.cell_at(venue_xy)
        for _ in range(org.hub_orgs):
            self.organizations.append(SocialOrganization(self, "hub", community, venue))
        services = [SocialOrganization(self, "service", community, venue) for _ in range(org.service_orgs)]
        self.organizations.extend(services)
        x_m, y_m = ((np.array(venue_xy) + 0.5) * self.layout.cell_size_m).tolist()
        if services:  # one pooled purchased-services contract per community, held by its service organisations
            slot = int(self.professionals.add(1, community=community, area=community, x_m=x_m, y_m=y_m)[0])
            for organization in services:
                organization.professional_slot = slot
        for i, name in enumerate(dict.fromkeys(p.value for p in spec.programmes)):
            schedule = self.scenario.schedules.of(name)
            run = ProgrammeRun(name, community, tuple(NEED_TYPES.index(t) for t in PROGRAMME_TYPES[name]),
                               0.0, org.sessions_per_week, venue_xy, base_places=float(org.base_places),
                               days_per_week=schedule.days_per_week, funded_places=schedule.places_per_day)
            self.programmes.append(run)
            if services:
                services[i % len(services)].programmes.append(run)

    def cell_at(self, xy: tuple[int, int]) -> Cell:
        """The grid cell at ``(x, y)``."""
        return self.grid[tuple(xy)]

    def _init_streets(self) -> None:
        """Group communities into streets (街道): a community with no street is a street of its own."""
        names = [f"street:{c.street}" if c.street else f"community:{key}" for key, c in self.scenario.communities.items()]
        streets = list(dict.fromkeys(names))
        self.street_of = np.array([streets.index(n) for n in names], dtype=np.int64)
        self.street_members = [np.flatnonzero(self.street_of == s) for s in range(len(streets))]
        counts = self.population.counts.astype(float)
        self.street_resident_share = counts / np.maximum(np.bincount(self.street_of, weights=counts)[self.street_of], 1.0)

    # -- capacity from money ------------------------------------------------------------------
    def has_recipient(self, line: str) -> np.ndarray:
        """Communities where a budget line can be spent (1.0) or not (0.0)."""
        n = len(self.committees)
        org = self.scenario.organizations
        if line == "demonstration":
            return np.array([any(r.community == c for r in self.programmes) for c in range(n)], dtype=float)
        if line == "hub_awards":
            return np.full(n, float(org.hub_orgs > 0))
        if line == "purchased_services":
            return np.full(n, float(org.service_orgs > 0))
        return np.ones(n)

    def area_of(self, pool: HoursPool, communities: np.ndarray) -> np.ndarray:
        """The area key a provider of ``pool`` must share with needs of ``communities``: the street for social workers."""
        return self.street_of[communities] if pool is self.social_workers else communities

    def usable_yuan_per_year(self, line: str) -> np.ndarray:
        """The most a line can turn into capacity in each community a year (inf: no limit).

        Demonstration money opens programmes on their real schedule; more than every week of the
        year of every programme cannot be used, so it is not disbursed.
        """
        n = len(self.committees)
        if line != "demonstration":
            return np.full(n, np.inf)
        full = np.zeros(n)
        for run in self.programmes:
            full[run.community] += full_year_yuan(run.name, self.scenario)
        return full

    def apply_capacity(self, yuan_per_year: dict[str, np.ndarray]) -> None:
        """Turn this period's yearly-rate allocation into providers' hours and places."""
        conv, sw = self.scenario.conversion, self.scenario.social_workers
        street_yuan = np.bincount(self.street_of, weights=yuan_per_year["stations"], minlength=len(self.street_members))
        street_fte = street_yuan / conv.yuan_per_social_worker_year + sw.base_workers * np.array([m.size for m in self.street_members])
        for street, workers in enumerate(street_fte):
            self._staff_social_workers(street, float(workers))
        hours = street_fte[self.street_of] * self.street_resident_share * sw.hours_per_week  # street hours by head count
        self.outreach_hours_per_week = hours * sw.outreach_share
        self.supervision_hours_per_week = hours * max(0.0, 1.0 - sw.casework_share - sw.outreach_share)
        self.hub_hours_per_week = yuan_per_year["hub_awards"] / conv.yuan_per_hub_hour / WEEKS_PER_YEAR
        professional = yuan_per_year["purchased_services"] / conv.yuan_per_professional_hour / WEEKS_PER_YEAR
        for organization in self.organizations:
            if organization.kind == "hub":
                organization.coordination_hours_per_week = self.hub_hours_per_week[organization.community] / self.scenario.organizations.hub_orgs
            elif organization.professional_slot is not None:
                slot = organization.professional_slot
                self.professionals.hours_per_week[slot] = professional[organization.community]
                self.professionals.refill_per_week[slot] = professional[organization.community]
        self._fund_programmes(yuan_per_year["demonstration"])

    def _fund_programmes(self, yuan_per_year: np.ndarray) -> None:
        """Each community's demonstration money opens its programmes for the same share of the year's weeks."""
        full = self.usable_yuan_per_year("demonstration")
        share = np.divide(yuan_per_year, full, out=np.zeros_like(full), where=full > 0)
        for run in self.programmes:
            run.funded_share = float(min(1.0, share[run.community]))
        self.refresh_places()

    def _staff_social_workers(self, street: int, fte: float) -> None:
        """A street's station social workers: based at its station, serving every community of the street."""
        slots = self.social_worker_slots[street]
        needed = math.ceil(fte - 1e-9)
        members = self.street_members[street]
        blocks = [self.layout.blocks[c] for c in members]
        home = next((b for b in blocks if b.station is not None), blocks[0])
        base = self.cell_at(home.station or home.service_point)
        while len(slots) < needed:
            x_m, y_m = ((np.array(base.coordinate) + 0.5) * self.layout.cell_size_m).tolist()
            slot = int(self.social_workers.add(1, community=home.index, area=street, x_m=x_m, y_m=y_m)[0])
            slots.append(slot)
            SocialWorker(self, slot, base)
        sw = self.scenario.social_workers
        for i, slot in enumerate(slots):
            hours = fte * sw.hours_per_week / needed if i < needed else 0.0
            self.social_workers.hours_per_week[slot] = hours
            self.social_workers.refill_per_week[slot] = hours * sw.casework_share
            self.social_workers.active[slot] = i < needed

    def refresh_places(self) -> None:
        """Places a programme opens with (a funded day's, else its own sessions'), times deliberation weights."""
        for run in self.programmes:
            run.places = (run.funded_places if run.funded_share > 0 else run.base_places) * run.weight

    # -- volunteers as Mesa agents ------------------------------------------------------------
    def add_volunteer_agents(self, slots: np.ndarray) -> None:
        """Create the Mesa agents of new volunteers at their homes."""
        population = self.population
        for slot in slots.tolist():
            resident = int(self.volunteers.resident[slot])
            cell = self.cell_at((int(population.cell_x[resident]), int(population.cell_y[resident])))
            self.volunteer_agents[slot] = Volunteer(self, slot, cell)
        self.roster_version += 1

    def remove_volunteer_agents(self, slots: np.ndarray) -> None:
        """Remove the Mesa agents of volunteers who quit."""
        for slot in slots.tolist():
            self.volunteer_agents.pop(slot).remove()
        self.roster_version += 1

    def move_volunteer(self, slot: int, resident: int) -> None:
        """A volunteer goes to the home of the resident it serves."""
        population = self.population
        self.volunteer_agents[slot].cell = self.cell_at((int(population.cell_x[resident]), int(population.cell_y[resident])))

    def patrollers_by_community(self) -> np.ndarray:
        """Active patrol volunteers per community."""
        pool = self.volunteers
        mask = pool.view("active") & pool.view("patrol")
        return np.bincount(pool.view("community")[mask], minlength=len(self.committees)).astype(float)

    def supervised_share(self) -> np.ndarray:
        """Share of each community's active volunteers that social workers can supervise."""
        return self._share_of_volunteers(self.supervision_hours_per_week * self.scenario.social_workers.volunteers_per_supervision_hour)

    def organised_share(self) -> np.ndarray:
        """Share of each community's active volunteers organised by social workers or hub organisations."""
        capacity = (self.supervision_hours_per_week * self.scenario.social_workers.volunteers_per_supervision_hour
                    + self.hub_hours_per_week * self.scenario.volunteers.volunteers_per_coordination_hour)
        return self._share_of_volunteers(capacity)

    def _share_of_volunteers(self, capacity: np.ndarray) -> np.ndarray:
        pool = self.volunteers
        active = np.bincount(pool.view("community")[pool.view("active")], minlength=len(self.committees))
        return np.minimum(1.0, capacity / np.maximum(active, 1))

    # -- the day ------------------------------------------------------------------------------
    def step(self) -> None:
        """One day: the phases listed in the module docstring."""
        day = self.steps - 1
        self.funding.step(day)
        self.arrivals.draw(day, self.streams, self.population, self.needs, self.listed)
        discovery.step(self, day)
        volunteering.step(self, day)
        programmes.open_sessions(self, day)
        listing.step(self, day)
        self.dispatcher.step(day)
        programmes.close_sessions(self, day)
        lifecycle.step(self, day)
        giving.step(self, day)
        deliberation.step(self, day)
        self._record_effort()
        self.datacollector.collect(self)

    def _record_effort(self) -> None:
        """Hours given today outside matched services: patrols, outreach, supervision, coordination."""
        volunteering.end_of_day(self)
        patrol = self.scenario.linkage.discovery.patrol_hours_per_week
        self.patrol_hours += float(self.patrollers_by_community().sum()) * patrol / 7.0
        self.social_worker_other_hours += float((self.outreach_hours_per_week + self.supervision_hours_per_week).sum()) / 7.0
        self.organization_hours += float(self.hub_hours_per_week.sum()) / 7.0

    def run(self, days: int) -> None:
        """Step ``days`` days."""
        for _ in range(days):
            self.step()

    def result(self) -> RunResult:
        """KPIs, daily series and per-community KPIs of the run so far."""
        table = self.datacollector.model_vars
        return RunResult(
            kpis=metrics.kpis(self),
            series={name: [float(v) for v in values] for name, values in table.items()},
            communities=metrics.by_community(self),
            unmet_by_cell=metrics.unmet_by_cell(self),
        )

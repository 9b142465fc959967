"""The five-society linkage model as a Mesa model: a view over the core's district state.

The core (``sim.core``) holds the state and runs the phases of a day (``sim.core.day.PHASES``,
listed there in order); it never imports Mesa. ``FiveSocietyModel`` builds the state, steps it one
day per Mesa step, then updates its agents from the day's changes (volunteers who joined, moved
to the home they served, or quit; social workers staffed) and records the daily series with a
Mesa ``DataCollector``.

With ``agents=False`` no grid and no agents are built: the same state, the same results, without
one Python object per resident. Runs that show nothing (``sim.run.simulate``, experiments,
calibration) do not load Mesa at all: ``sim.run.HeadlessRun`` steps the same state, and
``sim.run.run_result`` turns either into the same ``RunResult``.
"""

from __future__ import annotations

import mesa
import numpy as np
from mesa.discrete_space import Cell, OrthogonalMooreGrid

from sim import metrics
from sim.agents import CommunityCommittee, CommunityFund, Resident, SocialOrganization, SocialWorker, Volunteer
from sim.core.pools import ContractPool, HoursPool, VolunteerPool
from sim.arrivals import Arrivals, NeedParameters, reserve_needs
from sim.core.build import build_state
from sim.core.day import step_day
from sim.core.records import Committee, Fund, Organisation, ProgrammeRun, VisitRegister
from sim.core.state import DistrictState, FundingLedger
from sim.households import Households
from sim.lifecycle import Tally
from sim.needs import NeedTable
from sim.policies.discovery import CadenceRounds, Outreach
from sim.population import Population
from sim.rng import Streams
from sim.run import RunResult, run_result
from sim.scenario import Scenario
from sim.world import Layout


class FiveSocietyModel(mesa.Model):
    """Residents' needs met (or not) by the linked community, social workers, organisations, volunteers and charity."""

    def __init__(self, scenario: Scenario, seed: int | None = None, agents: bool = True) -> None:
        seed = scenario.seed if seed is None else int(seed)
        super().__init__(seed=seed)
        self.scenario = scenario
        self.state: DistrictState = build_state(scenario, seed)
        self.agents_shown = agents
        self.volunteer_agents: dict[int, Volunteer] = {}
        if agents:
            self._init_agents()
        self._apply_changes()
        self.datacollector = mesa.DataCollector(model_reporters=dict(metrics.SERIES))

    # -- the agents: views of the state ---------------------------------------------------------
    def _init_agents(self) -> None:
        """The grid, a Resident per resident, and the committees, funds and organisations."""
        layout, population = self.state.layout, self.state.population
        self.grid = OrthogonalMooreGrid((layout.width, layout.height), torus=False, capacity=None, random=self.random)
        for index, (x, y) in enumerate(zip(population.cell_x.tolist(), population.cell_y.tolist())):
            Resident(self, index, self.grid[(x, y)])
        for committee, fund in zip(self.state.committees, self.state.funds):
            CommunityCommittee(self, committee, self.cell_at(committee.service_point))
            CommunityFund(self, fund)
            for organization in self.state.organizations:
                if organization.community == committee.community:
                    SocialOrganization(self, organization, self.cell_at(organization.venue))

    def cell_at(self, xy: tuple[int, int]) -> Cell:
        """The grid cell at ``(x, y)``."""
        return self.grid[tuple(xy)]

    def _home_cell(self, resident: int) -> Cell:
        population = self.state.population
        return self.cell_at((int(population.cell_x[resident]), int(population.cell_y[resident])))

    def _apply_changes(self) -> None:
        """Show the core's changes of the day on the agents, then forget them."""
        changes = self.state.changes
        if self.agents_shown:
            for slot, base in changes.social_workers_added:
                SocialWorker(self, slot, self.cell_at(base))
            for slot in changes.volunteers_added:
                self.volunteer_agents[slot] = Volunteer(self, slot, self._home_cell(int(self.state.volunteers.resident[slot])))
            for slot, resident in changes.volunteer_moves:
                self.volunteer_agents[slot].cell = self._home_cell(resident)
            for slot in changes.volunteers_removed:
                self.volunteer_agents.pop(slot).remove()
        changes.clear()

    # -- the day ------------------------------------------------------------------------------
    def step(self) -> None:
        """One day: the core's phases (``sim.core.day.PHASES``), the agents updated, the series recorded."""
        step_day(self.state, self.scenario, self.steps - 1)
        self._apply_changes()
        self.datacollector.collect(self)

    def run(self, days: int) -> None:
        """Step ``days`` days (the need table sized for them first, as headless runs do)."""
        reserve_needs(self.state, days)
        for _ in range(days):
            self.step()

    def result(self) -> RunResult:
        """KPIs, daily series and per-community KPIs of the run so far (``sim.run.run_result``, as headless runs)."""
        return run_result(self, self.datacollector.model_vars)

    # -- the state's parts under their old names (read by metrics, the app, reports and tests) --
    @property
    def streams(self) -> Streams:
        return self.state.streams

    @property
    def layout(self) -> Layout:
        return self.state.layout

    @property
    def population(self) -> Population:
        return self.state.population

    @property
    def need_params(self) -> NeedParameters:
        return self.state.need_params

    @property
    def arrivals(self) -> Arrivals:
        return self.state.arrivals

    @property
    def needs(self) -> NeedTable:
        return self.state.needs

    @property
    def tally(self) -> Tally:
        return self.state.tally

    @property
    def listed(self) -> np.ndarray:
        return self.state.listed

    @property
    def listed_ids(self) -> np.ndarray:
        return self.state.listed_ids

    @property
    def households(self) -> Households:
        return self.state.households

    @property
    def register(self) -> VisitRegister:
        return self.state.register

    @property
    def rounds(self) -> CadenceRounds:
        return self.state.rounds

    @property
    def outreach(self) -> Outreach:
        return self.state.outreach

    @property
    def volunteers(self) -> VolunteerPool:
        return self.state.volunteers

    @property
    def social_workers(self) -> HoursPool:
        return self.state.social_workers

    @property
    def professionals(self) -> ContractPool:
        return self.state.professionals

    @property
    def committees(self) -> list[Committee]:
        return self.state.committees

    @property
    def funds(self) -> list[Fund]:
        return self.state.funds

    @property
    def organizations(self) -> list[Organisation]:
        return self.state.organizations

    @property
    def programmes(self) -> list[ProgrammeRun]:
        return self.state.programmes

    @property
    def sessions_today(self) -> list[ProgrammeRun]:
        return self.state.sessions_today

    @property
    def work_units(self) -> np.ndarray:
        return self.state.work_units

    @property
    def funding(self) -> FundingLedger:
        return self.state.funding

    @property
    def street_of(self) -> np.ndarray:
        return self.state.streets.street_of

    @property
    def expected_need_hours(self) -> np.ndarray:
        return self.state.expected_need_hours

    @property
    def outreach_hours_per_week(self) -> np.ndarray:
        return self.state.capacity.outreach_hours_per_week

    @property
    def supervision_hours_per_week(self) -> np.ndarray:
        return self.state.capacity.supervision_hours_per_week

    @property
    def hub_hours_per_week(self) -> np.ndarray:
        return self.state.capacity.hub_hours_per_week

    @property
    def unmet_by_compound(self) -> np.ndarray:
        return self.state.unmet_by_compound

    @property
    def met_by_compound(self) -> np.ndarray:
        return self.state.met_by_compound

    @property
    def roster_version(self) -> int:
        return self.state.roster_version

    @property
    def activities_held(self) -> int:
        return self.state.effort.activities_held

    @property
    def person_times_served(self) -> int:
        return self.state.effort.person_times_served

    @property
    def regular_attendance(self) -> int:
        return self.state.effort.regular_attendance

    @property
    def list_visits(self) -> int:
        return self.state.effort.list_visits

    @property
    def organization_hours(self) -> float:
        return self.state.effort.organization_hours

    @property
    def patrol_hours(self) -> float:
        return self.state.effort.patrol_hours

    @property
    def social_worker_other_hours(self) -> float:
        return self.state.effort.social_worker_other_hours

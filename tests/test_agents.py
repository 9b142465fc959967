"""The Mesa agents are true views of the model's arrays."""

from __future__ import annotations

import numpy as np

from sim.agents import CommunityCommittee, CommunityFund, Resident, SocialOrganization, SocialWorker, Volunteer
from sim.core.records import Team
from sim.needs import Group

from .conftest import run_model, small


def test_agent_counts_match_the_arrays() -> None:
    model = run_model(small({"linkage.discovery.patrol_share": 0.5}, residents=800, days=90), seed=3)
    by_type = model.agents_by_type
    assert len(by_type[Resident]) == model.population.size == 800
    assert len(by_type[Volunteer]) == int(np.count_nonzero(model.volunteers.view("active")))
    assert len(by_type[SocialWorker]) == len(model.social_workers.view("community"))
    assert len(by_type[CommunityCommittee]) == len(by_type[CommunityFund]) == 1
    org = model.scenario.organizations
    assert len(by_type[SocialOrganization]) == org.hub_orgs + org.service_orgs


def test_agents_read_their_entry() -> None:
    model = run_model(small(residents=300, days=30), seed=4)
    for resident in list(model.agents_by_type[Resident])[:50]:
        i = resident.index
        assert resident.group == Group(int(model.population.group[i]))
        assert resident.cell.coordinate == (int(model.population.cell_x[i]), int(model.population.cell_y[i]))
        assert 0.0 <= resident.satisfaction <= 1.0
    for volunteer in model.agents_by_type[Volunteer]:
        assert model.population.is_volunteer[volunteer.resident]
        assert volunteer.team in (Team.PATROL, Team.SERVICE) and volunteer.hours_per_week > 0


def test_quitting_volunteers_leave_the_grid() -> None:
    model = run_model(small({"volunteers.quit_rate_per_year": 0.95}, residents=600, days=200), seed=2)
    on_grid = sum(isinstance(a, Volunteer) for cell in model.grid.all_cells for a in cell.agents)
    assert on_grid == len(model.agents_by_type[Volunteer]) < np.count_nonzero(model.volunteers.view("initial"))


def test_headless_runs_give_the_same_results_as_runs_with_agents() -> None:
    from sim.model import FiveSocietyModel

    scenario = small({"linkage.service_mode": "mixed", "linkage.discovery.patrol_share": 0.3}, residents=600, days=60)
    shown, headless = FiveSocietyModel(scenario, seed=5), FiveSocietyModel(scenario, seed=5, agents=False)
    shown.run(60)
    headless.run(60)
    assert shown.result() == headless.result()
    assert not headless.agents and len(shown.agents_by_type[Volunteer]) == int(np.count_nonzero(shown.volunteers.view("active")))

"""The memory estimate: above every measurement in its docstring, longer runs and agent runs cost more."""

from __future__ import annotations

from sim.limits import GB, Size, scenario_size

from .conftest import small

MB = 2**20
# (residents, cells, volunteers, days, agents, measured peak RSS growth in MB): the module docstring's table
MEASURED = [
    (10_000, 400, 300, 365, False, 3.6), (100_000, 400, 3_000, 365, False, 15.0), (200_000, 400, 6_000, 365, False, 26.4),
    (500_000, 400, 15_000, 365, False, 60.9), (500_000, 400, 15_000, 1, False, 41.2), (100_000, 400, 3_000, 1_825, False, 34.9),
    (100_000, 400, 30_000, 365, False, 21.9), (10_000, 1_000_000, 300, 365, False, 18.6),
    (10_000, 400, 300, 365, True, 9.2), (100_000, 400, 3_000, 365, True, 67.1), (200_000, 400, 6_000, 365, True, 129.6),
    (10_000, 10_000, 300, 365, True, 21.3), (10_000, 40_000, 300, 365, True, 59.7),
]


def test_the_estimate_bounds_every_measured_run() -> None:
    for residents, cells, volunteers, days, agents, measured_mb in MEASURED:
        size = Size(residents, volunteers, cells, days)
        estimate = size.memory_bytes_with_agents if agents else size.memory_bytes
        assert estimate >= measured_mb * MB, (residents, cells, volunteers, days, agents)


def test_longer_runs_and_agents_cost_more() -> None:
    year, decade = Size(5_000_000, 14_000, 300_000), Size(5_000_000, 14_000, 300_000, days=3_650)
    assert decade.memory_bytes - year.memory_bytes == 5_000_000 * 60 * 9  # 60 B a resident-year
    assert year.memory_bytes < 1.5 * GB  # the 5 M-resident city's year fits a small machine headless
    assert year.memory_bytes_with_agents > year.memory_bytes + 5_000_000 * 500


def test_scenario_size_counts_the_scenario_and_takes_other_days() -> None:
    scenario = small(residents=2_000, days=90)
    size = scenario_size(scenario)
    assert (size.residents, size.days) == (2_000, 90) and size.cells >= 400
    assert scenario_size(scenario, days=400).days == 400

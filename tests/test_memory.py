"""Bytes per resident: derived columns are exact, index columns narrow, the need table sized once per run."""

from __future__ import annotations

import numpy as np

from sim.core.build import build_state
from sim.policies import volunteering
from sim.run import HeadlessRun

from .conftest import small


def _state(residents: int = 3000):
    scenario = small(residents=residents, days=30, communities={"east": {"residents": 1200, "area_km2": 0.7}})
    return scenario, build_state(scenario, 3)


def test_home_metres_are_exactly_the_stored_columns_they_replace() -> None:
    _, state = _state()
    population, layout = state.population, state.layout
    x_m = (population.cell_x.astype(np.int32) + 0.5) * layout.cell_size_m  # the columns as they were stored
    y_m = (population.cell_y.astype(np.int32) + 0.5) * layout.cell_size_m
    service = np.array([b.service_point for b in layout.blocks], dtype=float)
    dx = (service[population.community, 0] + 0.5) * layout.cell_size_m - x_m
    dy = (service[population.community, 1] + 0.5) * layout.cell_size_m - y_m
    some = np.array([5, 0, 4000, 17, 17])
    assert np.asarray(population.x_m).tobytes() == x_m.tobytes() and np.asarray(population.y_m).tobytes() == y_m.tobytes()
    assert population.x_m[some].tobytes() == x_m[some].tobytes() and population.x_m[4000] == x_m[4000]
    assert population.service_distance_m.tobytes() == np.hypot(dx, dy).tobytes()
    assert len(population.x_m) == population.size


def test_adults_by_community_are_each_communitys_adults_in_one_array() -> None:
    _, state = _state()
    adults = state.adults_by_community
    assert len(adults) == state.communities == 2
    for c, mine in enumerate(adults):
        assert np.array_equal(mine, volunteering.adults(state.population, c)) and mine.base is adults[0].base


def test_per_resident_arrays_stay_narrow() -> None:
    _, state = _state()
    population = state.population
    per_resident = [value for value in vars(population).values() if isinstance(value, np.ndarray) and len(value) == population.size]
    bytes_per_resident = sum(a.itemsize for a in per_resident)
    assert bytes_per_resident <= 34, {k: v.dtype for k, v in vars(population).items() if isinstance(v, np.ndarray)}
    assert state.arrivals.order.dtype == state.households.of_resident.dtype == np.int32
    assert state.register.screened_day.dtype == np.int32


def test_a_run_sizes_its_need_table_once() -> None:
    scenario, _ = _state()
    run = HeadlessRun(scenario, seed=3)
    run.run(400)
    needs = run.state.needs
    assert 1024 < needs.size <= needs.capacity <= 1.1 * needs.size + 500  # sized for the days asked (doubling: 4096)
    capacity = needs.capacity
    needs.reserve(capacity - 1)  # room enough already: nothing reallocated
    assert needs.capacity == capacity

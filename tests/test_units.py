"""Unit tests of the small building blocks: streams, layout, tables, pools, funding periods, metrics."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.pools import HoursPool
from sim.core.records import Fund, ProgrammeRun
from sim.metrics import gini
from sim.needs import NeedTable, Programme, State
from sim.policies.discovery import impulse
from sim.policies.funding import period_of, period_start
from sim.rng import STREAMS, Streams
from sim.run import scenario_hash
from sim.world import block_side_cells, build_layout, compound_rects

from .conftest import small


def test_streams_are_independent_and_reproducible() -> None:
    a, b = Streams(7), Streams(7)
    assert a.arrivals.random() == b.arrivals.random()
    a.giving.random(1000)  # drawing from one stream leaves the others untouched
    assert a.discovery.random() == b.discovery.random()
    assert Streams(7).arrivals.random() != Streams(8).arrivals.random()
    assert len({Streams(7).__getattr__(name).random() for name in STREAMS}) == len(STREAMS)
    with pytest.raises(AttributeError, match="no random stream named 'weather'"):
        Streams(1).weather  # noqa: B018


def test_layout_places_blocks_without_overlap() -> None:
    scenario = small(communities={"b": {"area_km2": 2.0}, "c": {"area_km2": 0.5}})
    layout = build_layout(scenario)
    assert len(layout.blocks) == 3
    covered = np.zeros((layout.height, layout.width), dtype=int)
    for block in layout.blocks:
        x0, y0, w, h = block.rect
        covered[y0:y0 + h, x0:x0 + w] += 1
        assert x0 <= block.service_point[0] < x0 + w and y0 <= block.service_point[1] < y0 + h
    assert covered.max() == 1
    assert block_side_cells(1.0, 50.0) == 20 and block_side_cells(0.0001, 50.0) == 3


def test_compounds_stay_inside_their_block() -> None:
    for count in (1, 5, 8, 30):
        for x, y, w, h in compound_rects((10, 20, 12, 9), count):
            assert 10 <= x and x + w <= 22 and 20 <= y and y + h <= 29


def test_need_table_grows_and_prunes() -> None:
    table = NeedTable(capacity=2)
    ids = table.append(resident=np.arange(5), state=np.full(5, State.WAITING))
    assert ids.tolist() == [0, 1, 2, 3, 4] and table.size == 5
    assert table.match_day[:5].tolist() == [-1] * 5
    table.close(np.array([1, 3]), State.MET, day=2)
    table.prune()
    assert table.open_ids.tolist() == [0, 2, 4] and table.count(State.MET) == 2


def test_hours_pool_banks_are_capped_and_audited() -> None:
    pool = HoursPool()
    [slot] = pool.add(1, refill_per_week=7.0, hours_per_week=7.0)
    for _ in range(30):
        pool.refill()
    assert pool.bank[slot] == pytest.approx(7.0)  # one week's worth at most
    pool.spend(slot, 5.0)
    assert pool.audit()
    pool.given[slot] += 100.0
    assert not pool.audit()


def test_fund_matches_from_reserve_only() -> None:
    fund = Fund(community=0)
    fund.deposit_seed(100.0, matching=True)
    assert fund.donate(80.0, 20.0, ratio=1.0) == 80.0
    assert fund.donate(50.0, 0.0, ratio=1.0) == 20.0  # the reserve runs out
    assert fund.balance_yuan == pytest.approx(80 + 20 + 80 + 50 + 20)
    assert not fund.grant(1e6) and fund.grant(100.0)


def test_programme_sessions_spread_over_the_week() -> None:
    run = ProgrammeRun(Programme.MARKET, 0, (7,), 10.0, 1.0, (0, 0))
    assert sum(run.has_session(day) for day in range(70)) == 10
    run.sessions_per_week = 3.0
    assert sum(run.has_session(day) for day in range(70)) == 30
    run.open_places = run.places
    assert run.need_places(0.7) == 3


def test_funded_weeks_open_on_the_programme_weekdays() -> None:
    run = ProgrammeRun(Programme.CANTEEN, 0, (1,), 40.0, 0.0, (0, 0), base_places=10.0, days_per_week=6, funded_places=40.0,
                       funded_share=0.25)
    open_days = [day for day in range(56) if run.places_on(day) > 0]
    assert open_days == [21, 22, 23, 24, 25, 26, 49, 50, 51, 52, 53, 54]  # one week in four, six days of it
    assert run.places_on(21) == 40.0 and run.places_on(27) == 0.0


def test_funding_periods_are_quarters() -> None:
    assert [period_start(q) for q in range(5)] == [0, 92, 183, 274, 365]
    assert period_of(91) == 0 and period_of(92) == 1 and period_of(364) == 3 and period_of(365) == 4


def test_impulse_gives_its_probability() -> None:
    assert 1 - np.exp(-impulse(0.4)) == pytest.approx(0.4)
    assert np.isfinite(impulse(1.0))


def test_gini() -> None:
    assert gini(np.array([1.0, 1.0, 1.0])) == pytest.approx(0.0)
    assert gini(np.array([0.0, 0.0, 0.0, 4.0])) == pytest.approx(0.75)
    assert gini(np.array([])) == 0.0


def test_scenario_hash_is_stable_and_sensitive() -> None:
    assert scenario_hash(small()) == scenario_hash(small())
    assert scenario_hash(small()) != scenario_hash(small({"linkage.points_enabled": True}))


def test_array_tables_declare_their_columns_and_grow_together() -> None:
    from sim.core.pools import VolunteerPool

    table = NeedTable(capacity=2)
    assert set(table.COLUMNS) >= {"resident", "hours_left", "given_volunteer"} and table.COLUMNS["state"] == np.int8
    ids = table.append(resident=np.arange(3), hours=np.ones(3))
    assert ids.tolist() == [0, 1, 2] and table.capacity == 4 and table.view("match_day").tolist() == [-1, -1, -1]
    with pytest.raises(KeyError, match="no column hourz"):
        table.append(resident=np.arange(1), hourz=np.ones(1))
    pool = VolunteerPool(capacity=1)
    pool.add(2, resident=np.array([5, 7]), hours_per_week=3.0)
    assert pool.view("resident").tolist() == [5, 7] and pool.view("active").all() and pool.capacity == 2

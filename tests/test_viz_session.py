"""The classroom's models: rolling coverage, side by side on common random numbers, Play's pacing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.viz.levers import settings_for
from sim.viz.model import (
    GROUPS,
    ClassroomModel,
    closed_in_window,
    coverage_so_far,
    rolling_coverage,
)
from sim.viz.session import MAX_DAYS_PER_FRAME, build_session, days_per_frame

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.fixture(scope="module")
def baseline():  # noqa: ANN201
    return settings_for(SCENARIOS, "baseline.toml")


def test_rolling_coverage_is_the_met_share_of_the_last_30_days(baseline) -> None:  # noqa: ANN001
    model = ClassroomModel(baseline)
    for _ in range(70):
        model.step()
    values = rolling_coverage(model, "all")
    assert len(values) == 70
    assert all(v is None for v in values[:29])  # drawn from the first full month on
    met, closed = model.closures[70, 0] - model.closures[40, 0]
    assert values[-1] == pytest.approx(met / closed)
    assert closed_in_window(model, "all") == closed
    tally = model.tally
    assert model.closures[70, GROUPS.index("hardship")].tolist() == [tally.met["hardship"],
                                                                      tally.met["hardship"] + tally.unmet["hardship"]]
    assert coverage_so_far(model) == pytest.approx(tally.coverage())


def test_too_few_closures_give_no_coverage(baseline) -> None:  # noqa: ANN001
    model = ClassroomModel(baseline)
    for _ in range(31):
        model.step()
    assert rolling_coverage(model, "all", min_closed=10**6)[-1] is None
    assert coverage_so_far(model, "hardship", min_closed=10**6) is None


def test_side_by_side_models_share_residents_and_needs_and_differ_in_the_lever(baseline) -> None:  # noqa: ANN001
    session = build_session(baseline.with_value("online_reporting", True), side_by_side=True)
    left, right = session.models
    for _ in range(40):
        session.step()
    assert left.day == right.day == 40
    assert not left.scenario.linkage.online_reporting and right.scenario.linkage.online_reporting
    assert session.moved == ["online_reporting"]
    assert np.array_equal(left.population.group, right.population.group)
    size = left.needs.size
    assert size == right.needs.size > 0
    for column in ("resident", "type", "arrival_day"):
        assert np.array_equal(left.needs.view(column)[:size], right.needs.view(column)[:size]), column
    assert not np.array_equal(left.needs.view("state")[:size], right.needs.view("state")[:size])


def test_a_session_stops_stepping_after_the_last_day(baseline) -> None:  # noqa: ANN001
    session = build_session(baseline, side_by_side=False)
    session.main.steps = session.main.scenario.days - 1
    session.step()
    assert not session.running
    day = session.day
    session.step()
    assert session.day == day


def test_slow_steps_call_the_busy_indicator(baseline, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    import time

    import sim.viz.session as module

    session = build_session(baseline, side_by_side=False)
    calls: list[bool] = []
    monkeypatch.setattr(module, "BUSY_AFTER_S", 0.01)
    monkeypatch.setattr(session, "step", lambda: time.sleep(0.1))
    session.step_watched(calls.append)
    assert calls == [True, False]
    monkeypatch.setattr(session, "step", lambda: None)
    calls.clear()
    session.step_watched(calls.append)
    assert calls == []


@pytest.mark.parametrize(("speed", "frame_s", "days"), [(20, 0.01, 1), (20, 0.05, 1), (20, 0.08, 2), (20, 0.2, 4),
                                                        (10, 0.25, 3), (30, 5.0, MAX_DAYS_PER_FRAME)])
def test_play_steps_several_days_per_redraw_only_when_drawing_is_slow(speed: int, frame_s: float, days: int) -> None:
    assert days_per_frame(speed, frame_s) == days


def test_lesson_tables_compare_the_same_needs() -> None:
    from sim.viz.lessons import lesson_table

    rows = lesson_table("baseline.toml", {"representatives": True}, day=40, lang="en")
    assert [row[0].split(" (")[0] for row in rows] == ["Coverage since day 1", "Hardship households' coverage since day 1",
                                                       "Needs not yet served", "Needs arisen since day 1"]
    assert rows[3][1] == rows[3][2] and rows[3][3] == "+0 needs"


def test_views_are_copies_taken_between_steps(baseline) -> None:  # noqa: ANN001
    session = build_session(baseline, side_by_side=True)
    first = session.views
    for _ in range(5):
        session.step()
    assert [view.day for view in first] == [0, 0]
    for view in session.views:
        assert view.day == 5 and len(view.series["coverage"]) == 5 and view.closures.shape[0] == 6
        assert len(view.states) == session.main.population.size
    assert session.views[0].needs_arisen == session.views[1].needs_arisen == session.main.needs.size


def test_a_closed_session_ignores_a_late_step(baseline) -> None:  # noqa: ANN001
    session = build_session(baseline, side_by_side=False)
    session.close()
    session.step_watched(lambda busy: None)
    assert session.day == 0

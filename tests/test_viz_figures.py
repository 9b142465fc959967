"""Figures: every resident drawn (or a quiet subset), and no words in matplotlib (Chinese stays in HTML)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.viz.display import Display, resident_states
from sim.viz.figures import drawn_residents, jitter, map_figure, series_figure
from sim.viz.levers import settings_for
from sim.viz.model import ClassroomModel

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.fixture(scope="module")
def model() -> ClassroomModel:
    model = ClassroomModel(settings_for(SCENARIOS, "levers/patrols.toml"))
    for _ in range(20):
        model.step()
    return model


def figure_texts(figure) -> list[str]:  # noqa: ANN001
    figure.canvas.draw()
    return [text.get_text() for text in figure.findobj(lambda artist: hasattr(artist, "get_text")) if text.get_text()]


def test_quiet_residents_are_thinned_but_every_resident_with_a_need_is_drawn() -> None:
    states = np.zeros(1000, dtype=np.int8)
    states[[3, 500, 999]] = [Display.HIDDEN, Display.WAITING, Display.UNMET]
    shown = drawn_residents(states, limit=100)
    assert {3, 500, 999} <= set(shown.tolist())
    assert np.count_nonzero(states[shown] == Display.NONE) <= 100
    assert shown[-3:].tolist() == [3, 500, 999]  # drawn last, on top


def test_jitter_stays_inside_the_cell() -> None:
    dx, dy = jitter(10_000)
    assert dx.min() >= 0.1 and dx.max() < 0.9 and dy.min() >= 0.1 and dy.max() < 0.9


def test_map_draws_each_resident_once(model: ClassroomModel) -> None:
    states = resident_states(model)
    figure = map_figure(model, states)
    residents = figure.axes[0].collections[0]
    assert len(residents.get_offsets()) == model.population.size
    assert np.count_nonzero(states != Display.NONE) > 0


def test_figures_hold_no_words_only_ascii_numbers(model: ClassroomModel) -> None:
    figures = [map_figure(model, resident_states(model)),
               series_figure(model.datacollector.model_vars, ["coverage"], ["black"], percent=True),
               series_figure(model.datacollector.model_vars, ["charity_raised_yuan"], ["red"])]
    for figure in figures:
        for text in figure_texts(figure):
            assert text.isascii() and not any(c.isalpha() and c not in "kMG" for c in text), text

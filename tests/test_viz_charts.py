"""SVG charts and the map's data: numbers only, gaps for missing values, one digit per resident."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sim.viz.charts import Line, line_chart_svg, nice_top, short_number
from sim.viz.display import Display, resident_states
from sim.viz.levers import settings_for
from sim.viz.mapview import jitter, map_layout, map_providers, map_states
from sim.viz.model import ClassroomModel

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def test_a_missing_value_breaks_the_line() -> None:
    svg = line_chart_svg([Line("#000", [0.5, 0.6, None, None, 0.4, 0.5])], days=10, lang="en", percent=True)
    assert len(re.findall(r'<path d="M', svg)) == 2
    assert ">100%<" in svg and ">0%<" in svg


def test_tick_labels_are_numbers_in_the_language() -> None:
    assert short_number(150_000, "en") == "150k" and short_number(150_000, "zh") == "15万"
    assert short_number(2_500_000, "en") == "2.5M" and short_number(2.5e8, "zh") == "2.5亿"
    svg = line_chart_svg([Line("#000", [1e5, 2e5])], days=365, lang="zh")
    assert not re.search(r">[^<]*[A-Za-z][^<]*<", svg)  # no Latin letter in any text


def test_axes_top_is_a_round_number() -> None:
    assert [nice_top(v) for v in (0.3, 7, 12, 180, 240, 3100)] == [1, 10, 20, 200, 250, 5000]


def test_map_data_has_one_digit_and_one_position_per_resident() -> None:
    model = ClassroomModel(settings_for(SCENARIOS, "baseline.toml"))
    for _ in range(20):
        model.step()
    states = map_states(model)
    assert len(states) == model.population.size
    assert [int(c) for c in states[:50]] == resident_states(model)[:50].tolist()
    assert any(c != str(int(Display.NONE)) for c in states)
    layout = json.loads(map_layout(model))
    assert len(layout["xy"]) == 2 * model.population.size
    assert layout["width"] == model.layout.width and len(layout["borders"]) == len(model.layout.blocks)
    providers = json.loads(map_providers(model))
    assert len(providers["volunteer"][1]) == 2 * len(model.volunteer_agents)


def test_jitter_stays_inside_the_cell() -> None:
    dx, dy = jitter(10_000)
    assert dx.min() >= 0.1 and dx.max() < 0.9 and dy.min() >= 0.1 and dy.max() < 0.9

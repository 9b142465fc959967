"""The page rendered server-side (no browser): steps, language switch, lever + Reset, one model per session."""

from __future__ import annotations

from pathlib import Path

import ipyvuetify as v
import ipywidgets
import pytest
import reacton
import solara

from sim.viz import app

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.fixture(autouse=True)
def app_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(app.ENV_SCENARIOS_DIR, str(SCENARIOS))
    monkeypatch.setenv(app.ENV_SCENARIO, "baseline.toml")
    monkeypatch.setenv(app.ENV_LANG, "en")


def render():  # noqa: ANN201 - a reacton render context
    _, rc = reacton.render(solara.AppLayout(children=[app.Page()]), handle_error=False)
    return rc


def widgets(root: ipywidgets.Widget) -> list[ipywidgets.Widget]:
    """Every widget under ``root`` (its traits, lists and dicts of widgets), each once."""
    found, queue, seen = [], [root], set()
    while queue:
        value = queue.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, ipywidgets.Widget):
            found.append(value)
            queue.extend(getattr(value, name) for name in value.keys)
        elif isinstance(value, (list, tuple)):
            queue.extend(value)
        elif isinstance(value, dict):
            queue.extend(value.values())
    return found


def page_text(rc) -> str:  # noqa: ANN001
    """All text the page shows: HTML, labels, plain strings among children."""
    parts = []
    for widget in widgets(rc.container):
        for name in ("unsafe_innerHTML", "label"):
            value = getattr(widget, name, None)
            if isinstance(value, str):
                parts.append(value)
        parts.extend(c for c in getattr(widget, "children", []) or [] if isinstance(c, str))
    return "\n".join(parts)


def click(rc, label: str) -> None:  # noqa: ANN001
    rc.find(v.Btn, children=[label]).widget.click()


def test_page_renders_and_step_advances_the_day() -> None:
    rc = render()
    assert "Step: 0" in page_text(rc)
    click(rc, "Step")
    text = page_text(rc)
    assert "Step: 1" in text
    assert "day 1 · as in the file" in text
    rc.close()


def test_language_switch_puts_chinese_in_the_page() -> None:
    rc = render()
    rc.find(v.BtnToggle).widget.v_model = 1  # the second button: 中文
    text = page_text(rc)
    assert "居民与五社" in text and "线上报需求（线上报、线下办）" in text and "需求覆盖率" in text
    rc.close()


def test_a_moved_lever_applies_on_reset() -> None:
    rc = render()
    rc.find(v.Switch, label="Online reporting (report online, solve offline)").widget.v_model = True
    assert "Not yet applied: press Reset." in page_text(rc)
    click(rc, "Reset")
    text = page_text(rc)
    assert "linkage.online_reporting = True" in text
    assert "Not yet applied" not in text
    rc.close()


def test_each_session_has_its_own_model() -> None:
    first, second = render(), render()
    click(first, "Step")
    click(first, "Step")
    assert "Step: 2" in page_text(first)
    assert "Step: 0" in page_text(second)
    first.close()
    second.close()

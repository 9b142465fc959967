"""The page rendered server-side (no browser): steps, language switch, lever + Reset, side by side, sessions apart."""

from __future__ import annotations

import re
import time
from pathlib import Path

import ipyvuetify as v
import ipywidgets
import pytest
import reacton
import solara

from sim.viz import app

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
ENGLISH_ALLOWED = {"English"}  # the language switch names each language in itself


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
    """All text the page shows: HTML (tags removed), labels, select items, plain strings among children."""
    parts = []
    for widget in widgets(rc.container):
        if isinstance(widget, v.Icon):  # icon names (mdi-play) are not shown as text
            continue
        for name in ("unsafe_innerHTML", "label"):
            value = getattr(widget, name, None)
            if isinstance(value, str):
                parts.append(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", value)))
        for item in getattr(widget, "items", None) or []:
            if isinstance(item, dict):
                parts.append(str(item.get("text", "")))
        parts.extend(c for c in getattr(widget, "children", []) or [] if isinstance(c, str))
    return "\n".join(parts)


def button(rc, label: str) -> v.Btn:  # noqa: ANN001
    return next(w for w in rc.find(v.Btn).widgets if label in w.children)


def step(rc, days: int = 1) -> None:  # noqa: ANN001
    """Press Step ``days`` times, each time waiting for the threaded step to land."""
    for _ in range(days):
        before = day_shown(rc)
        button(rc, "Step").click()
        deadline = time.monotonic() + 10
        while (day_shown(rc) == before or button(rc, "Step").disabled) and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.3)  # let the step's task thread finish before the test changes state


def day_shown(rc) -> int:  # noqa: ANN001
    return int(re.search(r"Day (\d+) of", page_text(rc)).group(1))


def test_page_renders_and_step_advances_the_day() -> None:
    rc = render()
    assert day_shown(rc) == 0
    step(rc, 2)
    assert day_shown(rc) == 2
    assert "levers as in the file" in page_text(rc)
    rc.close()


def test_chinese_mode_shows_no_english_word() -> None:
    rc = render()
    step(rc)
    rc.find(v.BtnToggle).widget.v_model = 1  # the second button: 中文
    text = page_text(rc)
    assert "居民与五社" in text and "线上报需求（线上报、线下办）" in text and "基准社区" in text and "第 1 天" in text
    words = set(re.findall(r"[A-Za-z]{2,}", text)) - ENGLISH_ALLOWED
    assert words == set()
    rc.close()


def test_a_moved_lever_applies_on_reset_and_is_named_in_words() -> None:
    rc = render()
    rc.find(v.Switch, label="Online reporting (report online, solve offline): off").widget.v_model = True
    assert "Not yet applied: press Reset." in page_text(rc)
    button(rc, "Reset").click()
    text = page_text(rc)
    assert "changed: Online reporting (report online, solve offline): on" in text
    assert "Not yet applied" not in text and "linkage." not in text
    rc.close()


def test_side_by_side_steps_both_models_with_the_same_needs() -> None:
    rc = render()
    rc.find(v.Switch, label="Online reporting (report online, solve offline): off").widget.v_model = True
    rc.find(v.Switch, label="Side by side: the file's levers (left) and yours (right)").widget.v_model = True
    button(rc, "Reset").click()
    step(rc, 3)
    text = page_text(rc)
    arisen = re.search(r"Needs arisen since day 1 \(the same on both sides\)\s+(\d+)\s+(\d+)\s+\+0 needs", text)
    assert arisen and int(arisen.group(1)) == int(arisen.group(2)) > 0
    assert "As in the file" in text and "With your change" in text
    rc.close()


def test_each_session_has_its_own_model() -> None:
    first, second = render(), render()
    step(first, 2)
    assert day_shown(first) == 2
    assert day_shown(second) == 0
    first.close()
    second.close()

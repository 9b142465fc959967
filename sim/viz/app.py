"""The Solara page: one session (its own models, levers and language) per browser tab.

``python -m sim viz`` passes its options in environment variables (``SIM_VIZ_*``) because
``solara run`` imports this module by name in the server process. The run controls are the app's
own (not Mesa's SolaraViz) so that every word follows the language switch.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import reacton.core
import solara
import solara.lab

from sim.viz.components import Charts, MapCard, SideBySide, running_note
from sim.viz.controls import LanguageSwitch, LeverPanel
from sim.viz.levers import Settings, list_scenarios, load_for_class, settings_for
from sim.viz.session import Session, build_session, days_per_frame
from sim.viz.strings import LANGS, t

ENV_SCENARIO = "SIM_VIZ_SCENARIO"
ENV_SCENARIOS_DIR = "SIM_VIZ_SCENARIOS_DIR"
ENV_LANG = "SIM_VIZ_LANG"
REPO_SCENARIOS_DIR = Path(__file__).resolve().parents[2] / "scenarios"
SPEEDS_DAYS_PER_S = (1, 5, 10, 20, 30)
DEFAULT_SPEED_DAYS_PER_S = 20


@dataclass(frozen=True)
class AppConfig:
    """Start-up choices: the scenarios folder, the first scenario (relative to it), the language."""

    scenarios_dir: Path
    scenario_file: str
    lang: str


def config_from_env() -> AppConfig:
    """The app's configuration from ``SIM_VIZ_*`` (defaults: the repository's baseline, English)."""
    scenarios_dir = Path(os.environ.get(ENV_SCENARIOS_DIR, REPO_SCENARIOS_DIR)).resolve()
    scenario_file = os.environ.get(ENV_SCENARIO, "baseline.toml")
    lang = os.environ.get(ENV_LANG, "en")
    return AppConfig(scenarios_dir, scenario_file, lang if lang in LANGS else "en")


def scenario_choices(config: AppConfig) -> list[str]:
    """The shipped scenario files, plus the start-up one if it lives elsewhere."""
    files = list_scenarios(config.scenarios_dir)
    return files if config.scenario_file in files else [config.scenario_file, *files]


def play(session: solara.Reactive[Session], playing: solara.Reactive[bool], speed: solara.Reactive[int],
         tick: solara.Reactive[int], busy: solara.Reactive[bool]) -> None:
    """Step and redraw at ``speed`` days a second while ``playing`` (runs in a task thread).

    When a redraw takes longer than a day's share of a second, several days are stepped per
    redraw (``days_per_frame``) so that the speed holds.
    """
    frame_days = 1
    while playing.value:
        started = time.monotonic()
        current = session.value
        for _ in range(frame_days):
            current.step_watched(busy.set)
        tick.set(tick.value + 1)
        if not current.running:
            playing.set(False)
            return
        elapsed_s = time.monotonic() - started
        time.sleep(max(0.0, frame_days / speed.value - elapsed_s))
        frame_days = days_per_frame(speed.value, elapsed_s)


def step_once(session: solara.Reactive[Session], tick: solara.Reactive[int], busy: solara.Reactive[bool]) -> None:
    """The Step button: one day, then a redraw."""
    session.value.step_watched(busy.set)
    tick.set(tick.value + 1)


@solara.component
def DayCounter(session: Session, tick: solara.Reactive[int], lang: str) -> reacton.core.Element:
    """"Day N of M": redrawn every day, alone."""
    _ = tick.value  # subscribe: a new day redraws this
    text = t("day_of", lang, day=f'<b class="sim-day">{session.day}</b>', days=session.main.scenario.days)
    if not session.running:
        text += f'<div style="font-size:0.8em;color:#b00">{t("finished", lang)}</div>'
    return solara.HTML(tag="div", unsafe_innerHTML=text, style={"font-size": "1.15em", "min-width": "170px"})


@solara.component
def BusyIndicator(busy: solara.Reactive[bool], lang: str) -> reacton.core.Element:
    """A spinner and "Computing…" while a step takes longer than half a second."""
    with solara.Row(style={"align-items": "center", "min-width": "120px",
                           "visibility": "visible" if busy.value else "hidden"}) as main:
        solara.v.ProgressCircular(indeterminate=True, size=20, width=3, color="primary")
        solara.Text(t("busy", lang), classes=["sim-busy"])
    return main


@solara.component
def RunBar(session: solara.Reactive[Session], settings: Settings, side: solara.Reactive[bool],
           tick: solara.Reactive[int], lang: str) -> reacton.core.Element:
    """Reset, Play/Pause, Step, speed, the day counter, the busy indicator and the side-by-side switch."""
    playing = solara.use_reactive(False)
    busy = solara.use_reactive(False)
    speed = solara.use_reactive(DEFAULT_SPEED_DAYS_PER_S)
    solara.lab.use_task(lambda: play(session, playing, speed, tick, busy), dependencies=[playing.value],
                        prefer_threaded=True)
    step_task = solara.lab.use_task(lambda: step_once(session, tick, busy), dependencies=None, prefer_threaded=True)

    def reset() -> None:
        playing.set(False)
        previous = session.value
        session.set(build_session(settings, side.value))
        previous.close()

    current = session.value
    model = current.main
    name = model.scenario.name_zh if lang == "zh" and model.scenario.name_zh else model.scenario.name
    with solara.Card(margin=0) as main:
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "8px"}):
            solara.Button(t("reset", lang), icon_name="mdi-restore", on_click=reset, outlined=True)
            if playing.value:
                solara.Button(t("pause", lang), icon_name="mdi-pause", on_click=lambda: playing.set(False), color="primary")
            else:
                solara.Button(t("play", lang), icon_name="mdi-play", on_click=lambda: playing.set(True), color="primary")
            solara.Button(t("step", lang), icon_name="mdi-step-forward", on_click=lambda: step_task(),
                          disabled=playing.value or step_task.pending, outlined=True)
            solara.v.Select(label=t("speed", lang), v_model=speed.value, on_v_model=speed.set, dense=True, hide_details=True,
                            items=[{"text": f"{s} {t('days_per_second', lang)}", "value": s} for s in SPEEDS_DAYS_PER_S],
                            style_="max-width:180px", class_="sim-speed")
            DayCounter(current, tick, lang)
            BusyIndicator(busy, lang)
        solara.Switch(label=t("side_by_side", lang), value=side)
        notes = [running_note(current, name, lang)]
        if side.value != current.side_by_side:
            notes.append(t("side_by_side_hint", lang) if side.value else t("pending", lang))
        for note in notes:
            solara.Text(note, style={"font-size": "0.9em", "color": "#444"})
    return main


@solara.component
def Page() -> reacton.core.Element:
    """One browser session: its own settings, language and models."""
    config = solara.use_memo(config_from_env, dependencies=[])
    lang = solara.use_reactive(config.lang)
    first: Settings = solara.use_memo(lambda: settings_for(config.scenarios_dir, config.scenario_file), dependencies=[])
    settings = solara.use_reactive(first)
    side = solara.use_reactive(False)
    session = solara.use_reactive(solara.use_memo(lambda: build_session(first, False), dependencies=[]))
    tick = solara.use_reactive(0)
    choices = solara.use_memo(lambda: scenario_choices(config), dependencies=[])
    budget_yuan = solara.use_memo(lambda: load_for_class(settings.value.path).budget.total_yuan,
                                  dependencies=[settings.value.path])
    with solara.Column(style={"padding": "8px"}) as main:
        solara.Title(t("title", lang.value))
        with solara.AppBarTitle():
            solara.Text(t("title", lang.value))
        with solara.Sidebar():
            with solara.Card(t("language", lang.value), margin=0):
                LanguageSwitch(lang)
            with solara.Card(t("levers", lang.value), margin=0):
                LeverPanel(settings, choices, session.value.main.settings, lang.value, budget_yuan)
        RunBar(session, settings.value, side, tick, lang.value)
        if session.value.side_by_side:
            SideBySide(session.value, tick, lang.value)
        else:
            with solara.Columns([1, 1]):
                with solara.Column(gap="10px"):
                    MapCard(session.value, 0, tick, lang.value)
                    Charts(session.value, tick, lang.value, 2, 4)
                Charts(session.value, tick, lang.value, 0, 2)
    return main

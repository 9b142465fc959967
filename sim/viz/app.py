"""The Solara page: one model per browser session, levers in the sidebar, SolaraViz for the rest.

``python -m sim viz`` passes its options in environment variables (``SIM_VIZ_*``) because
``solara run`` imports this module by name in the server process.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import reacton.core
import solara
from mesa.visualization import SolaraViz

from sim.viz.components import Dashboard, LanguageSwitch, LeverPanel
from sim.viz.levers import Settings, list_scenarios, settings_for
from sim.viz.model import ClassroomModel
from sim.viz.strings import LANGS, t

ENV_SCENARIO = "SIM_VIZ_SCENARIO"
ENV_SCENARIOS_DIR = "SIM_VIZ_SCENARIOS_DIR"
ENV_LANG = "SIM_VIZ_LANG"
REPO_SCENARIOS_DIR = Path(__file__).resolve().parents[2] / "scenarios"
PLAY_INTERVAL_MS = 150


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


@solara.component
def Page() -> reacton.core.Element:
    """One browser session: its own settings, language and model."""
    config = solara.use_memo(config_from_env, dependencies=[])
    lang = solara.use_reactive(config.lang)
    first: Settings = solara.use_memo(lambda: settings_for(config.scenarios_dir, config.scenario_file), dependencies=[])
    settings = solara.use_reactive(first)
    model = solara.use_reactive(solara.use_memo(lambda: ClassroomModel(first), dependencies=[]))
    choices = solara.use_memo(lambda: scenario_choices(config), dependencies=[])
    with solara.Column() as main:
        with solara.Sidebar():
            with solara.Card(t("language", lang.value)):
                LanguageSwitch(lang)
            with solara.Card(t("levers", lang.value)):
                LeverPanel(settings, choices, model.value.settings, lang.value)
        SolaraViz(model, components=[], model_params={"settings": settings},
                  name=t("title", lang.value), play_interval=PLAY_INTERVAL_MS)
        Dashboard(model.value, lang.value)
    return main

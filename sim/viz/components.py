"""Solara components of the classroom app: controls, the map and the charts, in English or Chinese."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import reacton.core
import solara
from mesa.visualization.utils import update_counter

from sim.errors import ScenarioError
from sim.kpis import label
from sim.viz.display import DISPLAY_COLOURS, DISPLAY_KEYS, LEGEND_ORDER, resident_states, state_counts
from sim.viz.figures import BORDER_COLOUR, MARKERS, map_figure, series_figure
from sim.viz.levers import LEVER_GROUPS, LEVERS, Lever, Settings, settings_for
from sim.viz.model import ClassroomModel
from sim.viz.strings import t

MARKER_SYMBOLS = {"^": "▲", "P": "✚", "*": "★", "s": "■", "D": "◆"}


@dataclass(frozen=True)
class Chart:
    """One live chart: a title key (``sim.viz.strings``), series keys and their colours."""

    title: str
    keys: tuple[str, ...]
    colours: tuple[str, ...]
    percent: bool = False


CHARTS = (
    Chart("chart_coverage", ("coverage", "coverage_elderly", "coverage_disabled", "coverage_children", "coverage_hardship"),
          ("#111111", "#e66101", "#5e3c99", "#1b9e77", "#d7191c"), percent=True),
    Chart("chart_waiting", ("needs_unreported", "needs_waiting", "needs_in_service"),
          (DISPLAY_COLOURS[4], DISPLAY_COLOURS[3], DISPLAY_COLOURS[2])),
    Chart("chart_volunteers", ("volunteers_active",), ("#1a9641",)),
    Chart("chart_money", ("government_spent_yuan", "charity_raised_yuan", "fund_balance_yuan"),
          ("#2b83ba", "#d7191c", "#fdae61")),
)
SERIES_NAMES_ZH = {"needs_unreported": "未被发现", "needs_waiting": "等待服务", "needs_in_service": "正在服务",
                   "fund_balance_yuan": "社区基金余额"}
SERIES_NAMES_EN = {"needs_unreported": "Hidden", "needs_waiting": "Waiting", "needs_in_service": "Being served",
                   "fund_balance_yuan": "Community fund balance"}


def series_name(key: str, lang: str) -> str:
    """Display name of a daily series (KPI label when there is one)."""
    names = SERIES_NAMES_ZH if lang == "zh" else SERIES_NAMES_EN
    return names.get(key) or label(key, lang)


def swatch(colour: str, text: str, symbol: str = "●", count: int | None = None) -> str:
    """One HTML legend entry."""
    number = f" <b>{count}</b>" if count is not None else ""
    return (f'<span style="margin-right:12px;white-space:nowrap"><span style="color:{colour};'
            f'font-size:1.2em">{symbol}</span> {html.escape(text)}{number}</span>')


def header(title: str, entries: Sequence[str], note: str = "") -> reacton.core.Element:
    """A card header in HTML: the title, a legend and a note (browser fonts render Chinese)."""
    note_html = f'<div style="color:#555;font-size:0.85em">{html.escape(note)}</div>' if note else ""
    body = f'<div style="font-weight:600;font-size:1.05em">{html.escape(title)}</div><div>{"".join(entries)}</div>{note_html}'
    return solara.HTML(tag="div", unsafe_innerHTML=body)


@solara.component
def LanguageSwitch(lang: solara.Reactive[str]) -> reacton.core.Element:
    """English / 中文 toggle."""
    with solara.ToggleButtonsSingle(value=lang, dense=True) as main:
        solara.Button("English", value="en", text=True)
        solara.Button("中文", value="zh", text=True)
    return main


@solara.component
def LeverInput(lever: Lever, settings: solara.Reactive[Settings], lang: str) -> reacton.core.Element:
    """One slider or switch bound to one lever."""
    value = settings.value.values[lever.name]

    def on_value(new: float | bool) -> None:
        settings.set(settings.value.with_value(lever.name, new))

    if lever.kind == "switch":
        return solara.Switch(label=t(lever.name, lang), value=bool(value), on_value=on_value)
    return solara.SliderFloat(t(lever.name, lang), value=float(value), min=lever.low, max=lever.high,
                              step=lever.step, on_value=on_value, thumb_label=True)


@solara.component
def LeverPanel(settings: solara.Reactive[Settings], scenario_files: Sequence[str], running: Settings,
               lang: str) -> reacton.core.Element:
    """Scenario chooser and every lever; says when the controls differ from the running model."""
    problem = solara.use_reactive("")

    def choose(scenario_file: str) -> None:
        try:
            settings.set(settings_for(settings.value.scenarios_dir, scenario_file))
            problem.set("")
        except ScenarioError as exc:
            problem.set(f"{t('bad_scenario', lang)}: {scenario_file}\n" + "\n".join(exc.problems))

    with solara.Column(gap="4px") as main:
        solara.Select(t("scenario", lang), values=list(scenario_files), value=settings.value.scenario_file, on_value=choose)
        if problem.value:
            solara.Error(problem.value)
        for group in LEVER_GROUPS:
            solara.HTML(tag="div", unsafe_innerHTML=f"<b>{html.escape(t(group, lang))}</b>")
            for lever in LEVERS:
                if lever.group == group:
                    LeverInput(lever, settings, lang)
        if settings.value != running:
            solara.Warning(t("pending", lang), dense=True, style={"margin-top": "16px"})
        else:
            solara.Text(t("apply_hint", lang), style={"margin-top": "16px"})
    return main


def running_note(model: ClassroomModel, lang: str) -> str:
    """One line: scenario, day and the levers moved away from the file."""
    changed = ", ".join(f"{key} = {value:.3g}" if isinstance(value, float) else f"{key} = {value}"
                        for key, value in model.overrides.items())
    day = f"{t('day', lang)} {model.steps}{t('day_suffix', lang)}"
    moved = f"{t('changed', lang)}: {changed}" if changed else t("nothing_changed", lang)
    return f"{t('running', lang)}: {model.scenario.name} ({model.settings.scenario_file}) · {day} · {moved}"


@solara.component
def MapCard(model: ClassroomModel, lang: str) -> reacton.core.Element:
    """The district map with an HTML legend that counts residents in each state."""
    update_counter.get()
    states = solara.use_memo(lambda: resident_states(model), dependencies=[model, model.steps])
    figure = solara.use_memo(lambda: map_figure(model, states), dependencies=[model, model.steps])
    counts = state_counts(states)
    entries = [swatch(DISPLAY_COLOURS[d], t(DISPLAY_KEYS[d], lang), count=counts[d]) for d in LEGEND_ORDER]
    entries += [swatch(colour, t(key, lang), MARKER_SYMBOLS[marker]) for key, (marker, _, colour) in MARKERS.items()]
    entries.append(swatch(BORDER_COLOUR, t("marker_border", lang), "□"))
    with solara.Card(margin=0) as main:
        header(t("map", lang), entries, running_note(model, lang))
        solara.FigureMatplotlib(figure, dependencies=[model, model.steps], format="png")
    return main


@solara.component
def ChartCard(model: ClassroomModel, chart: Chart, lang: str) -> reacton.core.Element:
    """One live chart of daily series with an HTML title and legend."""
    update_counter.get()
    series = model.datacollector.model_vars
    figure = solara.use_memo(lambda: series_figure(series, chart.keys, chart.colours, chart.percent),
                             dependencies=[model, model.steps])
    entries = [swatch(colour, series_name(key, lang), "━") for key, colour in zip(chart.keys, chart.colours)]
    with solara.Card(margin=0) as main:
        header(t(chart.title, lang), entries, t("x_days", lang))
        solara.FigureMatplotlib(figure, dependencies=[model, model.steps], format="png")
    return main


@solara.component
def Dashboard(model: ClassroomModel, lang: str) -> reacton.core.Element:
    """The map and the live charts; redrawn whenever SolaraViz steps or resets the model."""
    update_counter.get()
    coverage, waiting, volunteers, money = CHARTS
    with solara.Columns([1, 1]) as main:
        with solara.Column():
            MapCard(model, lang)
            ChartCard(model, volunteers, lang)
        with solara.Column():
            ChartCard(model, coverage, lang)
            ChartCard(model, waiting, lang)
            ChartCard(model, money, lang)
    return main

"""Solara components of the classroom app: controls, the map and the charts, in English or Chinese."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import reacton.core
import solara

from sim.errors import ScenarioError
from sim.labels import label
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
                              step=lever.step, on_value=on_value, thumb_label="always")


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
            solara.Warning(t("pending", lang), dense=True)
        else:
            solara.Text(t("apply_hint", lang))
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
    states = solara.use_memo(lambda: resident_states(model), dependencies=[model, model.steps])
    figure = solara.use_memo(lambda: map_figure(model, states), dependencies=[model, model.steps])
    counts = state_counts(states)
    entries = [swatch(DISPLAY_COLOURS[d], t(DISPLAY_KEYS[d], lang), count=counts[d]) for d in LEGEND_ORDER]
    entries += [swatch(colour, t(key, lang), MARKER_SYMBOLS[marker]) for key, (marker, _, colour) in MARKERS.items()]
    entries.append(swatch(BORDER_COLOUR, t("marker_border", lang), "□"))
    with solara.Column(gap="2px") as main:
        header(t("map", lang), entries, running_note(model, lang))
        solara.FigureMatplotlib(figure, dependencies=[model, model.steps], format="png")
    return main


@solara.component
def ChartCard(model: ClassroomModel, chart: Chart, lang: str) -> reacton.core.Element:
    """One live chart of daily series with an HTML title and legend."""
    series = model.datacollector.model_vars
    figure = solara.use_memo(lambda: series_figure(series, chart.keys, chart.colours, chart.percent),
                             dependencies=[model, model.steps])
    entries = [swatch(colour, series_name(key, lang), "━") for key, colour in zip(chart.keys, chart.colours)]
    with solara.Column(gap="2px") as main:
        header(t(chart.title, lang), entries, t("x_days", lang))
        solara.FigureMatplotlib(figure, dependencies=[model, model.steps], format="png")
    return main


def view_components(lang: str) -> list[tuple[Callable[[ClassroomModel], reacton.core.Element], int]]:
    """SolaraViz components (functions of the model), all on the first page."""

    def map_view(model: ClassroomModel) -> reacton.core.Element:
        return MapCard(model, lang)

    def chart_view(chart: Chart) -> Callable[[ClassroomModel], reacton.core.Element]:
        def view(model: ClassroomModel) -> reacton.core.Element:
            return ChartCard(model, chart, lang)

        return view

    return [(map_view, 0), *((chart_view(chart), 0) for chart in CHARTS)]

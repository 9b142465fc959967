"""The sidebar: language, scenario chooser and levers, each control showing its value and unit."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

import reacton.core
import solara

from sim.errors import ScenarioError
from sim.viz.levers import (
    LEVER_GROUPS,
    LEVERS,
    SPLIT_LEVERS,
    Lever,
    LeverValue,
    Settings,
    calibration_sources,
    scenario_title,
    settings_for,
    split_percents,
)
from sim.viz.strings import colon, t

SPLIT_COLOURS = dict(zip(SPLIT_LEVERS, ("#2b83ba", "#1a9641", "#e08214", "#d7191c", "#7b3294")))


def lever_value_text(lever: Lever, value: LeverValue, settings: Settings, lang: str, base_budget_yuan: float) -> str:
    """A lever's value with its unit, as the control shows it."""
    if lever.kind == "switch":
        return t("on" if value else "off", lang)
    if lever.name in SPLIT_LEVERS:
        return f"{split_percents(settings.values)[lever.name]}%"
    if lever.name == "budget_percent":
        yuan = base_budget_yuan * float(value) / 100.0
        return f"{float(value):.0f}{t('budget_percent_unit', lang)} = {yuan:,.0f} {t('yuan_per_year', lang)}"
    if lever.name == "patrol_share":
        return f"{float(value) * 100:.0f}{t('patrol_share_unit', lang)}"
    return f"{float(value):.2f} {t('fund_matching_unit', lang)}"


def scenario_items(scenarios_dir: Path, files: Sequence[str], lang: str) -> list[dict[str, str]]:
    """Chooser entries: the scenario's name in the language (the file name only if it cannot be loaded).

    A file that a calibrated file of the same name extends is marked as the source values.
    """
    sources = calibration_sources(scenarios_dir, tuple(files))
    items = []
    for name in files:
        title = scenario_title(scenarios_dir, name, lang)
        if title is None:
            title = f"{name} ({t('cannot_load', lang)})"
        elif name in sources:
            title += f" ({t('before_calibration', lang)})" if lang != "zh" else f"（{t('before_calibration', lang)}）"
        items.append({"text": title, "value": name})
    return items


@solara.component
def LanguageSwitch(lang: solara.Reactive[str]) -> reacton.core.Element:
    """English / 中文 toggle (each language named in itself)."""
    with solara.ToggleButtonsSingle(value=lang, dense=True) as main:
        solara.Button("English", value="en", text=True, style={"text-transform": "none"})
        solara.Button("中文", value="zh", text=True)
    return main


@solara.component
def LeverInput(lever: Lever, settings: solara.Reactive[Settings], lang: str, base_budget_yuan: float) -> reacton.core.Element:
    """One lever: its name and current value with unit on one line, the slider or switch below."""
    value = settings.value.values[lever.name]

    def on_value(new: float | bool) -> None:
        if lever.name in SPLIT_LEVERS:
            new = float(new) / 100.0
        settings.set(settings.value.with_value(lever.name, new))

    text = lever_value_text(lever, value, settings.value, lang, base_budget_yuan)
    with solara.Column(gap="0px", classes=["sim-lever"], style={"margin-bottom": "6px"}) as main:
        if lever.kind == "switch":
            solara.Switch(label=f"{t(lever.name, lang)}{colon(lang)}{text}", value=bool(value), on_value=on_value,
                          style={"margin-top": "0px"})
            return main
        colour = SPLIT_COLOURS.get(lever.name, "#333")
        solara.HTML(tag="div", unsafe_innerHTML=(f'<span style="color:{colour}">■</span> ' if lever.name in SPLIT_LEVERS else "")
                    + f'{html.escape(t(lever.name, lang) + colon(lang))}<b>{html.escape(text)}</b>', style={"font-size": "0.9em"})
        if lever.name in SPLIT_LEVERS:
            solara.SliderInt("", value=split_percents(settings.value.values)[lever.name], min=0, max=100, step=1,
                             on_value=on_value, thumb_label=False)
        else:
            solara.SliderFloat("", value=float(value), min=lever.low, max=lever.high, step=lever.step,
                               on_value=on_value, thumb_label=False)
    return main


def split_bar_html(settings: Settings, lang: str) -> str:
    """The budget split as one bar of five coloured parts, labelled with whole percentages summing to 100."""
    percents = split_percents(settings.values)
    parts = "".join(
        f'<div title="{html.escape(t(name, lang))}" style="width:{share}%;background:{SPLIT_COLOURS[name]};'
        f'color:#fff;text-align:center;font-size:11px;overflow:hidden">{share if share >= 7 else ""}</div>'
        for name, share in percents.items() if share > 0)
    return (f'<div style="display:flex;height:18px;border:1px solid #999;margin:4px 0">{parts}</div>'
            f'<div style="font-size:0.8em;color:#555">{html.escape(t("budget_split_hint", lang))}</div>')


@solara.component
def LeverPanel(settings: solara.Reactive[Settings], scenario_files: Sequence[str], applied: Settings, lang: str,
               base_budget_yuan: float) -> reacton.core.Element:
    """Scenario chooser and every lever; says when the controls differ from the running model."""
    problem = solara.use_reactive("")

    def choose(scenario_file: str) -> None:
        try:
            settings.set(settings_for(settings.value.scenarios_dir, scenario_file))
            problem.set("")
        except ScenarioError as exc:
            problem.set(f"{t('bad_scenario', lang)}: {scenario_file}\n" + "\n".join(exc.problems))

    items = scenario_items(settings.value.scenarios_dir, scenario_files, lang)
    with solara.Column(gap="2px") as main:
        solara.v.Select(label=t("scenario", lang), items=items, v_model=settings.value.scenario_file,
                        on_v_model=choose, dense=True, class_="sim-scenario")
        if problem.value:
            solara.Error(problem.value)
        for group in LEVER_GROUPS:
            solara.HTML(tag="div", unsafe_innerHTML=f"<b>{html.escape(t(group, lang))}</b>", style={"margin-top": "8px"})
            if group == "budget_split":
                solara.HTML(tag="div", unsafe_innerHTML=split_bar_html(settings.value, lang))
            for lever in LEVERS:
                if lever.group == group:
                    LeverInput(lever, settings, lang, base_budget_yuan)
        if settings.value != applied:
            solara.Warning(t("pending", lang), dense=True, style={"margin-top": "12px"})
        else:
            solara.Text(t("apply_hint", lang), style={"margin-top": "12px", "font-size": "0.9em"})
    return main

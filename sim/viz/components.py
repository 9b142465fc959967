"""The live part of the page: the map, the charts and the side-by-side difference, in one language.

Each component reads the session's ``tick`` so that a simulated day redraws only these, never
the sidebar. The map is a canvas (``sim.viz.mapview``); the charts are SVG (``sim.viz.charts``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import reacton.core
import solara

from sim.viz.charts import Line, line_chart_svg
from sim.viz.display import DISPLAY_COLOURS, DISPLAY_KEYS, LEGEND_ORDER, Display
from sim.viz.levers import LEVERS
from sim.viz.mapview import BORDER_COLOUR, MARKERS, MapCanvas
from sim.viz.model import (
    GROUPS,
    MIN_CLOSED,
    WINDOW_DAYS,
    ModelView,
    closed_in_window,
    coverage_so_far,
    not_yet_served,
    rolling_coverage,
)
from sim.viz.session import Session
from sim.viz.strings import colon, kpi_label, t

GROUP_COLOURS = dict(zip(GROUPS, ("#111111", "#e66101", "#5e3c99", "#1b9e77", "#d7191c")))
OPEN_SERIES = (("needs_unreported", "series_hidden", DISPLAY_COLOURS[Display.HIDDEN]),
               ("needs_waiting", "series_waiting", DISPLAY_COLOURS[Display.WAITING]),
               ("needs_in_service", "series_in_service", DISPLAY_COLOURS[Display.IN_SERVICE]))
MONEY_SERIES = (("government_spent_yuan", "#2b83ba"), ("charity_raised_yuan", "#d7191c"), ("fund_balance_yuan", "#fdae61"))


def swatch(colour: str, text: str, symbol: str = "●", count: int | None = None) -> str:
    """One HTML legend entry."""
    number = f" <b>{count}</b>" if count is not None else ""
    return (f'<span style="margin-right:12px;white-space:nowrap"><span style="color:{colour};'
            f'font-size:1.15em">{symbol}</span> {html.escape(text)}{number}</span>')


def card_html(title: str, entries: Sequence[str], body: str = "", notes: Sequence[str] = ()) -> str:
    """A card's content in HTML: the title, a legend, the body (an SVG chart) and notes."""
    notes_html = "".join(f'<div style="color:#555;font-size:0.85em">{html.escape(n)}</div>' for n in notes if n)
    return (f'<div style="font-weight:600;font-size:1.02em">{html.escape(title)}</div>'
            f'<div style="font-size:0.9em">{" ".join(entries)}</div>{body}{notes_html}')


def lever_changes(session: Session, lang: str) -> str:
    """The moved levers with their values, in words."""
    from sim.viz.controls import lever_value_text

    settings = session.main.settings
    levers = {lever.name: lever for lever in LEVERS}
    separator = "；" if lang == "zh" else "; "
    return separator.join(f"{t(name, lang)}{colon(lang)}{lever_value_text(levers[name], settings.values[name], settings, lang, session.file_budget_yuan)}"
                     for name in session.moved)


def running_note(session: Session, scenario_name: str, lang: str) -> str:
    """One line: the scenario and the levers moved away from the file."""
    moved = f"{t('changed', lang)}{colon(lang)}{lever_changes(session, lang)}" if session.moved else t("nothing_changed", lang)
    return f"{t('running', lang)}{colon(lang)}{scenario_name} · {moved}"


@solara.component
def MapCard(session: Session, index: int, tick: solara.Reactive[int], lang: str, title: str = "") -> reacton.core.Element:
    """The district map (canvas) of model ``index`` with a legend counting residents in each state."""
    _ = tick.value  # subscribe: a new day redraws this
    view = session.views[index]
    states = view.states
    counts = [states.count(str(int(d))) for d in Display]
    entries = [swatch(DISPLAY_COLOURS[d], t(DISPLAY_KEYS[d], lang), count=counts[d]) for d in LEGEND_ORDER]
    entries += [swatch(colour, t(key, lang), symbol) for key, (_, colour, symbol) in MARKERS.items()]
    entries.append(swatch(BORDER_COLOUR, t("marker_border", lang), "□"))
    with solara.Card(margin=0) as main:
        solara.HTML(tag="div", unsafe_innerHTML=card_html(title or t("map", lang), entries))
        MapCanvas(geometry=session.layouts[index], states=states, providers=view.providers)
    return main


def coverage_lines(model: ModelView, lang: str) -> tuple[list[Line], list[str], str]:
    """Rolling coverage of every group, their legend entries and a note naming groups with too few closures."""
    lines, entries, sparse = [], [], []
    for group in GROUPS:
        lines.append(Line(GROUP_COLOURS[group], rolling_coverage(model, group)))
        entries.append(swatch(GROUP_COLOURS[group], t(f"series_{group}", lang), "━"))
        if closed_in_window(model, group) < MIN_CLOSED:
            sparse.append(t(f"series_{group}", lang))
    if model.day < WINDOW_DAYS:
        note = t("chart_first_month", lang)
    elif sparse:
        note = t("chart_too_few", lang, n=MIN_CLOSED, groups=("、" if lang == "zh" else ", ").join(sparse))
    else:
        note = ""
    return lines, entries, note


def series(view: ModelView, key: str) -> list[float]:
    """A daily series so far."""
    return view.series.get(key, [])


def coverage_card(view: ModelView, lang: str) -> str:
    """Rolling coverage of every group."""
    lines, entries, note = coverage_lines(view, lang)
    return card_html(t("chart_coverage", lang), entries, line_chart_svg(lines, view.days, lang, percent=True),
                     [note, t("chart_coverage_note", lang)])


def open_needs_card(view: ModelView, lang: str) -> str:
    """Hidden, waiting and served needs."""
    return card_html(t("chart_waiting", lang), [swatch(c, t(name, lang), "━") for _, name, c in OPEN_SERIES],
                     line_chart_svg([Line(c, series(view, key)) for key, _, c in OPEN_SERIES], view.days, lang))


def volunteers_card(view: ModelView, lang: str) -> str:
    """Active volunteers."""
    return card_html(t("chart_volunteers", lang), [],
                     line_chart_svg([Line("#1a9641", series(view, "volunteers_active"))], view.days, lang))


def money_card(view: ModelView, lang: str) -> str:
    """Government money spent, charity raised, community-fund balance."""
    return card_html(t("chart_money", lang), [swatch(c, kpi_label(key, lang), "━") for key, c in MONEY_SERIES],
                     line_chart_svg([Line(c, series(view, key)) for key, c in MONEY_SERIES], view.days, lang),
                     [t("x_days", lang)])


CHART_CARDS = (coverage_card, open_needs_card, volunteers_card, money_card)


def chart_cards(view: ModelView, lang: str, first: int = 0, last: int = len(CHART_CARDS)) -> list[str]:
    """Charts ``first``..``last - 1`` of one model, as card HTML."""
    return [card(view, lang) for card in CHART_CARDS[first:last]]


CARD_STYLE = "background:#fff;border-radius:4px;box-shadow:0 1px 3px rgba(0,0,0,.25);padding:10px 12px;margin-bottom:10px"


def cards_html(cards: Sequence[str]) -> str:
    """Chart cards in one HTML block: one widget to update a day, not one per chart."""
    return "".join(f'<div class="sim-chart" style="{CARD_STYLE}">{card}</div>' for card in cards)


@solara.component
def Charts(session: Session, tick: solara.Reactive[int], lang: str, first: int = 0, last: int = 4) -> reacton.core.Element:
    """Charts ``first``..``last - 1`` of the session's main model (coverage, open needs, volunteers, money)."""
    _ = tick.value  # subscribe: a new day redraws this
    view = session.views[-1]
    body = solara.use_memo(lambda: cards_html(chart_cards(view, lang, first, last)), dependencies=[view, lang, first, last])
    return solara.HTML(tag="div", unsafe_innerHTML=body)


def difference_rows(left: ModelView, right: ModelView, lang: str) -> list[tuple[str, str, str, str]]:
    """(what, left, right, right minus left): coverage, hardship coverage, needs not yet served, needs arisen.

    Needs arisen are equal on both sides (common random numbers): the row shows the class that
    both sides faced the same needs.
    """
    rows = []
    for key, group in (("coverage_so_far", "all"), ("hardship_so_far", "hardship")):
        a, b = coverage_so_far(left, group), coverage_so_far(right, group)
        show = [f"{v * 100:.0f}%" if v is not None else t("too_few", lang) for v in (a, b)]
        diff = f"{(b - a) * 100:+.0f} {t('points_unit', lang)}" if a is not None and b is not None else "–"
        rows.append((t(key, lang), *show, diff))
    for key, count in (("not_served", not_yet_served), ("needs_arisen", needs_arisen)):
        a, b = count(left), count(right)
        rows.append((t(key, lang), str(a), str(b), f"{b - a:+d} {t('needs_unit', lang)}"))
    return rows


def needs_arisen(view: ModelView) -> int:
    """Needs arisen since day 1."""
    return view.needs_arisen


def difference_html(left: ModelView, right: ModelView, lang: str) -> str:
    """The live difference table between the two sides."""
    head = "".join(f'<th style="padding:2px 10px;text-align:right">{html.escape(h)}</th>'
                   for h in (t("left_title", lang), t("right_title", lang), t("difference", lang)))
    body = "".join(
        f'<tr class="sim-row"><td style="padding:2px 10px">{html.escape(what)}</td><td style="padding:2px 10px;text-align:right">{a}</td>'
        f'<td style="padding:2px 10px;text-align:right">{b}</td><td style="padding:2px 10px;text-align:right;'
        f'font-weight:700">{html.escape(d)}</td></tr>' for what, a, b, d in difference_rows(left, right, lang))
    return f'<table class="sim-difference" style="border-collapse:collapse;font-size:1.05em"><tr><th></th>{head}</tr>{body}</table>'


def compare_cards(left: ModelView, right: ModelView, lang: str) -> list[str]:
    """Charts of both sides: coverage and hardship coverage, and needs not yet served."""
    days = right.days
    lines, entries = [], []
    for group in ("all", "hardship"):
        colour = GROUP_COLOURS[group]
        lines += [Line(colour, rolling_coverage(left, group), dashed=True), Line(colour, rolling_coverage(right, group))]
        entries.append(swatch(colour, t(f"series_{group}", lang), "━"))
    waiting = [Line("#f28e2b" if m is right else "#7f7f7f", [a + b for a, b in zip(series(m, "needs_waiting"), series(m, "needs_unreported"))],
                    dashed=m is left) for m in (left, right)]
    first_month = t("chart_first_month", lang) if right.day < WINDOW_DAYS else ""
    return [card_html(t("chart_compare_coverage", lang), entries, line_chart_svg(lines, days, lang, percent=True),
                      [first_month, t("chart_coverage_note", lang)]),
            card_html(t("chart_compare_waiting", lang), [], line_chart_svg(waiting, days, lang), [t("x_days", lang)])]


@solara.component
def Difference(session: Session, tick: solara.Reactive[int], lang: str) -> reacton.core.Element:
    """The live difference table (one widget)."""
    _ = tick.value  # subscribe: a new day redraws this
    left, right = session.views
    table = solara.use_memo(lambda: difference_html(left, right, lang), dependencies=[right, lang])
    return solara.HTML(tag="div", unsafe_innerHTML=table)


@solara.component
def CompareCharts(session: Session, tick: solara.Reactive[int], lang: str) -> reacton.core.Element:
    """Charts of both sides (one widget)."""
    _ = tick.value  # subscribe: a new day redraws this
    left, right = session.views
    body = solara.use_memo(lambda: cards_html(compare_cards(left, right, lang)), dependencies=[right, lang])
    return solara.HTML(tag="div", unsafe_innerHTML=body, style={"display": "grid", "grid-template-columns": "1fr 1fr",
                                                               "gap": "10px"})


@solara.component
def SideBySide(session: Session, tick: solara.Reactive[int], lang: str) -> reacton.core.Element:
    """Two maps next to each other, the live difference and charts of both sides."""
    with solara.Column(gap="8px") as main:
        with solara.Card(margin=0):
            if not session.moved:
                solara.Warning(t("same_levers", lang), dense=True)
            Difference(session, tick, lang)
        with solara.Columns([1, 1]):
            MapCard(session, 0, tick, lang, t("left_title", lang))
            MapCard(session, 1, tick, lang, t("right_title", lang))
        CompareCharts(session, tick, lang)
    return main

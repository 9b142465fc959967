"""Report figures as SVG that keeps its text as text, so the reader's browser renders Chinese.

Each function takes tidy pandas frames (read from the store) and returns SVG markup with a
``<title>`` and ``<desc>``. Colours are the Okabe-Ito palette (safe for colour-blind readers) and
every option also has its own marker, so no figure relies on colour alone.
"""

from __future__ import annotations

import functools
import html
import io
import logging
import re
import warnings
from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter

from sim.kpi_table import format_difference, with_unit
from sim.kpis import Better, better_of, label
from sim.report.context import MANY_COMMUNITIES
from sim.report.stats import mean_ci
from sim.report.text import t
from sim.report.verdicts import Judgement, Verdict

plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "five-society", "font.size": 9,
                     "font.family": ["DejaVu Sans", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "sans-serif"]})
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # CJK fonts are the browser's job
GLYPH_WARNING = r"Glyph \d+ .* missing from font"

# Okabe & Ito (2008): black for the current plan, then orange, sky blue, green, blue, vermillion, purple, yellow
COLOURS = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
GROUPS = ("all", "elderly", "disabled", "children", "hardship")
WINDOW_DAYS = 30
SERIES_KPIS = ("needs_met", "needs_unmet")
THOUSANDS = FuncFormatter(lambda value, _: f"{value:,.0f}")


def style(index: int) -> dict[str, Any]:
    """Colour and marker of the option at ``index`` (0 = the current plan)."""
    return {"color": COLOURS[index % len(COLOURS)], "marker": MARKERS[index % len(MARKERS)]}


def quiet_glyphs(draw: Callable[..., str]) -> Callable[..., str]:
    """Silence matplotlib's missing-glyph warnings: text stays text and the reader's browser draws it."""

    @functools.wraps(draw)
    def wrapped(*args: Any, **kwargs: Any) -> str:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=GLYPH_WARNING, category=UserWarning)
            return draw(*args, **kwargs)

    return wrapped


def to_svg(fig: plt.Figure, title: str, desc: str) -> str:
    """The figure as inline SVG markup with a title and description (no prolog, metadata or external references)."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    head_end = svg.index(">") + 1
    opening = svg[:head_end].replace("<svg ", '<svg role="img" ', 1)
    return f"{opening}<title>{html.escape(title)}</title><desc>{html.escape(desc)}</desc>{svg[head_end:]}"


def _ordered(names: dict[str, str], baseline: str) -> list[str]:
    return [baseline, *(o for o in names if o != baseline)]


@quiet_glyphs
def forest(judgements: dict[tuple[str, str], Judgement], names: dict[str, str], baseline: str, lang: str) -> str:
    """Each option's difference from the current plan with its 95% CI, in units of the KPI's smallest
    important difference, turned so that right is better; the band of +-1 is "practically the same"."""
    order = list(dict.fromkeys(k for _, k in judgements))
    kpis = [k for k in order if better_of(k) is not Better.NEUTRAL
            and any(j.verdict is not Verdict.EQUAL and j.mid > 0 for (_, key), j in judgements.items() if key == k)]
    others = [o for o in _ordered(names, baseline) if o != baseline]
    fig, ax = plt.subplots(figsize=(9, 0.45 * max(len(kpis), 2) + 1.2))
    ax.axvspan(-1, 1, color="#dddddd", zorder=0)
    ax.axvline(0, color="#555555", lw=0.8)
    step = 0.7 / max(len(others), 1)
    for i, option in enumerate(others):
        for row, kpi in enumerate(kpis):
            j = judgements.get((option, kpi))
            if j is None or j.mid <= 0:
                continue
            sign = -1.0 if better_of(kpi) is Better.LOWER else 1.0
            low, high = sorted((sign * j.diff.low / j.mid, sign * j.diff.high / j.mid))
            y = row + (i - (len(others) - 1) / 2) * step
            look = style(i + 1)
            ax.errorbar(sign * j.diff.mean / j.mid, y, xerr=[[sign * j.diff.mean / j.mid - low], [high - sign * j.diff.mean / j.mid]],
                        fmt=look["marker"], color=look["color"], capsize=2, ms=5, label=names[option] if row == 0 else None)
    ax.set_yticks(range(len(kpis)), [f"{label(k, lang)} (±{_mid_text(k, judgements, lang)})" for k in kpis])
    ax.invert_yaxis()
    worse, better = ("← 更差", "更好 →") if lang == "zh" else ("← worse", "better →")
    ax.set_xlabel(f"{worse}   {'差异 ÷ 最小重要差异（灰带：实际上相同）' if lang == 'zh' else 'difference ÷ smallest important difference (grey band: practically the same)'}   {better}")
    if others:
        ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    desc = ("每行一个指标；点为差异，横线为95%置信区间，灰带内为实际上相同。" if lang == "zh" else
            "One row per indicator; dots are differences from the current plan, lines their 95% confidence "
            "intervals; inside the grey band the options are practically the same.")
    return to_svg(fig, t("fig_forest", lang), desc)


def _mid_text(kpi: str, judgements: dict[tuple[str, str], Judgement], lang: str) -> str:
    mid = next(j.mid for (_, k), j in judgements.items() if k == kpi)
    return format_difference(kpi, mid, lang).lstrip("+")


def rolling_coverage(series: pd.DataFrame, window: int = WINDOW_DAYS) -> pd.DataFrame:
    """Per run and day: met share of the needs closed in the last ``window`` days (from cumulative counts)."""
    wide = series.pivot_table(index=["scenario", "replication", "day"], columns="kpi", values="value").reset_index()
    rows = []
    for (scenario, replication), frame in wide.groupby(["scenario", "replication"], sort=False):
        met = frame["needs_met"].to_numpy()
        closed = met + frame["needs_unmet"].to_numpy()
        if met.size <= window:
            continue
        met_window, closed_window = met[window:] - met[:-window], closed[window:] - closed[:-window]
        share = np.divide(met_window, closed_window, out=np.full(met_window.shape, np.nan), where=closed_window > 0)
        rows.append(pd.DataFrame({"scenario": scenario, "replication": replication,
                                  "day": frame["day"].to_numpy()[window:], "coverage": share}))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["scenario", "replication", "day", "coverage"])


@quiet_glyphs
def series_bands(series: pd.DataFrame, names: dict[str, str], baseline: str, lang: str) -> str:
    """Rolling 30-day coverage per option: mean line and 95% band over replications."""
    fig, ax = plt.subplots(figsize=(9, 3.4))
    days = int(series["day"].max()) if not series.empty else 0
    window = min(WINDOW_DAYS, max(1, days // 4))  # short runs get a shorter window
    rolling = rolling_coverage(series, window)
    for i, option in enumerate(_ordered(names, baseline)):
        frame = rolling[rolling["scenario"] == option]
        if frame.empty:
            continue
        table = frame.pivot_table(index="day", columns="replication", values="coverage")
        mean = table.mean(axis=1)
        half = 1.96 * table.std(axis=1, ddof=1).fillna(0.0) / np.sqrt(max(table.shape[1], 1))
        look = style(i)
        ax.plot(mean.index, 100 * mean.values, color=look["color"], marker=look["marker"], markevery=30, ms=4,
                label=names[option], lw=1.2)
        ax.fill_between(mean.index, 100 * (mean - half), 100 * (mean + half), color=look["color"], alpha=0.15, lw=0)
    ax.set_xlabel(t("day", lang))
    ax.set_ylabel(f"近{window}天覆盖率 (%)" if lang == "zh" else f"coverage, last {window} days (%)")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    desc = (f"每条线为一个方案近{window}天内结束的需求中得到满足的比例（重复均值），阴影为95%区间。" if lang == "zh" else
            f"Each line is the share of needs closed in the previous {window} days that were met, for one option "
            "(mean over replications), with a 95% band.")
    return to_svg(fig, t("fig_series", lang), desc)


@quiet_glyphs
def coverage_by_group(results: pd.DataFrame, names: dict[str, str], baseline: str, lang: str) -> str:
    """Coverage for all residents and each group, one marker per option, with 95% CIs."""
    fig, ax = plt.subplots(figsize=(9, 3.2))
    options = _ordered(names, baseline)
    step = 0.6 / max(len(options), 1)
    for i, option in enumerate(options):
        rows = results[results["scenario"] == option]
        intervals = [mean_ci(rows["coverage" if g == "all" else f"coverage_{g}"].to_numpy()) for g in GROUPS]
        x = np.arange(len(GROUPS)) + (i - (len(options) - 1) / 2) * step
        look = style(i)
        ax.errorbar(x, [100 * iv.mean for iv in intervals], yerr=[100 * iv.half_width for iv in intervals],
                    fmt=look["marker"], color=look["color"], capsize=2, label=names[option])
    ax.set_xticks(np.arange(len(GROUPS)), [t(g, lang) for g in GROUPS])
    ax.set_ylabel(f"{label('coverage', lang)} (%)")
    ax.legend(fontsize=7, ncols=min(len(options), 4))
    fig.tight_layout()
    desc = ("各人群需求覆盖率，点为重复均值，竖线为95%置信区间。" if lang == "zh" else
            "Coverage of each resident group under each option: means over replications with 95% confidence intervals.")
    return to_svg(fig, t("fig_groups", lang), desc)


@quiet_glyphs
def equity(communities: pd.DataFrame, names: dict[str, str], baseline: str, community_names: dict[str, str], lang: str) -> str:
    """Coverage of each community under each option (mean over replications)."""
    table = communities.groupby(["scenario", "community"], sort=False)["coverage"].mean().unstack("community")
    if table.shape[1] > MANY_COMMUNITIES:
        return _equity_spread(table, names, baseline, lang)
    fig, ax = plt.subplots(figsize=(9, 3.2))
    table = table[[c for c in community_names if c in table.columns] + [c for c in table.columns if c not in community_names]]
    step = 0.6 / max(len(names), 1)
    for i, option in enumerate(_ordered(names, baseline)):
        if option in table.index:
            look = style(i)
            x = np.arange(table.shape[1]) + (i - (len(names) - 1) / 2) * step
            ax.plot(x, 100 * table.loc[option].to_numpy(), look["marker"], color=look["color"], label=names[option])
    ax.set_xticks(range(table.shape[1]), [community_names.get(c, c) for c in table.columns])
    ax.set_ylabel(f"{label('coverage', lang)} (%)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    desc = "各社区在各方案下的需求覆盖率（重复均值）。" if lang == "zh" else "Coverage of each community under each option (mean over replications)."
    return to_svg(fig, t("fig_equity", lang), desc)


def _equity_spread(table: pd.DataFrame, names: dict[str, str], baseline: str, lang: str) -> str:
    """A city's communities: the share of communities at or below each coverage, one line per option."""
    fig, ax = plt.subplots(figsize=(9, 3.2))
    for i, option in enumerate(_ordered(names, baseline)):
        if option in table.index:
            look = style(i)
            values = np.sort(100 * table.loc[option].dropna().to_numpy())
            share = 100 * np.arange(1, values.size + 1) / max(values.size, 1)
            ax.step(values, share, where="post", color=look["color"], label=names[option],
                    marker=look["marker"], markevery=max(1, values.size // 8), markersize=4)
    ax.set_xlabel(f"{label('coverage', lang)} (%)")
    ax.set_ylabel("社区占比（%）" if lang == "zh" else "communities at or below (%)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    n = table.shape[1]
    desc = (f"{n:,}个社区的需求覆盖率分布（重复均值）：每条线给出覆盖率不高于横轴数值的社区占比；线越靠右越好。" if lang == "zh" else
            f"Coverage across the {n:,} communities (means over replications): each line gives the share of communities "
            "whose coverage is at or below the value on the horizontal axis; a line further right is better.")
    return to_svg(fig, t("fig_equity", lang), desc)


@quiet_glyphs
def unmet_difference_maps(maps: dict[str, np.ndarray], names: dict[str, str], baseline: str,
                          blocks: list[tuple[str, tuple[int, int, int, int]]], lang: str) -> str:
    """One map per option of (option - current plan) unmet needs per cell, community blocks outlined and named."""
    others = [o for o in maps if o != baseline]
    count = max(len(others), 1)
    cols = min(count, 3)
    rows = -(-count // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.6 * rows), squeeze=False)
    diffs = {o: maps[o] - maps[baseline] for o in others}
    many = len(blocks) > MANY_COMMUNITIES
    if many:  # a city: each community's block painted with its total change, no names
        diffs = {o: _by_block(d, blocks) for o, d in diffs.items()}
    top = max((float(np.abs(d).max()) for d in diffs.values()), default=1.0) or 1.0
    image = None
    for ax, option in zip(axes.flat, others):
        image = ax.imshow(diffs[option], cmap="PuOr_r", vmin=-top, vmax=top, origin="lower", interpolation="nearest")
        for name, (x0, y0, width, height) in ([] if many else blocks):
            ax.add_patch(Rectangle((x0 - 0.5, y0 - 0.5), width, height, fill=False, lw=0.8, color="#333333"))
            total = float(diffs[option][y0:y0 + height, x0:x0 + width].sum())
            ax.text(x0 + width / 2 - 0.5, y0 + height / 2 - 0.5, f"{name}\n{_signed_count(total)}", ha="center", va="center", fontsize=7,
                    bbox={"facecolor": "white", "alpha": 0.7, "lw": 0, "pad": 1})
        ax.set_title(names[option], fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in list(axes.flat)[len(others):]:
        ax.axis("off")
    if image is not None:
        legend = "未满足需求变化（负值为减少）" if lang == "zh" else "change in unmet needs (negative: fewer)"
        fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.8, label=legend)
    if many:
        desc = ("每幅图为一个方案减现行方案的各社区未满足需求数（重复均值），每个社区的区块按其变化总数着色；紫色为减少，橙色为增加。" if lang == "zh" else
                "Each map is one option's unmet needs minus the current plan's (mean over replications), each community's block "
                "painted with its total change; purple is fewer, orange more.")
        return to_svg(fig, t("fig_map", lang), desc)
    desc = ("每幅图为一个方案减现行方案的各网格未满足需求数（重复均值）；紫色为减少，橙色为增加；方框为社区，数字为该社区未满足需求的变化。" if lang == "zh" else
            "Each map is one option's unmet needs per grid cell minus the current plan's (mean over replications); "
            "purple is fewer, orange more; boxes are communities, each with its change in unmet needs.")
    return to_svg(fig, t("fig_map", lang), desc)


def _by_block(diff: np.ndarray, blocks: list[tuple[str, tuple[int, int, int, int]]]) -> np.ndarray:
    """The grid with every community block set to the block's total (cells outside blocks stay 0)."""
    out = np.zeros_like(diff, dtype=float)
    for _, (x0, y0, width, height) in blocks:
        out[y0:y0 + height, x0:x0 + width] = diff[y0:y0 + height, x0:x0 + width].sum()
    return out


def _signed_count(value: float) -> str:
    """``+12``, ``-3`` or ``0`` (no signed zero)."""
    rounded = round(value)
    return f"{rounded:+,d}" if rounded else "0"


@quiet_glyphs
def money(results: pd.DataFrame, names: dict[str, str], baseline: str, lang: str) -> str:
    """Horizontal bars with values written on them: government spending, charity raised, cost per need met."""
    kpis = ("government_spent_yuan", "charity_raised_yuan", "cost_per_need_met_yuan")
    options = _ordered(names, baseline)
    fig, axes = plt.subplots(1, len(kpis), figsize=(10, 0.5 * len(options) + 1.4), sharey=True)
    for ax, kpi in zip(axes, kpis):
        means = [mean_ci(results.loc[results["scenario"] == o, kpi].to_numpy()).mean for o in options]
        y = np.arange(len(options))
        ax.barh(y, means, color=[style(i)["color"] for i in range(len(options))], height=0.6)
        for row, value in zip(y, means):
            ax.text(value, row, " " + with_unit(kpi, value, lang), va="center", fontsize=7)
        ax.set_title(label(kpi, lang), fontsize=9)
        ax.xaxis.set_major_formatter(THOUSANDS)
        ax.set_xlim(0, max(means + [1.0]) * 1.6)
        ax.set_xlabel("元" if lang == "zh" else "yuan")
    axes[0].set_yticks(range(len(options)), [names[o] for o in options])
    axes[0].invert_yaxis()
    fig.tight_layout()
    desc = ("各方案的政府投入、慈善募集（元）和每个满足需求的成本（元），重复均值。" if lang == "zh" else
            "Government spending, charity raised and cost per need met of each option in yuan (means over replications).")
    return to_svg(fig, t("fig_money", lang), desc)

"""Report figures as SVG that keeps its text as text, so the reader's browser renders Chinese.

Each function takes tidy pandas frames (read from the store) and returns the SVG markup.
"""

from __future__ import annotations

import functools
import io
import logging
import re
import warnings
from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.labels import label  # noqa: E402
from sim.report.stats import mean_ci  # noqa: E402
from sim.report.text import t  # noqa: E402

plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "five-society", "font.size": 9,
                     "font.family": ["DejaVu Sans", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "sans-serif"]})
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # CJK fonts are the browser's job
GLYPH_WARNING = r"Glyph \d+ .* missing from font"


def quiet_glyphs(draw: Callable[..., str]) -> Callable[..., str]:
    """Silence matplotlib's missing-glyph warnings: text stays text and the reader's browser draws it."""

    @functools.wraps(draw)
    def wrapped(*args: Any, **kwargs: Any) -> str:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=GLYPH_WARNING, category=UserWarning)
            return draw(*args, **kwargs)

    return wrapped
COLOURS = plt.get_cmap("tab10").colors
SERIES_KPIS = ("coverage", "coverage_hardship", "needs_waiting", "volunteers_active")
GROUPS = ("all", "elderly", "disabled", "children", "hardship")
MONEY_KPIS = ("government_spent_yuan", "charity_raised_yuan", "leverage", "cost_per_need_met_yuan")


def to_svg(fig: plt.Figure) -> str:
    """The figure as inline SVG markup (no XML prolog, no metadata block, no external references)."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    return re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)


@quiet_glyphs
def series_bands(series: pd.DataFrame, names: dict[str, str], lang: str) -> str:
    """Daily KPIs per option: mean line and 95% band over replications."""
    fig, axes = plt.subplots(2, 2, figsize=(9, 5.5), sharex=True)
    for ax, kpi in zip(axes.flat, SERIES_KPIS):
        for i, (option, frame) in enumerate(series[series["kpi"] == kpi].groupby("scenario", sort=False)):
            table = frame.pivot_table(index="day", columns="replication", values="value")
            mean = table.mean(axis=1)
            half = 1.96 * table.std(axis=1, ddof=1).fillna(0.0) / np.sqrt(max(table.shape[1], 1))
            scale = 100.0 if kpi.startswith("coverage") else 1.0
            ax.plot(mean.index, scale * mean.values, color=COLOURS[i % 10], label=names[option], lw=1.2)
            ax.fill_between(mean.index, scale * np.maximum(mean - half, 0.0), scale * (mean + half),
                            color=COLOURS[i % 10], alpha=0.2, lw=0)
        ax.set_title(label(kpi, lang) + (" (%)" if kpi.startswith("coverage") else ""))
        ax.set_xlabel(t("day", lang))
    axes.flat[0].legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return to_svg(fig)


@quiet_glyphs
def coverage_by_group(results: pd.DataFrame, names: dict[str, str], lang: str) -> str:
    """Grouped bars of coverage for all residents and each group, with 95% CIs."""
    fig, ax = plt.subplots(figsize=(9, 3.5))
    options = list(names)
    width = 0.8 / max(len(options), 1)
    for i, option in enumerate(options):
        rows = results[results["scenario"] == option]
        intervals = [mean_ci(rows["coverage" if g == "all" else f"coverage_{g}"].to_numpy()) for g in GROUPS]
        x = np.arange(len(GROUPS)) + i * width
        means = np.array([iv.mean for iv in intervals])
        errors = np.array([iv.half_width for iv in intervals])
        ax.bar(x, 100 * means, width, yerr=100 * errors, color=COLOURS[i % 10], label=names[option], capsize=2)
    ax.set_xticks(np.arange(len(GROUPS)) + 0.4 - width / 2, [t(g, lang) for g in GROUPS])
    ax.set_ylabel("%")
    ax.set_ylim(0, 100)
    ax.legend(fontsize=7, ncols=min(len(options), 4))
    fig.tight_layout()
    return to_svg(fig)


@quiet_glyphs
def equity(communities: pd.DataFrame, names: dict[str, str], lang: str) -> str:
    """Coverage of each community under each option (mean over replications)."""
    fig, ax = plt.subplots(figsize=(9, 3.2))
    table = communities.groupby(["scenario", "community"], sort=False)["coverage"].mean().unstack("community")
    for i, option in enumerate(names):
        if option in table.index:
            values = table.loc[option]
            ax.plot(range(len(values)), 100 * values.to_numpy(), "o-", color=COLOURS[i % 10], label=names[option])
    ax.set_xticks(range(table.shape[1]), list(table.columns), rotation=20)
    ax.set_ylabel("%")
    ax.set_xlabel(t("community", lang))
    ax.legend(fontsize=7)
    fig.tight_layout()
    return to_svg(fig)


@quiet_glyphs
def unmet_maps(maps: dict[str, np.ndarray], names: dict[str, str], lang: str) -> str:
    """One small map per option, cells coloured by mean unmet needs, on a shared scale."""
    count = len(maps)
    cols = min(count, 3)
    rows = -(-count // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 3.0 * rows), squeeze=False)
    top = max(float(m.max()) for m in maps.values()) or 1.0
    for ax, (option, grid) in zip(axes.flat, maps.items()):
        image = ax.imshow(grid, cmap="Reds", vmin=0, vmax=top, origin="lower", interpolation="nearest")
        ax.set_title(names[option], fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in list(axes.flat)[count:]:
        ax.axis("off")
    fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.8, label=label("needs_unmet", lang))
    return to_svg(fig)


@quiet_glyphs
def money(results: pd.DataFrame, names: dict[str, str], lang: str) -> str:
    """Bars with 95% CIs of the money KPIs per option."""
    fig, axes = plt.subplots(1, len(MONEY_KPIS), figsize=(10, 3.0))
    options = list(names)
    for ax, kpi in zip(axes, MONEY_KPIS):
        intervals = [mean_ci(results.loc[results["scenario"] == o, kpi].to_numpy()) for o in options]
        ax.bar(range(len(options)), [iv.mean for iv in intervals], yerr=[iv.half_width for iv in intervals],
               color=[COLOURS[i % 10] for i in range(len(options))], capsize=2)
        ax.set_xticks(range(len(options)), [names[o] for o in options], rotation=30, ha="right", fontsize=7)
        ax.set_title(label(kpi, lang), fontsize=8)
    fig.tight_layout()
    return to_svg(fig)

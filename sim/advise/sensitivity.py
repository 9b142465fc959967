"""Sensitivity: which uncertain inputs drive each KPI (Morris screening, Sobol indices; SALib).

The design is drawn in the unit cube (one axis per uncertainty, mapped into its range through
its distribution), so an elementary effect is the KPI's change when an input moves across its
whole range, comparable between inputs. Every design point is a sampled setting of the
experiment (``Experiment(settings=...)``): runs go to the result store, a rerun resumes, and each
point runs the same replication seeds (common random numbers), whose mean is the point's KPI.
"""

from __future__ import annotations

import html
from enum import Enum
from pathlib import Path

import numpy as np
import pandas as pd

from sim.advise.uncertainties import Settings, Uncertainty, settings_from_unit
from sim.errors import ScenarioError
from sim.kpi_table import format_difference, format_value
from sim.kpis import is_share, label

MORRIS_LEVELS = 4
RESAMPLES = 200
# Okabe & Ito (2008): colour-blind safe; first-order and total indices also differ by marker
BLUE, ORANGE = "#0072B2", "#E69F00"


class Method(str, Enum):
    """Morris screening (cheap: trajectories x (inputs + 1) points) or Sobol indices (N x (inputs + 2))."""

    MORRIS = "morris"
    SOBOL = "sobol"


def problem(items: tuple[Uncertainty, ...]) -> dict:
    """SALib's problem in the unit cube."""
    return {"num_vars": len(items), "names": [u.name for u in items], "bounds": [[0.0, 1.0]] * len(items)}


def design(items: tuple[Uncertainty, ...], method: Method, samples: int, seed: int, source: str = "") -> Settings:
    """The design's settings: ``samples`` Morris trajectories, or a Sobol base sample of ``samples`` (a power of 2)."""
    if method is Method.MORRIS:
        from SALib.sample import morris

        unit = morris.sample(problem(items), N=samples, num_levels=MORRIS_LEVELS, seed=seed)
    else:
        from SALib.sample import sobol

        if samples < 2 or samples & (samples - 1):
            raise ScenarioError([f"--samples: sobol needs a power of 2 from 2 (got {samples})"])
        unit = sobol.sample(problem(items), N=samples, calc_second_order=False, seed=seed)
    return settings_from_unit(items, np.clip(unit, 0.0, 1.0), method.value, seed, source)


def point_means(ok: pd.DataFrame, kpi: str, points: int) -> np.ndarray:
    """Each design point's KPI: the mean of its replications (NaN where none finished)."""
    return ok.groupby("point")[kpi].mean().reindex(range(points)).to_numpy(dtype=float)


def analyse(ok: pd.DataFrame, settings: Settings, kpi: str) -> pd.DataFrame:
    """One row per uncertainty: Morris mu*, its 95% CI half-width and sigma, or Sobol S1 and ST with theirs."""
    y = point_means(ok, kpi, len(settings))
    if not np.isfinite(y).all():
        raise ScenarioError([f"sensitivity: {int((~np.isfinite(y)).sum())} design points have no finished run; rerun to resume"])
    spec = problem(settings.uncertainties)
    if settings.method == Method.MORRIS.value:
        from SALib.analyze import morris

        found = morris.analyze(spec, np.asarray(settings.unit), y, num_resamples=RESAMPLES, num_levels=MORRIS_LEVELS,
                               seed=settings.seed)
        columns = {"mu_star": found["mu_star"], "mu_star_conf": found["mu_star_conf"], "sigma": found["sigma"]}
    else:
        from SALib.analyze import sobol

        found = sobol.analyze(spec, y, calc_second_order=False, num_resamples=RESAMPLES, seed=settings.seed)
        columns = {"S1": found["S1"], "S1_conf": found["S1_conf"], "ST": found["ST"], "ST_conf": found["ST_conf"]}
    frame = pd.DataFrame({"kpi": kpi, "input": spec["names"], **{k: np.asarray(v, dtype=float) for k, v in columns.items()}})
    return frame.sort_values(frame.columns[2], ascending=False, key=lambda s: s.abs()).reset_index(drop=True)


# ---------------------------------------------------------------- table and figure


TEXT = {
    "title": ("Which uncertain inputs drive each indicator", "哪些不确定输入影响各项指标"),
    "input": ("Uncertain input", "不确定输入"),
    "range": ("Range", "范围"),
    "mu_star": ("Mean absolute effect across the range (μ*)", "在范围内变动的平均绝对效应（μ*）"),
    "sigma": ("Spread of effects (σ: interactions, non-linearity)", "效应离散度（σ：交互与非线性）"),
    "S1": ("First-order index S1", "一阶指数 S1"),
    "ST": ("Total index ST", "总效应指数 ST"),
    "morris": ("Morris screening", "Morris 筛选法"),
    "sobol": ("Sobol indices", "Sobol 指数"),
}


def _t(key: str, lang: str) -> str:
    return TEXT[key][1 if lang == "zh" else 0]


def _effect(kpi: str, value: float, lang: str) -> str:
    """An effect in the KPI's difference unit (points for shares)."""
    return format_difference(kpi, value, lang).lstrip("+")


def table_rows(frame: pd.DataFrame, items: dict[str, Uncertainty], lang: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the table (one KPI), numbers in the KPI's unit, CIs as ±."""
    kpi = str(frame["kpi"].iloc[0])
    if "mu_star" in frame:
        head = [_t("input", lang), _t("mu_star", lang) + " ± 95%", _t("sigma", lang)]
        rows = [[items[r.input].label(lang), f"{_effect(kpi, r.mu_star, lang)} ± {_effect(kpi, r.mu_star_conf, lang)}",
                 _effect(kpi, r.sigma, lang)] for r in frame.itertuples()]
    else:
        head = [_t("input", lang), _t("S1", lang) + " ± 95%", _t("ST", lang) + " ± 95%"]
        rows = [[items[r.input].label(lang), f"{r.S1:.2f} ± {r.S1_conf:.2f}", f"{r.ST:.2f} ± {r.ST_conf:.2f}"]
                for r in frame.itertuples()]
    return head, rows


def figure(frames: list[pd.DataFrame], items: dict[str, Uncertainty], lang: str) -> str:
    """One panel per KPI: each input's index with its 95% CI, most important at the top (SVG)."""
    from sim.report.figures import plt, quiet_glyphs, to_svg

    @quiet_glyphs
    def draw() -> str:
        rows = max(len(f) for f in frames)
        fig, axes = plt.subplots(len(frames), 1, figsize=(7.5, (0.32 * rows + 0.9) * len(frames)), squeeze=False)
        for ax, frame in zip(axes[:, 0], frames, strict=True):
            _panel(ax, frame[::-1], items, lang)
        fig.tight_layout()
        kind = _t("morris" if "mu_star" in frames[0] else "sobol", lang)
        kpis = ("、" if lang == "zh" else ", ").join(label(str(f["kpi"].iloc[0]), lang) for f in frames)
        desc = " ".join(_describe(f, items, lang) for f in frames)
        return to_svg(fig, f"{_t('title', lang)}: {kind} ({kpis})", desc)

    return draw()


def _panel(ax, frame: pd.DataFrame, items: dict[str, Uncertainty], lang: str) -> None:
    kpi = str(frame["kpi"].iloc[0])
    y = np.arange(len(frame))
    names = [items[i].label(lang) for i in frame["input"]]
    if "mu_star" in frame:
        scale = 100.0 if is_share(kpi) else 1.0
        ax.barh(y, frame["mu_star"] * scale, xerr=frame["mu_star_conf"] * scale, color=BLUE, capsize=3,
                label="μ*")
        ax.plot(frame["sigma"] * scale, y, "D", color=ORANGE, label="σ")
        unit = ("个百分点" if lang == "zh" else "points") if is_share(kpi) else format_value(kpi, 0).strip("0.,") or ""
        ax.set_xlabel(f"{label(kpi, lang)} ({unit})" if unit else label(kpi, lang))
    else:
        ax.errorbar(frame["S1"], y + 0.15, xerr=frame["S1_conf"], fmt="o", color=BLUE, capsize=3, label="S1")
        ax.errorbar(frame["ST"], y - 0.15, xerr=frame["ST_conf"], fmt="s", color=ORANGE, capsize=3, label="ST")
        ax.set_xlabel(f"{label(kpi, lang)}：Sobol 指数" if lang == "zh" else f"{label(kpi, lang)}: Sobol index")
        ax.axvline(0.0, color="#888888", linewidth=0.8)
    ax.set_yticks(y, names)
    ax.legend(loc="lower right", frameon=True, framealpha=0.9)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def _describe(frame: pd.DataFrame, items: dict[str, Uncertainty], lang: str) -> str:
    kpi = str(frame["kpi"].iloc[0])
    top = frame.iloc[0]
    name = items[top["input"]].label(lang)
    if "mu_star" in frame:
        value = _effect(kpi, float(top["mu_star"]), lang)
        return (f"{label(kpi, lang)}：影响最大的是{name}（μ* {value}）。" if lang == "zh" else
                f"{label(kpi, lang)}: most driven by the {name} (μ* {value}).")
    return (f"{label(kpi, lang)}：总效应最大的是{name}（ST {top['ST']:.2f}）。" if lang == "zh" else
            f"{label(kpi, lang)}: largest total index for the {name} (ST {top['ST']:.2f}).")


def write(out: Path, frames: list[pd.DataFrame], settings: Settings, replications: int, lang: str) -> Path:
    """sensitivity.csv, sensitivity.md, sensitivity.html and figures/sensitivity.svg in ``out``; returns the HTML's path."""
    items = {u.name: u for u in settings.uncertainties}
    (out / "figures").mkdir(parents=True, exist_ok=True)
    pd.concat(frames, ignore_index=True).to_csv(out / "sensitivity.csv", index=False)
    svg = figure(frames, items, lang)
    (out / "figures" / "sensitivity.svg").write_text(svg, encoding="utf-8")
    intro = _intro(settings, replications, lang)
    md, body = [f"# {_t('title', lang)}", "", intro, "", "![](figures/sensitivity.svg)", ""], [f"<p>{html.escape(intro)}</p>", svg]
    for frame in frames:
        head, rows = table_rows(frame, items, lang)
        title = label(str(frame["kpi"].iloc[0]), lang)
        md += [f"## {title}", "", "| " + " | ".join(head) + " |", "|---" * len(head) + "|",
               *["| " + " | ".join(row) + " |" for row in rows], ""]
        body.append(f"<h2>{html.escape(title)}</h2><table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>"
                    + "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows) + "</table>")
    md += [f"## {_t('range', lang)}", "", *[f"- {u.label(lang)}: {u.range_text()} ({u.source})" for u in items.values()]]
    (out / "sensitivity.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    page = (f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8"><title>'
            f"{html.escape(_t('title', lang))}</title></head><body><h1>{html.escape(_t('title', lang))}</h1>{''.join(body)}</body></html>")
    path = out / "sensitivity.html"
    path.write_text(page, encoding="utf-8")
    return path


def _intro(settings: Settings, replications: int, lang: str) -> str:
    kind = _t(settings.method, lang)
    n, k = len(settings.uncertainties), len(settings)
    if lang == "zh":
        return (f"{kind}：{n}个不确定输入，{k}个设计点，每点{replications}次重复（各点使用相同的随机种子）；"
                "效应为输入在其整个范围内变动时指标的变化，±为95%置信区间（自助法）。")
    return (f"{kind}: {n} uncertain inputs, {k} design points, {replications} replications each (the same seeds at every "
            "point); an effect is the indicator's change when an input moves across its whole range; ± is a 95% "
            "bootstrap confidence interval.")

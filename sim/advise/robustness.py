"""Robustness: does each option keep beating the current plan across what we don't know?

Reads a store in which every option ran under the same K sampled settings of the uncertain
inputs (``compare --uncertainties``), with the same replication seeds in every setting. Per option
and KPI it counts the settings in which the option beats the current plan by at least the KPI's
smallest important difference (``sim.kpis``), the option's worst-case regret (how far it falls
short of the best option in its worst setting), and, by scenario discovery, the conditions under
which it fails: the one- or two-sided box on the uncertain inputs that holds most of the settings
where it fails and few where it does not (a PRIM-like threshold search, written here because a
box from 8-16 settings is a handful of thresholds; ``settings_frame`` hands the same data to EMA
Workbench's ``prim`` for larger samples).
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.advise.uncertainties import Settings, Uncertainty, settings_from_description
from sim.kpi_table import format_difference
from sim.kpis import Better, Relative, better_of, label, smallest_important

MIN_DENSITY = 0.75  # a condition is reported when at least 3 in 4 settings inside it fail ...
MIN_COVERAGE = 0.5  # ... it holds at least half of the settings where the option fails ...
MIN_INSIDE = 2  # ... and at least two settings (one setting is an anecdote)
MIN_GAIN = 0.1  # a second threshold must raise coverage x density by this much
MAX_CONDITIONS = 2


@dataclass(frozen=True)
class Condition:
    """One side of a box: uncertainty ``index`` above (``above``) or below ``threshold``."""

    index: int
    above: bool
    threshold: float


@dataclass(frozen=True)
class Rule:
    """A box on the uncertain inputs and how well it describes where an option fails."""

    conditions: tuple[Condition, ...]
    fails_inside: int
    inside: int
    fails: int

    @property
    def coverage(self) -> float:
        """Share of the failing settings that lie inside the box."""
        return self.fails_inside / self.fails if self.fails else 0.0

    @property
    def density(self) -> float:
        """Share of the settings inside the box that fail."""
        return self.fails_inside / self.inside if self.inside else 0.0


@dataclass(frozen=True)
class Robustness:
    """One option against the current plan on one KPI, over the K settings."""

    option: str
    kpi: str
    mid: float
    settings: int
    wins: int  # settings where the mean paired difference is at least mid the better way
    clear_wins: int  # ... and its whole 95% CI is (needs 2+ replications)
    losses: int  # settings where it is at least mid worse
    worst_regret: float  # largest shortfall from the best option in any setting (KPI units, >= 0)
    worst_setting: int
    differences: tuple[float, ...]  # per setting, option minus current plan (KPI units)
    setting_values: tuple[tuple[float, ...], ...]  # the uncertain inputs of each of those settings
    rule: Rule | None  # where it fails
    success_rule: Rule | None = None  # where it pays off (read when it fails in most settings)


def stored_settings(results_dir: str | Path) -> Settings | None:
    """The sampled settings a store was run under, or None for an ordinary store."""
    from sim.experiment.results import load_meta
    from sim.experiment.runner import SETTINGS_META

    text = load_meta(results_dir, SETTINGS_META)
    return settings_from_description(json.loads(text)) if text else None


def pool_settings(frame: pd.DataFrame) -> pd.DataFrame:
    """Pair runs across settings: replication r of setting k becomes pair k x R + r (point 0).

    The main report then compares options over every (setting, replication) pair: the expected
    difference over the uncertainty's distribution, still paired by common random numbers.
    """
    if frame.empty or "point" not in frame:
        return frame
    width = int(frame["replication"].max()) + 1
    return frame.assign(replication=frame["point"] * width + frame["replication"], point=0)


def settings_frame(results_dir: str | Path, option: str, baseline: str, kpi: str) -> tuple[pd.DataFrame, np.ndarray]:
    """(settings x uncertain inputs, option minus baseline per setting): for EMA Workbench's ``prim``."""
    from sim.experiment.results import load_results

    settings = stored_settings(results_dir)
    if settings is None:
        raise ValueError(f"{results_dir}: no sampled settings in this store")
    ok = load_results(results_dir).query("status == 'ok'")
    diff = per_setting(ok, option, baseline, kpi).mean(axis=1).reindex(range(len(settings)))
    x = pd.DataFrame(settings.values, columns=[u.name for u in settings.uncertainties])
    return x, diff.to_numpy()


def per_setting(ok: pd.DataFrame, option: str, baseline: str, kpi: str) -> pd.DataFrame:
    """Paired differences, option minus baseline: one row per setting, one column per replication."""
    table = ok[ok["scenario"].isin([option, baseline])].pivot_table(
        index=["point", "replication"], columns="scenario", values=kpi)
    diff = (table[option] - table[baseline]).dropna()
    return diff.unstack("replication").sort_index()


def assess(ok: pd.DataFrame, settings: Settings, options: list[str], baseline: str, kpi: str,
           mid_override: float | Relative | None = None) -> list[Robustness]:
    """Every option other than the baseline on one KPI (higher-or-lower-is-better KPIs only)."""
    sign = 1.0 if better_of(kpi) is Better.HIGHER else -1.0
    mid = smallest_important(kpi, float(ok.loc[ok["scenario"] == baseline, kpi].mean()), mid_override)
    means = ok.pivot_table(index="point", columns="scenario", values=kpi).reindex(columns=options) * sign
    regret = means.max(axis=1).to_numpy()[:, None] - means.to_numpy()
    x = np.asarray(settings.values, dtype=float)
    found = []
    for column, option in enumerate(options):
        if option == baseline:
            continue
        diffs = per_setting(ok, option, baseline, kpi) * sign
        mean = diffs.mean(axis=1).to_numpy()
        low = np.array([_ci_low(row) for row in diffs.to_numpy()])
        points = diffs.index.to_numpy()
        fails = mean < mid
        worst = int(np.nanargmax(regret[:, column]))
        found.append(Robustness(option, kpi, mid, len(points), int((~fails).sum()), int((low >= mid).sum()),
                                int((mean <= -mid).sum()), float(regret[worst, column]), int(means.index[worst]),
                                tuple(float(v) * sign for v in mean), tuple(tuple(row) for row in x[points]),
                                find_rule(x[points], fails),
                                find_rule(x[points], ~fails)))
    return found


def _ci_low(row: np.ndarray) -> float:
    """Lower end of the 95% t interval of a setting's mean difference (-inf with one replication)."""
    from sim.report.stats import mean_ci

    row = row[np.isfinite(row)]
    return mean_ci(row).low if row.size >= 2 else -math.inf


def find_rule(x: np.ndarray, fails: np.ndarray) -> Rule | None:
    """The box of at most two thresholds that best separates failing settings (coverage x density).

    None when the option fails in no setting or in every one.
    """
    fails = np.asarray(fails, dtype=bool)
    if not fails.any() or fails.all():
        return None
    inside = np.ones(len(fails), dtype=bool)
    conditions: list[Condition] = []
    best_score = fails.mean()  # the whole space: coverage 1, density = share failing
    for _ in range(MAX_CONDITIONS):
        step = _best_step(x, fails, inside)
        if step is None or step[0] <= best_score + (MIN_GAIN if conditions else 1e-9):
            break
        best_score, condition, inside = step
        conditions.append(condition)
    if not conditions:
        return None
    return Rule(tuple(conditions), int((fails & inside).sum()), int(inside.sum()), int(fails.sum()))


def _best_step(x: np.ndarray, fails: np.ndarray, inside: np.ndarray) -> tuple[float, Condition, np.ndarray] | None:
    """The single threshold that most raises coverage x density inside the current box."""
    best = None
    for j in range(x.shape[1]):
        levels = np.unique(x[inside, j])
        for cut in (levels[1:] + levels[:-1]) / 2:
            for above in (True, False):
                box = inside & ((x[:, j] > cut) if above else (x[:, j] < cut))
                hit = int((fails & box).sum())
                if hit == 0 or box.sum() < MIN_INSIDE:
                    continue
                score = (hit / fails.sum()) * (hit / box.sum())
                if best is None or score > best[0] + 1e-12:
                    best = (score, Condition(j, above, float(cut)), box)
    return best


# ---------------------------------------------------------------- words


def sentence(r: Robustness, name: str, current: str, items: tuple[Uncertainty, ...], lang: str) -> str:
    """Where the option pays off and where it stops, in one sentence."""
    kpi, mid = label(r.kpi, lang), format_difference(r.kpi, r.mid, lang).lstrip("+")
    fails = r.settings - r.wins
    if fails == 0:
        return (f"{name}在全部{r.settings}个设定中都比{current}的{kpi}高出（或改善）至少{mid}。" if lang == "zh" else
                f"{name} beats the {current.lower()} on {kpi.lower()} by at least {mid} in all {r.settings} settings.")
    if r.wins == 0 and r.losses == 0:
        return (f"{name}与{current}在{kpi}上的差距在全部{r.settings}个设定中都小于{mid}（既不更好也不更差）。" if lang == "zh" else
                f"{name} stays within {mid} of the {current.lower()} on {kpi.lower()} in all {r.settings} settings "
                "(neither better nor worse by that much).")
    if r.wins == 0:
        return (f"{name}在{r.settings}个设定中没有一个在{kpi}上比{current}好出至少{mid}。" if lang == "zh" else
                f"{name} beats the {current.lower()} on {kpi.lower()} by at least {mid} in none of the {r.settings} settings.")
    if r.wins < fails:
        return _pays_off_only(r, name, current, kpi, mid, items, lang)
    rule = r.rule
    if not _telling(rule):
        return (f"{name}在{r.settings}个设定中有{fails}个未能在{kpi}上好出至少{mid}，且没有一个简单的不确定因素条件能说明失效的位置。"
                if lang == "zh" else
                f"{name} fails to beat the {current.lower()} on {kpi.lower()} by {mid} in {fails} of {r.settings} settings, "
                "and no simple condition on the uncertain inputs says where.")
    where = _conditions_text(rule, items, lang)
    if lang == "zh":
        return (f"当{where}时，{name}在{kpi}上不再比{current}好出至少{mid}（失效的{rule.fails}个设定中有{rule.fails_inside}个落在此范围；"
                f"此范围内的{rule.inside}个设定中有{rule.fails_inside}个失效）。")
    return (f"{name} stops paying off on {kpi.lower()} (no longer beats the {current.lower()} by {mid}) when {where}: "
            f"{rule.fails_inside} of the {rule.fails} settings where it fails lie there, and {rule.fails_inside} of the "
            f"{rule.inside} settings there fail.")


def _pays_off_only(r: Robustness, name: str, current: str, kpi: str, mid: str, items: tuple[Uncertainty, ...],
                   lang: str) -> str:
    """An option that fails in most settings: where it does pay off, if a box says so."""
    good = r.success_rule
    if not _telling(good):
        return (f"{name}只在{r.settings}个设定中的{r.wins}个在{kpi}上比{current}好出至少{mid}，且没有一个简单的不确定因素条件能说明是哪些。"
                if lang == "zh" else
                f"{name} beats the {current.lower()} on {kpi.lower()} by {mid} in only {r.wins} of {r.settings} settings, "
                "and no simple condition on the uncertain inputs says which.")
    where = _conditions_text(good, items, lang)
    if lang == "zh":
        return (f"{name}只有在{where}时才在{kpi}上比{current}好出至少{mid}（共{r.settings}个设定中{r.wins}个做到；"
                f"其中{good.fails_inside}个落在此范围，此范围内{good.inside}个设定中有{good.fails_inside}个做到）。")
    return (f"{name} pays off on {kpi.lower()} (beats the {current.lower()} by {mid}) only when {where}: it does in "
            f"{r.wins} of {r.settings} settings, {good.fails_inside} of them there, and in {good.fails_inside} of the "
            f"{good.inside} settings there.")


def _telling(rule: Rule | None) -> bool:
    """A box worth a sentence: dense, holding most of its class, more than one setting."""
    return rule is not None and rule.density >= MIN_DENSITY and rule.coverage >= MIN_COVERAGE and rule.inside >= MIN_INSIDE


def _conditions_text(rule: Rule, items: tuple[Uncertainty, ...], lang: str) -> str:
    parts = []
    for c in rule.conditions:
        item = items[c.index]
        value = item.shown(c.threshold)
        if lang == "zh":
            parts.append(f"{item.label_zh}{'高于' if c.above else '低于'}{value}")
        else:
            parts.append(f"the {item.label_en} is {'above' if c.above else 'below'} {value}")
    return ("且" if lang == "zh" else " and ").join(parts)


TEXT = {
    "title": ("Robustness to what we don't know", "对未知因素的稳健性"),
    "option": ("Option", "方案"),
    "indicator": ("Indicator", "指标"),
    "wins": ("Settings where it beats the current plan by at least the smallest important difference (of which clearly)",
             "比现行方案好出至少最小重要差异的设定数（其中明确的）"),
    "losses": ("Settings where it is worse by at least that much", "差出至少该差异的设定数"),
    "regret": ("Worst-case regret (shortfall from the best option, worst setting)", "最坏情况遗憾值（最差设定下与最佳方案的差距）"),
    "inputs": ("Uncertain inputs and their ranges", "不确定输入及其范围"),
    "input": ("Input", "输入"),
    "range": ("Range", "范围"),
    "source": ("Source or reason", "来源或理由"),
    "fig": ("Each option against the current plan in every sampled setting", "各方案在每个抽样设定下与现行方案的差异"),
}


def _t(key: str, lang: str) -> str:
    return TEXT[key][1 if lang == "zh" else 0]


def intro(settings: Settings, replications: int, lang: str) -> str:
    """What was run."""
    k, n = len(settings), len(settings.uncertainties)
    if lang == "zh":
        return (f"每个方案都在同样的{k}个不确定因素设定下运行（{n}个不确定输入，拉丁超立方抽样，种子{settings.seed}），"
                f"每个设定{replications}次配对重复（各方案、各设定使用相同的随机种子）。“明确”指该设定的95%置信区间整体超出最小重要差异。"
                f"上面的差异表把所有设定和重复合并配对比较。下列条件是从{k}个设定中读出的，是值得用更多设定（--samples）检验的线索，而非定论。")
    return (f"Every option ran under the same {k} settings of {n} uncertain inputs (Latin hypercube, seed {settings.seed}), "
            f"{replications} paired replications in each (the same random seeds for every option and setting). "
            "\u201cClearly\u201d: that setting's whole 95% confidence interval lies beyond the smallest important difference. "
            f"The comparison above pools every setting and replication, paired. The conditions below are read off {k} "
            "settings: leads to check with more settings (--samples), not findings.")


@dataclass
class Section:
    """A report section: its title, HTML and Markdown, and its figures (file stem -> SVG)."""

    title: str
    html: str
    markdown: str
    figures: dict[str, str]


def figure(results: list[Robustness], items: tuple[Uncertainty, ...], names: dict[str, str], options: list[str],
           lang: str) -> str:
    """Per KPI, each option's per-setting difference (in smallest important differences, up = better)
    against the uncertain input that best tells where options fail (SVG)."""
    from sim.report.figures import plt, quiet_glyphs, style, to_svg

    kpis = list(dict.fromkeys(r.kpi for r in results))

    @quiet_glyphs
    def draw() -> str:
        fig, axes = plt.subplots(1, len(kpis), figsize=(3.6 * len(kpis) + 0.6, 3.4), squeeze=False)
        for ax, kpi in zip(axes[0], kpis, strict=True):
            rows = [r for r in results if r.kpi == kpi]
            item = items[_telling_input(rows)]
            ax.axhspan(-1, 1, color="#dddddd", zorder=0)
            for r in rows:
                look = style(options.index(r.option))
                sign = 1.0 if better_of(kpi) is Better.HIGHER else -1.0
                x = [item.shown_number(v[_index(items, item)]) * (100 if item.percent else 1) for v in r.setting_values]
                y = [sign * d / r.mid if r.mid > 0 else 0.0 for d in r.differences]
                ax.plot(x, y, look["marker"], color=look["color"], ms=5, linestyle="none", label=names[r.option])
            ax.set_xlabel(item.label(lang) + (" (%)" if item.percent else ""))
            ax.set_title(label(kpi, lang), fontsize=9)
        axes[0][0].set_ylabel("差异 ÷ 最小重要差异（向上更好）" if lang == "zh" else "difference ÷ smallest important difference (up = better)")
        axes[0][-1].legend(fontsize=7, loc="best")
        fig.tight_layout()
        desc = ("每个点是一个设定下方案与现行方案的配对差异（重复的均值），灰带内为差异小于最小重要差异。" if lang == "zh" else
                "Each dot is one setting: the option's mean paired difference from the current plan; inside the grey "
                "band the difference is smaller than the smallest important difference.")
        return to_svg(fig, _t("fig", lang), desc)

    return draw()


def _telling_input(rows: list[Robustness]) -> int:
    """The input the reported boxes use most (first thresholds count double, weighted by the settings
    they hold); the first input when no box is reported."""
    weights: dict[int, float] = {}
    for r in rows:
        rules = (r.success_rule,) if r.wins < r.settings - r.wins else (r.rule,)  # the box the sentence reports
        for rule in (x for x in rules if _telling(x)):
            for order, condition in enumerate(rule.conditions):
                weights[condition.index] = weights.get(condition.index, 0.0) + rule.fails_inside * (2.0 if order == 0 else 1.0)
    return max(weights, key=weights.get) if weights else 0


def _index(items: tuple[Uncertainty, ...], item: Uncertainty) -> int:
    return items.index(item)


def section(ok: pd.DataFrame, settings: Settings, options: list[str], baseline: str, kpis: list[str],
            names: dict[str, str], lang: str, mids: dict[str, float | Relative] | None = None) -> Section:
    """The robustness section of the report (``ok``: finished runs, one row per run, with ``point``)."""
    judged = [k for k in kpis if better_of(k) is not Better.NEUTRAL]
    results = [r for k in judged for r in assess(ok, settings, options, baseline, k, (mids or {}).get(k))]
    replications = int(ok.groupby(["scenario", "point"]).size().min())
    current = names[baseline]
    sentences = [sentence(r, names[r.option], current, settings.uncertainties, lang) for r in results]
    rows = [[names[r.option], label(r.kpi, lang), f"{r.wins} / {r.settings} ({r.clear_wins})",
             f"{r.losses} / {r.settings}", format_difference(r.kpi, r.worst_regret, lang).lstrip("+")] for r in results]
    head = [_t(k, lang) for k in ("option", "indicator", "wins", "losses", "regret")]
    inputs = [[u.label(lang), u.range_text(), u.source] for u in settings.uncertainties]
    input_head = [_t(k, lang) for k in ("input", "range", "source")]
    text = intro(settings, replications, lang)
    svg = figure(results, settings.uncertainties, names, options, lang) if results else ""
    html_text = (f"<p>{html.escape(text)}</p>" + _html_table("robustness", head, rows)
                 + "<ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in sentences) + "</ul>"
                 + (f'<figure id="fig-robustness"><figcaption>{html.escape(_t("fig", lang))}</figcaption>{svg}</figure>' if svg else "")
                 + f"<h3>{html.escape(_t('inputs', lang))}</h3>" + _html_table("uncertainties", input_head, inputs))
    markdown = "\n".join([text, "", _md_table(head, rows), "", *[f"- {s}" for s in sentences], "",
                          *([f"![{_t('fig', lang)}](figures/robustness.svg)", ""] if svg else []),
                          f"### {_t('inputs', lang)}", "", _md_table(input_head, inputs), ""])
    return Section(_t("title", lang), html_text, markdown, {"robustness": svg} if svg else {})


def _html_table(ident: str, head: list[str], rows: list[list[str]]) -> str:
    cells = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f'<table id="{ident}"><tr>' + "".join(f"<th>{html.escape(h)}</th>" for h in head) + f"</tr>{cells}</table>"


def _md_table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    return "\n".join(lines + ["| " + " | ".join(str(v).replace("|", "/") for v in row) + " |" for row in rows])

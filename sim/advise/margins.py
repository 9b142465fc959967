"""Marginal value: what the next step of yuan does on each budget line, from paired runs.

For each line the option is the scenario with ``step_yuan`` more a year, all of it on that line
(the other lines keep their yuan): ``total' = total + step`` and ``split_line' = (total x
split_line + step) / total'``. Each option runs on the same seeds as the unchanged scenario
(common random numbers), and the finite difference option - scenario per replication gives a
paired 95% t interval. Replications are added in batches until every interval is narrower than
the requested half-width (default: each KPI's smallest important difference) or the run budget
is spent. With several communities, each community also gets one option: the step earmarked
for it (``communities.<name>.extra_budget_yuan``), split across lines like the rest of the budget.
Cost: ``(lines + communities + 1) x replications`` runs (one community counts as none).
With sampled settings of uncertain inputs, every option runs under the same K settings and the
differences are paired by (setting, replication): ``K`` times the runs, and each interval is
over the settings as well as the seeds.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from sim.advise.paired import Backend, Candidate, PairedRuns, settings_note
from sim.errors import ScenarioError
from sim.kpi_table import format_difference, signed_number, with_unit
from sim.kpis import KPIS, Better, better_of, is_share, label
from sim.report.stats import paired_difference
from sim.report.text import verdict_word
from sim.report.verdicts import Judgement, judge
from sim.scenario import BUDGET_LINES, Budget, Scenario

if TYPE_CHECKING:
    from sim.advise.uncertainties import Settings

BASE = "scenario"
COMMUNITY = "community:"  # prefix of a community's option: the step earmarked for it
SPENT = "government_spent_yuan"
LINES: dict[str, tuple[str, str]] = {
    "stations": ("Social-work stations", "社工站建设"),
    "demonstration": ("Demonstration communities (programmes)", "示范社区（服务项目）"),
    "hub_awards": ("Awards to hub organisations", "枢纽型社会组织奖励"),
    "purchased_services": ("Purchased professional services", "购买专业服务"),
    "fund_seed": ("Seed money for community funds", "社区基金种子资金"),
}


@dataclass(frozen=True)
class MarginSettings:
    """How to measure: KPIs (the first ranks), the step, and when replications stop."""

    kpis: tuple[str, ...] = ("coverage_hardship", "coverage")
    step_yuan: float | None = None  # None: default_step(total)
    replications: int | None = None  # fixed; None = adaptive
    ci_width: float | None = None  # half-width target: points for shares, else the KPI's unit; None = its smallest important difference
    first: int = 5
    batch: int = 5
    max_runs: int = 120


@dataclass(frozen=True)
class Margin:
    """The paired change of one KPI for one more step on one line."""

    line: str
    kpi: str
    step_yuan: float
    mean: float
    low: float
    high: float
    n: int
    mid: float
    verdict: str
    spent_yuan: float  # change in government money actually disbursed (capacity lines may not absorb it)


def default_step(total_yuan: float) -> float:
    """10% of the yearly budget to two significant figures (1,000 yuan for a zero budget)."""
    if total_yuan <= 0:
        return 1000.0
    raw = 0.1 * total_yuan
    digits = 1 - math.floor(math.log10(raw))
    return float(round(raw, digits))


def line_overrides(budget: Budget, line: str, step_yuan: float) -> dict[str, float]:
    """Dotted overrides giving ``line`` ``step_yuan`` more a year, every other line's yuan unchanged."""
    total = budget.total_yuan + step_yuan
    yuan = {name: budget.total_yuan * getattr(budget, f"split_{name}") for name in BUDGET_LINES}
    yuan[line] += step_yuan
    shares = {name: yuan[name] / total for name in BUDGET_LINES}
    return {"budget.total_yuan": total, **{f"budget.split_{name}": shares[name] for name in BUDGET_LINES}}


def check_kpis(kpis: Sequence[str]) -> None:
    """Unknown or direction-less KPIs cannot rank lines; one line per problem."""
    problems = [f"--kpi: unknown KPI {k!r} (allowed: {', '.join(sorted(KPIS))})" for k in kpis if k not in KPIS]
    if problems:
        raise ScenarioError(problems)


def measure_margins(source: str | Path, settings: MarginSettings = MarginSettings(), out_dir: str | Path | None = None,
                    backend: Backend | None = None, seed: int = 0, days: int | None = None,
                    overrides: Mapping[str, object] | None = None,
                    uncertain: Settings | None = None) -> tuple[list[Margin], Path]:
    """Run (or resume) the paired finite differences; the margins ranked by the first KPI, and the folder.

    ``uncertain``: sampled settings of uncertain inputs; every option runs under each of them.
    """
    check_kpis(settings.kpis)
    question = {"command": "margins", **asdict(settings)}
    with PairedRuns(source, question, "margins", out_dir, backend, overrides, days, seed, uncertain) as runs:
        budget = runs.resolve(Candidate(BASE))[0].budget
        step = settings.step_yuan if settings.step_yuan is not None else default_step(budget.total_yuan)
        candidates = [Candidate(BASE)] + [Candidate(line, line_overrides(budget, line, step)) for line in BUDGET_LINES]
        candidates += community_candidates(runs.resolve(Candidate(BASE))[0], step)
        n = settings.replications or settings.first
        while True:
            table = runs.evaluate(candidates, 0, n)
            margins = _margins(table, settings.kpis, step)
            planned = (n + settings.batch) * len(candidates) * runs.setting_count
            if settings.replications or _tight(margins, settings) or planned > settings.max_runs:
                break
            n += settings.batch
        return rank(margins, settings.kpis[0]), runs.out_dir


def community_candidates(scenario: Scenario, step_yuan: float) -> list[Candidate]:
    """One option per community (when there are several): ``step_yuan`` more earmarked for it."""
    if len(scenario.communities) < 2:
        return []
    return [Candidate(f"{COMMUNITY}{name}", {f"communities.{name}.extra_budget_yuan": c.extra_budget_yuan + step_yuan})
            for name, c in scenario.communities.items()]


def _margins(table: dict[str, list[dict[str, float]]], kpis: Sequence[str], step: float) -> list[Margin]:
    base = table[BASE]
    out = []
    for line in (option for option in table if option != BASE):
        spent = np.mean([r.get(SPENT, 0.0) - b.get(SPENT, 0.0) for r, b in zip(table[line], base, strict=True)])
        for kpi in kpis:
            judged = _judge(line, kpi, table[line], base)
            d = judged.diff
            out.append(Margin(line, kpi, step, d.mean, d.low, d.high, d.n, judged.mid, judged.verdict.value, float(spent)))
    return out


def _judge(line: str, kpi: str, option: list[dict[str, float]], base: list[dict[str, float]]) -> Judgement:
    values = np.array([r.get(kpi, np.nan) for r in option], dtype=float)
    baseline = np.array([r.get(kpi, np.nan) for r in base], dtype=float)
    return judge(line, kpi, values, baseline, paired_difference(values, baseline))


def _tight(margins: Sequence[Margin], settings: MarginSettings) -> bool:
    """Every interval's half-width within the target (the KPI's smallest important difference by default)."""
    for m in margins:
        if settings.ci_width is None:
            target = m.mid
        else:
            target = settings.ci_width / 100.0 if is_share(m.kpi) else settings.ci_width
        if (m.high - m.low) / 2.0 > target:
            return False
    return True


def rank(margins: Sequence[Margin], kpi: str) -> list[Margin]:
    """Lines in order of what the step does on ``kpi`` (the improving direction first), KPIs kept together."""
    sign = -1.0 if better_of(kpi) is Better.LOWER else 1.0
    order = sorted((m for m in margins if m.kpi == kpi), key=lambda m: -sign * m.mean)
    position = {m.line: i for i, m in enumerate(order)}
    return sorted(margins, key=lambda m: (position[m.line], m.kpi != kpi, m.kpi))


def target_name(target: str, lang: str, names: Mapping[str, str] | None = None) -> str:
    """A budget line's name, or "Community old_town (all lines)" for a community's option."""
    if target.startswith(COMMUNITY):
        key = target[len(COMMUNITY):]
        shown = (names or {}).get(key, key)
        return f"社区 {shown}（各项目按比例）" if lang == "zh" else f"Community {shown} (all lines, as split)"
    return LINES[target][lang == "zh"]


def render(margins: Sequence[Margin], lang: str = "en", scenario_name: str = "",
           names: Mapping[str, str] | None = None, uncertain: Settings | None = None) -> str:
    """The ranked table: "where the next N yuan does most", one row per line and KPI."""
    if not margins:
        return ""
    step = with_unit(SPENT, margins[0].step_yuan, lang)
    kpi = margins[0].kpi
    if lang == "zh":
        head = [f"{scenario_name}：下一笔 {step} 用在哪里最有效（按{label(kpi, 'zh')}排序，配对 95% 置信区间）",
                "排名  预算项目  指标  每笔变化 [95% 区间]  判断  实际多支出"]
    else:
        head = [f"{scenario_name}: where the next {step} does most (ranked by {label(kpi, 'en').lower()}, paired 95% CI)",
                "rank  budget line  KPI  change per step [95% CI]  verdict  extra money spent"]
    rows, rank_of = [], {}
    for m in margins:
        rank_of.setdefault(m.line, len(rank_of) + 1)
        change = f"{format_difference(m.kpi, m.mean, lang)} [{signed_number(m.kpi, m.low)}, {signed_number(m.kpi, m.high)}]"
        rows.append(f"{rank_of[m.line]:>3}.  {target_name(m.line, lang, names)}  {label(m.kpi, lang)}  {change}  "
                    f"{_verdict(m.verdict, lang)}  {with_unit(SPENT, m.spent_yuan, lang)}")
    n = margins[0].n
    note = (f"每个项目 {n} 次配对重复（相同随机数）；“判断”对照各指标的最小重要差异。" if lang == "zh" else
            f"{n} paired replications per line (common random numbers); verdicts against each KPI's smallest important difference.")
    under = settings_note(uncertain, lang)
    return "\n".join([*head, *rows, note, *([under] if under else [])])


def _verdict(value: str, lang: str) -> str:
    from sim.report.verdicts import Verdict

    return verdict_word(Verdict(value), lang)


def write_outputs(margins: Sequence[Margin], out_dir: Path, scenario_name: str,
                  names: Mapping[str, Mapping[str, str]] | None = None, uncertain: Settings | None = None) -> list[Path]:
    """margins.json, margins.csv and the two tables (margins-en.txt, margins-zh.txt) in ``out_dir``."""
    rows = [asdict(m) for m in margins]
    paths = [out_dir / "margins.json", out_dir / "margins.csv"]
    described = uncertain.describe() if uncertain is not None else None
    paths[0].write_text(json.dumps({"scenario": scenario_name, "margins": rows, "uncertainties": described},
                                   ensure_ascii=False, indent=1), encoding="utf-8")
    with paths[1].open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["line"])
        writer.writeheader()
        writer.writerows(rows)
    for lang in ("en", "zh"):
        path = out_dir / f"margins-{lang}.txt"
        path.write_text(render(margins, lang, scenario_name, (names or {}).get(lang), uncertain) + "\n", encoding="utf-8")
        paths.append(path)
    return paths

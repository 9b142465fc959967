"""Optimise under noise: search the budget split and spreading rule, race the candidates, confirm.

1. Candidates: the scenario's own split under every spreading rule, each line alone (a vertex of
   the simplex), and ``candidates`` low-discrepancy splits (a scrambled Sobol sequence mapped onto
   the simplex by sorted spacings, so shares are spread evenly and sum to 1) cycling the rules.
2. Racing: every live candidate runs on the same seeds (common random numbers). After each round
   the best feasible mean is found; a candidate whose paired 95% CI against the best lies wholly
   below zero, or which clearly breaks a constraint, is dropped; the survivors (the close ones) get
   ``step`` more replications, until one is left, ``max_replications`` or the run budget is hit.
3. Confirmation: the winner and the scenario run on fresh seeds (experiment seed + 1,000,000,
   checked disjoint from every search seed) through ``compare``; the paired verdict of
   ``sim.report.verdicts`` decides. An improvement is claimed only when the objective is judged
   better (the whole CI beyond the smallest important difference) and every constraint's CI holds.

With sampled settings of uncertain inputs, every candidate in the race and both options in the
confirmation run under the same K settings; paired differences are taken per (setting,
replication), so a winner must win across what we don't know, not only at the scenario's guesses.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.stats import qmc

from sim.advise.paired import Backend, Candidate, PairedRuns, settings_note
from sim.errors import ScenarioError
from sim.kpis import KPIS, Better, better_of, label
from sim.report.stats import Interval, mean_ci, paired_difference
from sim.report.verdicts import Verdict, judge
from sim.scenario import BUDGET_LINES, Budget, SpreadRule

if TYPE_CHECKING:
    from sim.advise.uncertainties import Settings

CURRENT = "current"
RULES = tuple(rule.value for rule in SpreadRule)


@dataclass(frozen=True)
class Constraint:
    """``kpi >= BASE - 1pt``: a bound relative to the scenario's own value (``BASE``) or absolute."""

    kpi: str
    op: str  # ">=" or "<="
    relative: bool
    value: float  # offset from BASE, or the bound, in the KPI's stored unit (shares as fractions)
    percent: bool  # the offset is a share of BASE (``BASE+5%``)
    text: str

    def slack(self, option: np.ndarray, base: np.ndarray) -> np.ndarray:
        """Per paired replication, how far inside the constraint the option lies (>= 0 holds)."""
        if self.percent:
            gap = option - base * (1.0 + self.value)
        elif self.relative:
            gap = option - base - self.value
        else:
            gap = option - self.value
        return gap if self.op == ">=" else -gap


_CONSTRAINT = re.compile(r"^\s*(\w+)\s*(>=|<=)\s*(BASE)?\s*([+-]?)\s*([0-9.]+)?\s*(pt|%)?\s*$")


def parse_constraint(text: str) -> Constraint:
    """``coverage>=BASE-1pt``, ``cost_per_need_met_yuan<=BASE+5%``, ``coverage>=0.3``; else ScenarioError."""
    match = _CONSTRAINT.match(text)
    if not match or match.group(1) not in KPIS or not (match.group(3) or match.group(5)) or \
            (match.group(6) and not match.group(3)):
        raise ScenarioError([(f"--constraint {text!r}: expected KPI>=BASE-1pt, KPI<=BASE+5% or KPI>=0.3 "
                              "with a KPI of the registry (e.g. coverage>=BASE-1pt)")])
    kpi, op, base, sign, number, unit = match.groups()
    try:
        value = float(number or 0.0) * (-1.0 if sign == "-" else 1.0)
    except ValueError:
        raise ScenarioError([f"--constraint {text!r}: {number!r} is not a number"]) from None
    if unit in ("pt", "%"):
        value /= 100.0
    return Constraint(kpi, op, bool(base), value, unit == "%", text.strip())


def constraint_interval(constraint: Constraint, option: np.ndarray, base: np.ndarray) -> Interval:
    """Mean slack with its 95% t interval: low >= 0 supports it, high < 0 clearly breaks it."""
    return mean_ci(constraint.slack(option, base))


@dataclass(frozen=True)
class OptimiseSettings:
    """The objective, constraints and the effort to spend."""

    kpi: str = "coverage_hardship"
    constraints: tuple[str, ...] = ()
    candidates: int = 12
    first: int = 3
    step: int = 3
    max_replications: int = 12
    budget_runs: int = 150
    confirm_replications: int = 20
    confirm_seed_offset: int = 1_000_000  # the confirmation's experiment seed is the search's plus this
    rules: tuple[str, ...] = RULES


@dataclass
class Standing:
    """A candidate's state in the race."""

    label: str
    shares: dict[str, float]
    rule: str
    replications: int = 0
    mean: float = float("nan")
    dropped: str = ""  # why it left the race ("" while alive)


@dataclass
class Outcome:
    """What ``optimise`` found and whether the confirmation supports it."""

    kpi: str
    winner: Standing
    standings: list[Standing]
    search_runs: int
    improved: bool = False
    confirmation: dict[str, Any] = field(default_factory=dict)
    scenario_file: str = ""
    report: str = ""
    out_dir: str = ""
    settings_note: dict[str, str] = field(default_factory=dict)  # {lang: "Computed over K settings ..."}; {} without


def simplex_points(count: int, seed: int) -> np.ndarray:
    """``count`` splits spread evenly over the simplex (rows sum to 1): Sobol spacings."""
    if count <= 0:
        return np.zeros((0, len(BUDGET_LINES)))
    sobol = qmc.Sobol(len(BUDGET_LINES) - 1, scramble=True, seed=seed)
    cuts = np.sort(sobol.random_base2(max(0, math.ceil(math.log2(count))))[:count], axis=1)
    edges = np.hstack([np.zeros((count, 1)), cuts, np.ones((count, 1))])
    return np.diff(edges, axis=1)


def rounded(shares: Sequence[float]) -> dict[str, float]:
    """Shares to three decimals, still summing to 1 (the largest absorbs the rounding)."""
    values = np.round(np.asarray(shares, dtype=float), 3)
    values[int(np.argmax(values))] += 1.0 - values.sum()
    return {line: float(round(v, 6)) for line, v in zip(BUDGET_LINES, values, strict=True)}


def candidate_set(budget: Budget, settings: OptimiseSettings, seed: int, communities: int) -> list[Standing]:
    """The scenario's split under every rule, each line alone, then the Sobol splits.

    With one community the spreading rule changes nothing, so only the scenario's own is tried.
    """
    own = {line: float(getattr(budget, f"split_{line}")) for line in BUDGET_LINES}
    rule = budget.spread_rule.value
    rules = [rule] + ([r for r in settings.rules if r != rule] if communities > 1 else [])
    found = [Standing(CURRENT, own, rule)]
    found += [Standing(f"current-split-{r}", own, r) for r in rules[1:]]
    for line in BUDGET_LINES:
        found.append(Standing(f"all-{line}", {name: float(name == line) for name in BUDGET_LINES}, rule))
    for index, point in enumerate(simplex_points(settings.candidates, seed)):
        found.append(Standing(f"split-{index + 1:02d}", rounded(point), rules[index % len(rules)]))
    return found


def overrides_of(standing: Standing) -> dict[str, Any]:
    """Dotted overrides making the candidate from the scenario."""
    return {**{f"budget.split_{line}": share for line, share in standing.shares.items()},
            "budget.spread_rule": standing.rule}


def search(source: str | Path, settings: OptimiseSettings, out_dir: str | Path | None = None,
           backend: Backend | None = None, seed: int = 0, days: int | None = None,
           overrides: Mapping[str, Any] | None = None, uncertain: Settings | None = None) -> Outcome:
    """Race the candidates on shared seeds (resumable: every run is in the store).

    ``uncertain``: sampled settings of uncertain inputs; every candidate runs under each of them,
    and ``Standing.replications`` counts the (setting, replication) pairs.
    """
    constraints = [parse_constraint(text) for text in settings.constraints]
    _check(settings)
    question = {"command": "optimise", **asdict(settings)}
    with PairedRuns(source, question, "optimise", out_dir, backend, overrides, days, seed, uncertain) as runs:
        scenario = runs.resolve(Candidate(CURRENT))[0]
        standings = candidate_set(scenario.budget, settings, seed, len(scenario.communities))
        n = min(settings.first, settings.max_replications)
        while True:
            alive = [s for s in standings if not s.dropped]
            table = runs.evaluate([Candidate(s.label, overrides_of(s)) for s in alive], 0, n)
            best = _race_round(alive, table, settings.kpi, constraints, n * runs.setting_count)
            alive = [s for s in standings if not s.dropped]
            more = min(settings.step, settings.max_replications - n)
            planned = _runs_used(standings) + more * runs.setting_count * len(alive)
            if len(alive) <= 2 or more <= 0 or planned > settings.budget_runs:
                break
            n += more
        notes = {lang: settings_note(uncertain, lang) for lang in ("en", "zh")} if uncertain is not None else {}
        return Outcome(settings.kpi, best, standings, _runs_used(standings), out_dir=str(runs.out_dir),
                       settings_note=notes)


def _check(settings: OptimiseSettings) -> None:
    problems = []
    if settings.kpi not in KPIS or better_of(settings.kpi) is Better.NEUTRAL:
        allowed = ", ".join(k for k in KPIS if better_of(k) is not Better.NEUTRAL)
        problems.append(f"--kpi {settings.kpi!r}: not a KPI with a better direction (allowed: {allowed})")
    bad = [r for r in settings.rules if r not in RULES]
    if bad or not settings.rules:
        problems.append(f"--rules {','.join(bad) or '(none)'}: unknown (allowed: {', '.join(RULES)})")
    if problems:
        raise ScenarioError(problems)


def _values(rows: list[dict[str, float]], kpi: str) -> np.ndarray:
    return np.array([row.get(kpi, np.nan) for row in rows], dtype=float)


def _race_round(alive: list[Standing], table: dict[str, list[dict[str, float]]], kpi: str,
                constraints: list[Constraint], n: int) -> Standing:
    """Update means, pick the best feasible candidate, drop the clearly worse or infeasible."""
    sign = 1.0 if better_of(kpi) is Better.HIGHER else -1.0
    base = table[CURRENT]
    for s in alive:
        s.replications, s.mean = n, float(np.mean(_values(table[s.label], kpi)))
    feasible = [s for s in alive if all(_interval(c, table[s.label], base).mean >= 0 for c in constraints)]
    current = next(s for s in alive if s.label == CURRENT)
    best = max(feasible or [current], key=lambda s: (sign * s.mean, s.label == CURRENT))
    best_values = _values(table[best.label], kpi)
    for s in alive:
        if s is best or s.label == CURRENT:
            continue
        diff = paired_difference(sign * _values(table[s.label], kpi), sign * best_values)
        if diff.n >= 2 and diff.high < 0:
            s.dropped = f"worse than {best.label} (paired CI {diff.low:+.4f}, {diff.high:+.4f}) after {n}"
        broken = [c.text for c in constraints if _interval(c, table[s.label], base).high < 0]
        if broken and not s.dropped:
            s.dropped = f"breaks {', '.join(broken)} after {n}"
    return best


def _interval(constraint: Constraint, option: list[dict[str, float]], base: list[dict[str, float]]) -> Interval:
    return constraint_interval(constraint, _values(option, constraint.kpi), _values(base, constraint.kpi))


def _runs_used(standings: Sequence[Standing]) -> int:
    return sum(s.replications for s in standings)


def write_scenario(source: str | Path, winner: Standing, out_dir: Path, name: str, command: str) -> Path:
    """``optimised.toml`` extending the original with the winning split and rule."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "optimised.toml"
    parent = os.path.relpath(Path(source).resolve(), out_dir.resolve())
    lines = [f"# Written by `{command}`: the best split found under noise (see optimise.json).",
             f'extends = "{Path(parent).as_posix()}"', f"name = {json.dumps(name + ' (best split found)', ensure_ascii=False)}",
             "", "[budget]"]
    lines += [f"split_{line} = {share!r}" for line, share in winner.shares.items()]
    lines.append(f'spread_rule = "{winner.rule}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def confirm(source: str | Path, outcome: Outcome, settings: OptimiseSettings, backend: Backend, seed: int,
            days: int | None, overrides: Mapping[str, Any] | None, name: str,
            uncertain: Settings | None = None) -> Outcome:
    """Run the winner and the scenario on fresh seeds; judge the paired difference; build the report."""
    from sim.experiment import compare, load_results, load_scenarios
    from sim.experiment.seeds import replication_seeds

    if outcome.winner.label == CURRENT:
        return outcome
    out_dir = Path(outcome.out_dir)
    command = f"python -m sim optimise {source} --kpi {settings.kpi}"
    scenario_file = write_scenario(source, outcome.winner, out_dir, name, command)
    confirm_seed = seed + settings.confirm_seed_offset
    used = set(replication_seeds(seed, max(s.replications for s in outcome.standings)))  # pairs >= replications
    if used & set(replication_seeds(confirm_seed, settings.confirm_replications)):
        raise ScenarioError([f"--seed {seed}: confirmation seeds overlap the search's; choose another seed"])
    folder = compare([str(source), str(scenario_file)], settings.confirm_replications, seed=confirm_seed, days=days,
                     out_dir=out_dir / "confirm", executor=backend.executor, workers=backend.workers,
                     scheduler=backend.scheduler, overrides=overrides, run_fn=backend.run_fn,
                     progress=backend.progress, settings=uncertain)
    frame = load_results(folder)
    frame = frame[frame["status"] == "ok"]
    sources = dict(zip(load_scenarios(folder)["source_path"], load_scenarios(folder)["scenario"], strict=True))
    base_label, win_label = sources[str(source)], sources[str(scenario_file)]
    if frame[frame["scenario"] == base_label].empty or frame[frame["scenario"] == win_label].empty:
        raise ScenarioError([f"{folder}: the confirmation has no finished runs (rerun to retry them)"])
    outcome.confirmation = _confirmation(frame, base_label, win_label, settings)
    outcome.improved = outcome.confirmation["improved"]
    outcome.scenario_file = str(scenario_file)
    outcome.confirmation.update({"seed": confirm_seed, "folder": str(folder), "baseline": base_label,
                                 "option": win_label})
    return outcome


def _confirmation(frame: Any, base_label: str, win_label: str, settings: OptimiseSettings) -> dict[str, Any]:
    """The paired verdicts of the objective and of each constraint's KPI on the fresh seeds."""
    def paired(kpi: str) -> tuple[np.ndarray, np.ndarray]:
        order = [c for c in ("point", "replication") if c in frame]  # pairs by (setting, replication)
        base = frame[frame["scenario"] == base_label].sort_values(order)[kpi].to_numpy(float)
        option = frame[frame["scenario"] == win_label].sort_values(order)[kpi].to_numpy(float)
        return option, base

    option, base = paired(settings.kpi)
    judged = judge(win_label, settings.kpi, option, base, paired_difference(option, base))
    held = []
    for text in settings.constraints:
        constraint = parse_constraint(text)
        interval = constraint_interval(constraint, *paired(constraint.kpi))
        held.append({"constraint": text, "mean_slack": interval.mean, "low": interval.low, "high": interval.high,
                     "holds": bool(interval.low >= 0)})
    d = judged.diff
    improved = judged.verdict is Verdict.BETTER and all(c["holds"] for c in held)
    return {"kpi": settings.kpi, "mean": d.mean, "low": d.low, "high": d.high, "n": d.n, "mid": judged.mid,
            "verdict": judged.verdict.value, "constraints": held, "improved": improved}


def describe(standing: Standing, lang: str) -> str:
    """"Social-work stations 44%, ... ; spread by population" in ``lang``."""
    from sim.advise.margins import LINES
    from sim.report.parameters import VALUES

    zh = lang == "zh"
    parts = [f"{LINES[line][zh]} {_percent(share)}" for line, share in standing.shares.items() if share > 0]
    rule = VALUES[standing.rule][zh]
    return ("、".join(parts) + f"；{rule}") if zh else (", ".join(parts) + f"; spread {rule}")


def _percent(share: float) -> str:
    """44%, or 0.2% for a share under 1% (never a misleading 0%)."""
    return f"{100 * share:.0f}%" if share >= 0.01 else f"{100 * share:.1f}%"


def summary_text(outcome: Outcome, lang: str) -> str:
    """What was found and what the confirmation supports, in ``lang``."""
    from sim.kpi_table import format_difference, signed_number

    zh = lang == "zh"
    kpi_name = label(outcome.kpi, lang)
    tried = len(outcome.standings)
    head = (f"搜索了 {tried} 个方案，共 {outcome.search_runs} 次配对运行（相同随机数）。" if zh else
            f"Searched {tried} candidate splits in {outcome.search_runs} paired runs (common random numbers).")
    if outcome.settings_note:
        head += "\n" + outcome.settings_note[lang]
    if outcome.winner.label == CURRENT:
        body = ("现行分配已与搜索到的任何方案一样好：没有方案在" + kpi_name + "上胜过它。" if zh else
                f"The current split is already as good as any found: no candidate beat it on {kpi_name.lower()}.")
        return f"{head}\n{body}"
    c = outcome.confirmation
    change = (f"{format_difference(outcome.kpi, c['mean'], lang)} "
              f"[{signed_number(outcome.kpi, c['low'])}, {signed_number(outcome.kpi, c['high'])}]")
    mid = format_difference(outcome.kpi, c["mid"], lang).lstrip("+")
    best = describe(outcome.winner, lang)
    pairs = bool(outcome.settings_note)  # under uncertainty each pair is one (setting, fresh seed)
    fresh = ((f"{c['n']} 组从未用于搜索的（设定、新随机种子）配对" if pairs else f"{c['n']} 个从未用于搜索的新随机种子") if zh else
             f"{c['n']} {'(setting, fresh seed) pairs' if pairs else 'fresh seeds'} never used in the search")
    if outcome.improved:
        body = (f"改进已确认：在 {fresh} 上，方案（{best}）使{kpi_name}变化 {change}，"
                f"整个 95% 置信区间超过最小重要差异 {mid}。情景文件：{outcome.scenario_file}" if zh else
                f"Improvement confirmed on {fresh}: {best} changes "
                f"{kpi_name.lower()} by {change}, the whole 95% CI beyond the smallest important difference "
                f"({mid}). Scenario file: {outcome.scenario_file}")
    else:
        broken = [h["constraint"] for h in c.get("constraints", []) if not h["holds"]]
        why = ((f"约束未得到置信区间支持：{', '.join(broken)}；" if broken else "") if zh else
               (f" The CI does not support the constraint(s) {', '.join(broken)}." if broken else ""))
        body = (f"现行分配已与搜索到的任何方案一样好：最佳候选（{best}）在 {fresh} 上使{kpi_name}变化 "
                f"{change}，{why}置信区间不支持至少 {mid} 的改进。" if zh else
                f"The current split is already as good as any found: the best candidate ({best}) changes "
                f"{kpi_name.lower()} by {change} on {fresh}, and the CI does not support an "
                f"improvement of at least {mid}.{why}")
    report = (f"\n报告：{outcome.report}" if zh else f"\nReport: {outcome.report}") if outcome.report else ""
    return f"{head}\n{body}{report}"

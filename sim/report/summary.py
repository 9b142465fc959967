"""A summary that decides: the recommended option in people and yuan, what each option gains and
loses, which options are practically the same, and what is equal by design (stated once)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.kpi_table import format_difference, signed_number, with_unit
from sim.kpis import DECISION_KPIS, Better, better_of, is_share, label
from sim.report.stats import Interval
from sim.report.verdicts import Judgement, Verdict


@dataclass(frozen=True)
class Choice:
    """The options' standing on the chosen KPIs."""

    recommended: str | None
    gains: dict[str, list[Judgement]]
    losses: dict[str, list[Judgement]]
    same: list[str]  # practically the same as the current plan on every chosen KPI
    unclear: dict[str, list[Judgement]]
    equal: list[str]  # KPIs equal in every replication of every option


def _score(option: str, chosen: list[str], judgements: dict[tuple[str, str], Judgement]) -> tuple[int, float]:
    """(better count, summed improvement in smallest-important-difference units) on the chosen KPIs."""
    wins, size = 0, 0.0
    for kpi in chosen:
        j = judgements.get((option, kpi))
        if j is None or j.verdict is Verdict.EQUAL:
            continue
        wins += j.verdict is Verdict.BETTER
        sign = -1.0 if better_of(kpi) is Better.LOWER else 1.0
        size += sign * j.diff.mean / j.mid if j.mid > 0 else 0.0
    return wins, size


def decide(options: list[str], baseline: str, chosen: list[str], judgements: dict[tuple[str, str], Judgement]) -> Choice:
    """Recommend the option better on most chosen KPIs and worse on none of them (None: keep the current plan)."""
    others = [o for o in options if o != baseline]
    listed = set(chosen) | set(DECISION_KPIS)
    mine = {o: [j for (opt, k), j in judgements.items() if opt == o and k in listed] for o in others}
    gains = {o: [j for j in mine[o] if j.verdict is Verdict.BETTER] for o in others}
    losses = {o: [j for j in mine[o] if j.verdict is Verdict.WORSE] for o in others}
    unclear = {o: [j for j in mine[o] if j.verdict is Verdict.UNCLEAR and j.kpi in chosen] for o in others}
    eligible = [o for o in others if not any(j.kpi in chosen for j in losses[o]) and _score(o, chosen, judgements)[0] > 0]
    recommended = max(eligible, key=lambda o: _score(o, chosen, judgements), default=None)
    same = [o for o in others if all(judgements[(o, k)].verdict in (Verdict.EQUIVALENT, Verdict.EQUAL)
                                     for k in chosen if (o, k) in judgements)]
    kpis = list(dict.fromkeys(k for _, k in judgements))
    equal = [k for k in kpis if others and all(judgements[(o, k)].verdict is Verdict.EQUAL for o in others)]
    return Choice(recommended, gains, losses, same, unclear, equal)


BORDERLINE_REPLICATIONS = 1000


def decide_text(needed: float, lang: str) -> str:
    """"about 24 replications in all would decide", or for an estimate sitting on the threshold, that it is about the size that matters."""
    if not math.isfinite(needed) or needed > BORDERLINE_REPLICATIONS:
        return "约等于最小重要差异" if lang == "zh" else "about the size that matters"
    return f"约需共{needed:,.0f}次重复才能判断" if lang == "zh" else f"about {needed:,.0f} replications in all would decide"


def _inline(name: str, lang: str) -> str:
    """A label inside an English sentence starts lower-case ("hardship coverage")."""
    return name if lang == "zh" else name[:1].lower() + name[1:]


def _horizon(days: int, lang: str) -> str:
    if 360 <= days <= 370:
        return "一年内" if lang == "zh" else "a year"
    return f"{days}天内" if lang == "zh" else f"over {days} days"


def _count(value: float) -> str:
    return f"{abs(round(value)):,}"


def change(j: Judgement, base_mean: float, lang: str) -> str:
    """"coverage +1.8 points [1.2, 2.4]" or "person-times served -21% (-12,345 person-times)"."""
    name = _inline(label(j.kpi, lang), lang)
    diff = format_difference(j.kpi, j.diff.mean, lang)
    if not is_share(j.kpi) and base_mean and math.isfinite(base_mean):
        share = f"{100 * j.diff.mean / abs(base_mean):+.0f}%"
        return f"{name} {share}（{diff}）" if lang == "zh" else f"{name} {share} ({diff})"
    return f"{name} {diff} [{signed_number(j.kpi, j.diff.low)}, {signed_number(j.kpi, j.diff.high)}]"


def recommendation(choice: Choice, names: dict[str, str], baseline: str, chosen: list[str],
                   judgements: dict[tuple[str, str], Judgement], intervals: dict[tuple[str, str], Interval],
                   days: int, lang: str) -> str:
    """The first sentence: which option, in people and yuan."""
    chosen_names = ("、" if lang == "zh" else ", ").join(_inline(label(k, lang), lang) for k in chosen)
    current = names[baseline]
    if choice.recommended is None:
        if lang == "zh":
            return f"建议保持{current}：在{chosen_names}上，没有哪个方案在不变差的前提下好到足以超过最小重要差异。"
        return (f"Keep the {current.lower()}: on {chosen_names}, no option is better by at least the smallest "
                f"important difference without being worse on another.")
    option = choice.recommended
    people = _people(option, judgements, days, lang)
    money = _money(option, judgements, intervals, baseline, lang)
    sep = "；" if lang == "zh" else "; "
    gains = sep.join(change(j, intervals[(baseline, j.kpi)].mean, lang) for j in choice.gains[option] if j.kpi in chosen)
    losses = sep.join(change(j, intervals[(baseline, j.kpi)].mean, lang) for j in choice.losses[option])
    if lang == "zh":
        cost = f"代价：{losses}。" if losses else "没有任何指标变差到超过最小重要差异。"
        return f"建议采用“{names[option]}”：与{current}相比，{people}（{gains}），{money}。{cost}"
    cost = f" The price: {losses}." if losses else " No indicator gets worse by more than its smallest important difference."
    return f"Recommended: {names[option]}. Against the {current.lower()} it {people} ({gains}), {money}.{cost}"


def _people(option: str, judgements: dict[tuple[str, str], Judgement], days: int, lang: str) -> str:
    met = judgements.get((option, "needs_met"))
    helped = judgements.get((option, "hardship_residents_helped"))
    scale = 365.0 / days if 360 <= days <= 370 else 1.0
    parts = []
    if met is not None:
        value = met.diff.mean * scale
        if lang == "zh":
            parts.append(f"{_horizon(days, lang)}{'多' if value >= 0 else '少'}满足约{_count(value)}个需求")
        else:
            parts.append(f"meets about {_count(value)} {'more' if value >= 0 else 'fewer'} needs {_horizon(days, lang)}")
    if helped is not None and round(helped.diff.mean) != 0:
        value = helped.diff.mean
        if lang == "zh":
            parts.append(f"{'多' if value > 0 else '少'}帮助约{_count(value)}名困难群众")
        else:
            parts.append(f"helps about {_count(value)} {'more' if value > 0 else 'fewer'} hardship residents")
    return ("，" if lang == "zh" else " and ").join(parts) or ("结果如下" if lang == "zh" else "differs as follows")


def _money(option: str, judgements: dict[tuple[str, str], Judgement], intervals: dict[tuple[str, str], Interval],
           baseline: str, lang: str) -> str:
    spent = judgements.get((option, "government_spent_yuan"))
    budget = with_unit("government_spent_yuan", intervals[(baseline, "government_spent_yuan")].mean, lang) \
        if (baseline, "government_spent_yuan") in intervals else ""
    if spent is None or spent.verdict in (Verdict.EQUAL, Verdict.EQUIVALENT):
        return f"政府投入相同（{budget}）" if lang == "zh" else f"at the same government spending ({budget})"
    diff = format_difference("government_spent_yuan", spent.diff.mean, lang)
    return f"政府投入变化{diff}" if lang == "zh" else f"with government spending changed by {diff}"


def option_lines(choice: Choice, names: dict[str, str], baseline: str, intervals: dict[tuple[str, str], Interval],
                 lang: str) -> list[str]:
    """For every option: what it gains and what it loses against the current plan."""
    lines = []
    for option in choice.gains:
        gains = [change(j, intervals[(baseline, j.kpi)].mean, lang) for j in choice.gains[option]]
        losses = [change(j, intervals[(baseline, j.kpi)].mean, lang) for j in choice.losses[option]]
        none = "无" if lang == "zh" else "nothing"
        sep = "；" if lang == "zh" else "; "
        unclear = choice.unclear[option]
        tail = ""
        if unclear:
            items = ("、" if lang == "zh" else ", ").join(
                f"{_inline(label(j.kpi, lang), lang)}（{decide_text(j.replications_needed, lang)}）" if lang == "zh"
                else f"{_inline(label(j.kpi, lang), lang)} ({decide_text(j.replications_needed, lang)})" for j in unclear)
            tail = f" 尚不明确：{items}。" if lang == "zh" else f" Unclear: {items}."
        if not gains and not losses and not unclear:
            lines.append(f"{names[option]}：没有任何指标的差异达到最小重要差异。" if lang == "zh"
                         else f"{names[option]}: no indicator differs by as much as its smallest important difference.")
            continue
        if lang == "zh":
            lines.append(f"{names[option]}——得：{sep.join(gains) or none}；失：{sep.join(losses) or none}。{tail}")
        else:
            lines.append(f"{names[option]} — gains: {sep.join(gains) or none}; loses: {sep.join(losses) or none}.{tail}")
    return lines


def same_line(choice: Choice, names: dict[str, str], baseline: str, chosen: list[str], lang: str) -> str | None:
    """Options practically the same as the current plan on every chosen KPI."""
    if not choice.same:
        return None
    listed = ("、" if lang == "zh" else ", ").join(names[o] for o in choice.same)
    kpis = ("、" if lang == "zh" else ", ").join(_inline(label(k, lang), lang) for k in chosen)
    if lang == "zh":
        return f"在{kpis}上与{names[baseline]}实际上相同（差异小于最小重要差异）：{listed}。"
    return f"Practically the same as the {names[baseline].lower()} on {kpis} (differences smaller than matter): {listed}."


def equal_line(choice: Choice, intervals: dict[tuple[str, str], Interval], baseline: str, lang: str) -> str | None:
    """KPIs equal in every replication of every option, stated once and never tested."""
    if not choice.equal:
        return None
    items = [f"{label(k, lang)}（{with_unit(k, intervals[(baseline, k)].mean, lang)}）" if lang == "zh"
             else f"{label(k, lang).lower()} ({with_unit(k, intervals[(baseline, k)].mean, lang)})"
             for k in choice.equal if (baseline, k) in intervals]
    if lang == "zh":
        return "各方案在每次重复中都相同（由设计决定，不做检验）：" + "、".join(items) + "。"
    return "The same in every replication of every option, by design (not tested): " + ", ".join(items) + "."

"""Every word of the report, in Chinese and English, and the sentences built from numbers."""

from __future__ import annotations

import math

from sim.kpi_table import format_value
from sim.labels import KPI_LABELS, LOWER_IS_BETTER, label
from sim.report.stats import Difference

STRINGS: dict[str, dict[str, str]] = {
    "title": {"en": "Comparison of community-service options", "zh": "社区服务方案比较报告"},
    "summary": {"en": "Summary", "zh": "摘要"},
    "key_findings": {"en": "Clearest differences against the baseline", "zh": "与基准方案相比最明确的差异"},
    "differs": {"en": "What differs between the options", "zh": "各方案的参数差异"},
    "kpis": {"en": "Results by option (mean and 95% confidence interval)", "zh": "各方案结果（均值及95%置信区间）"},
    "versus": {"en": "Differences against the baseline", "zh": "与基准方案的差异"},
    "enough": {"en": "Were the replications enough?", "zh": "重复次数是否足够？"},
    "figures": {"en": "Figures", "zh": "图表"},
    "metadata": {"en": "How this report was made", "zh": "报告生成信息"},
    "parameter": {"en": "Parameter", "zh": "参数"},
    "indicator": {"en": "Indicator", "zh": "指标"},
    "option": {"en": "Option", "zh": "方案"},
    "difference": {"en": "Difference [95% CI]", "zh": "差异 [95%置信区间]"},
    "p_adjusted": {"en": "Adjusted p (Benjamini-Hochberg)", "zh": "校正后 p 值（BH法）"},
    "bootstrap": {"en": "Bootstrap 95% CI (BCa)", "zh": "自助法95%置信区间（BCa）"},
    "finding": {"en": "Finding", "zh": "结论"},
    "half_width": {"en": "Largest CI half-width", "zh": "最大置信区间半宽"},
    "closest": {"en": "Closest pair", "zh": "差异最小的一对方案"},
    "closest_diff": {"en": "Their difference", "zh": "两者差异"},
    "needed": {"en": "Replications needed to separate them", "zh": "区分两者所需重复次数"},
    "no_differences": {"en": "The options have identical resolved parameters.", "zh": "各方案参数完全相同。"},
    "baseline_tag": {"en": "baseline", "zh": "基准"},
    "fig_series": {"en": "Daily indicators over the year (mean and 95% band over replications)", "zh": "全年逐日指标（均值及95%区间）"},
    "fig_groups": {"en": "Coverage by resident group", "zh": "分人群需求覆盖率"},
    "fig_equity": {"en": "Equity across communities: coverage of each community", "zh": "社区间公平：各社区需求覆盖率"},
    "fig_map": {"en": "Map of the district: unmet needs per cell (mean over replications)", "zh": "辖区地图：各网格未满足需求（重复均值）"},
    "fig_money": {"en": "Money: government spending, charity raised, leverage and cost per need met", "zh": "资金：政府投入、慈善募集、撬动比与单位成本"},
    "day": {"en": "day", "zh": "天"},
    "community": {"en": "community", "zh": "社区"},
    "elderly": {"en": "elderly", "zh": "老年人"},
    "disabled": {"en": "disabled", "zh": "残疾人"},
    "children": {"en": "children", "zh": "儿童"},
    "hardship": {"en": "hardship", "zh": "困难家庭"},
    "all": {"en": "all", "zh": "全体"},
    "meta_version": {"en": "Package version", "zh": "软件版本"},
    "meta_git": {"en": "Git commit", "zh": "Git 提交"},
    "meta_date": {"en": "Report date", "zh": "报告日期"},
    "meta_runs": {"en": "Runs (ok / failed)", "zh": "运行次数（成功 / 失败）"},
    "meta_replications": {"en": "Replications per option", "zh": "每个方案的重复次数"},
    "meta_seeds": {"en": "Seeds (paired across options)", "zh": "随机种子（各方案配对）"},
    "meta_hashes": {"en": "Scenario hashes", "zh": "情景哈希"},
    "meta_source": {"en": "Results folder", "zh": "结果目录"},
    "failed_note": {"en": "failed runs are left out of every statistic", "zh": "失败的运行不计入统计"},
}


def t(key: str, lang: str) -> str:
    """One UI string."""
    return STRINGS[key][lang]


def is_share(kpi: str) -> bool:
    """Shares are reported in percentage points."""
    return KPI_LABELS.get(kpi, ("", "", ""))[2] == "share"


def amount(kpi: str, value: float, lang: str) -> str:
    """A difference in the KPI's unit: points for shares, the value's own format otherwise."""
    if not math.isfinite(value):
        return "-"
    if is_share(kpi):
        return f"{100 * value:.1f}" + (" 个百分点" if lang == "zh" else " points")
    if abs(value) < 10 and KPI_LABELS.get(kpi, ("", "", ""))[2] in ("yuan", "hours", "needs", "people"):
        return f"{value:.2f}" + _unit_suffix(kpi, lang)
    return format_value(kpi, value) + _unit_suffix(kpi, lang)


def _unit_suffix(kpi: str, lang: str) -> str:
    unit = KPI_LABELS.get(kpi, ("", "", ""))[2]
    if lang == "zh":
        return {"yuan": " 元", "days": " 天", "hours": " 小时", "needs": " 个", "people": " 人"}.get(unit, "")
    return {"yuan": " yuan", "days": " days", "hours": " hours", "needs": " needs", "people": " people"}.get(unit, "")


def interval_text(kpi: str, low: float, high: float) -> str:
    """``[low, high]`` in the KPI's difference unit (points for shares)."""
    scale = 100.0 if is_share(kpi) else 1.0
    digits = 1 if is_share(kpi) or abs(high - low) < 100 else 0
    return f"[{scale * low:,.{digits}f}, {scale * high:,.{digits}f}]"


def is_clear(diff: Difference, alpha: float = 0.05) -> bool:
    """A difference is reported as clear when its FDR-adjusted p-value is below ``alpha``."""
    return math.isfinite(diff.p_adjusted) and diff.p_adjusted < alpha and diff.mean != 0.0


def better(kpi: str, difference: float) -> bool:
    """Whether a difference is an improvement for the KPI."""
    return difference < 0 if kpi in LOWER_IS_BETTER else difference > 0


def sentence(option: str, baseline: str, kpi: str, diff: Difference, lang: str) -> str:
    """A plain sentence: "need-weighted spreading raises hardship coverage by 6.1 points [4.2, 8.0]"."""
    name = label(kpi, lang)
    ci = interval_text(kpi, diff.low, diff.high)
    p = p_text(diff.p_adjusted)
    clear = is_clear(diff)
    size = amount(kpi, abs(diff.mean), lang)
    if lang == "zh":
        if not clear:
            return f"与{baseline}相比，{option}的{name}差异不明显（{amount(kpi, diff.mean, lang)} {ci}，校正后 p {p}）。"
        verb = "提高" if diff.mean > 0 else "降低"
        return f"与{baseline}相比，{option}使{name}{verb}{size} {ci}（校正后 p {p}）。"
    if not clear:
        text = f"{option} shows no clear difference from {baseline} in {name.lower()} ({amount(kpi, diff.mean, lang)} {ci}, adjusted p {p})."
    else:
        verb = "raises" if diff.mean > 0 else "lowers"
        text = f"{option} {verb} {name.lower()} by {size} {ci} against {baseline} (adjusted p {p})."
    return text[:1].upper() + text[1:]


def p_text(p_value: float) -> str:
    """``= 0.034``, ``< 0.001`` or ``= -`` (not estimable)."""
    if not math.isfinite(p_value):
        return "= -"
    return "< 0.001" if p_value < 0.001 else f"= {p_value:.2g}"


def ranking_sentence(kpi: str, ordered: list[tuple[str, float]], lang: str) -> str:
    """"On hardship coverage: A (62.1%), then B (58.0%), then C (51.2%)." in the best-first order."""
    shown = [(name, format_value(kpi, value) + ("" if is_share(kpi) else _unit_suffix(kpi, lang))) for name, value in ordered]
    parts = [f"{name}（{value}）" if lang == "zh" else f"{name} ({value})" for name, value in shown]
    if lang == "zh":
        return f"{label(kpi, lang)}：" + "，其次".join(parts) + "。"
    return f"On {label(kpi, lang).lower()}: " + ", then ".join(parts) + "."


def overall_sentence(ranked: list[str], kpis: list[str], lang: str) -> str:
    """The option with the best mean rank on the chosen KPIs."""
    names = "、".join(label(k, lang) for k in kpis) if lang == "zh" else ", ".join(label(k, lang).lower() for k in kpis)
    if lang == "zh":
        return f"综合{names}的平均排名，{ranked[0]}最优" + (f"，{ranked[-1]}最弱。" if len(ranked) > 1 else "。")
    tail = f"; {ranked[-1]} does worst." if len(ranked) > 1 else "."
    return f"Averaging ranks on {names}, {ranked[0]} does best{tail}"

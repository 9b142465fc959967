"""Every word of the report, in Chinese and English."""

from __future__ import annotations

import math

from sim.report.verdicts import Verdict

STRINGS: dict[str, dict[str, str]] = {
    "title": {"en": "Comparison of community-service options", "zh": "社区服务方案比较报告"},
    "summary": {"en": "Summary", "zh": "摘要"},
    "context": {"en": "What was compared", "zh": "比较了什么"},
    "versus": {"en": "Differences from the current plan", "zh": "与现行方案的差异"},
    "kpis": {"en": "Results by option (mean and 95% confidence interval)", "zh": "各方案结果（均值及95%置信区间）"},
    "figures": {"en": "Figures", "zh": "图表"},
    "appendix": {"en": "Appendix: full statistics", "zh": "附录：完整统计"},
    "metadata": {"en": "How this report was made", "zh": "报告生成信息"},
    "current_plan": {"en": "Current plan", "zh": "现行方案"},
    "parameter": {"en": "Parameter", "zh": "参数"},
    "indicator": {"en": "Indicator", "zh": "指标"},
    "option": {"en": "Option", "zh": "方案"},
    "community": {"en": "Community", "zh": "社区"},
    "residents": {"en": "Residents", "zh": "居民"},
    "elderly": {"en": "Elderly", "zh": "老年人"},
    "children": {"en": "Children", "zh": "儿童"},
    "disabled": {"en": "Disabled", "zh": "残疾人"},
    "hardship": {"en": "Hardship", "zh": "困难家庭"},
    "all": {"en": "All", "zh": "全体"},
    "total": {"en": "District", "zh": "全区"},
    "difference": {"en": "Difference", "zh": "差异"},
    "ci": {"en": "95% CI", "zh": "95%置信区间"},
    "bootstrap": {"en": "Bootstrap 95% CI (BCa)", "zh": "自助法95%置信区间（BCa）"},
    "p_value": {"en": "p", "zh": "p 值"},
    "p_adjusted": {"en": "Adjusted p (Benjamini-Hochberg)", "zh": "校正后 p 值（BH法）"},
    "tost": {"en": "Equivalence p (TOST)", "zh": "等效检验 p 值（TOST）"},
    "mid": {"en": "Smallest important difference", "zh": "最小重要差异"},
    "verdict": {"en": "Verdict", "zh": "判断"},
    "needed": {"en": "Replications that would decide", "zh": "可得出结论所需重复次数"},
    "replications": {"en": "replications", "zh": "次重复"},
    "day": {"en": "day", "zh": "天"},
    "fig_forest": {"en": "Differences from the current plan, in smallest important differences",
                   "zh": "与现行方案的差异（以最小重要差异为单位）"},
    "fig_series": {"en": "Coverage over time: share of recently closed needs that were met (rolling window)",
                   "zh": "覆盖率随时间变化：近期结束的需求中得到满足的比例（滚动窗口）"},
    "fig_groups": {"en": "Coverage by resident group", "zh": "分人群需求覆盖率"},
    "fig_equity": {"en": "Coverage of each community", "zh": "各社区需求覆盖率"},
    "fig_map": {"en": "Where unmet need changes: unmet needs per cell, option minus current plan",
                "zh": "未满足需求的变化：各网格未满足需求数，方案减现行方案"},
    "fig_money": {"en": "Money: government spending, charity raised and cost per need met",
                  "zh": "资金：政府投入、慈善募集与每个满足需求的成本"},
    "meta_version": {"en": "Package version", "zh": "软件版本"},
    "meta_git": {"en": "Git commit", "zh": "Git 提交"},
    "meta_date": {"en": "Report date", "zh": "报告日期"},
    "meta_runs": {"en": "Runs (finished / failed)", "zh": "运行次数（成功 / 失败）"},
    "meta_replications": {"en": "Replications per option", "zh": "每个方案的重复次数"},
    "meta_seeds": {"en": "Seeds (paired across options)", "zh": "随机种子（各方案配对）"},
    "meta_hashes": {"en": "Scenario fingerprints", "zh": "情景指纹"},
    "meta_source": {"en": "Results folder", "zh": "结果目录"},
    "failed_note": {"en": "failed runs are left out of every statistic", "zh": "失败的运行不计入统计"},
    "district": {"en": "The district", "zh": "辖区"},
    "city": {"en": "The city", "zh": "全市"},
    "across_communities": {"en": "Across the {n:,} communities", "zh": "{n:,}个社区的分布"},
    "residents_per_community": {"en": "residents per community", "zh": "每社区居民数"},
    "lowest": {"en": "lowest", "zh": "最低"},
    "p10": {"en": "10th percentile", "zh": "第10百分位"},
    "median": {"en": "median", "zh": "中位数"},
    "p90": {"en": "90th percentile", "zh": "第90百分位"},
    "highest": {"en": "highest", "zh": "最高"},
    "differs": {"en": "What differs between the options", "zh": "各方案的差别"},
    "no_differences": {"en": "The options have identical inputs.", "zh": "各方案的输入完全相同。"},
    "sources": {"en": "Which inputs are sourced and which assumed", "zh": "哪些输入有来源，哪些是假设"},
    "not_captured": {"en": "What the model does not capture", "zh": "模型没有反映的内容"},
    "how_to_read": {"en": "How to read the verdicts", "zh": "如何理解判断"},
}

VERDICTS: dict[Verdict, tuple[str, str]] = {
    Verdict.BETTER: ("better", "更好"),
    Verdict.WORSE: ("worse", "更差"),
    Verdict.MORE: ("more", "更多"),
    Verdict.LESS: ("less", "更少"),
    Verdict.EQUIVALENT: ("practically the same", "实际上相同"),
    Verdict.UNCLEAR: ("unclear", "尚不明确"),
    Verdict.EQUAL: ("the same in every run", "每次运行都相同"),
}

NOT_CAPTURED = {
    "en": [
        ("Volunteers give less time in the model than surveys report (about 70% of 7 hours a month in this "
        "district), so volunteer-hour results are understated."),
        ("How many needs are hidden and how well patrols and visits find them are assumptions: compare discovery "
        "options by their differences, not their levels."),
        "Charitable giving is not calibrated; charity raised and charity yuan per government yuan are indicative only.",
        "A need is either met or not: the quality of a service is not measured.",
        ("Residents, prices and pay stay fixed over the horizon; nothing after the horizon (trust built, fund "
        "balances carried over) is counted."),
        "Administrative work outside the modelled roles (approvals, reporting upwards) is not counted.",
    ],
    "zh": [
        "模型中志愿者的服务时间少于调查所报告的水平（本辖区约为每月7小时的70%），因此志愿服务时长被低估。",
        "隐性需求的数量以及巡访、走访发现隐性需求的能力是假设值：比较主动发现类方案时应看差异，不看绝对水平。",
        "慈善捐赠未经校准；慈善募集额和每元政府投入撬动的慈善资源仅供参考。",
        "需求只分为满足或未满足，不衡量服务质量。",
        "居民、价格和薪酬在模拟期内不变；模拟期之后的影响（建立的信任、结转的基金余额）不计入。",
        "模型所含角色之外的行政工作（审批、向上级报告）不计入。",
    ],
}


def t(key: str, lang: str) -> str:
    """One UI string."""
    return STRINGS[key][lang]


def verdict_word(verdict: Verdict, lang: str) -> str:
    """The verdict in the reader's language."""
    return VERDICTS[verdict][1 if lang == "zh" else 0]


def p_text(p_value: float) -> str:
    """``0.034``, ``< 0.001`` or ``-`` (not estimable)."""
    if not math.isfinite(p_value):
        return "-"
    return "< 0.001" if p_value < 0.001 else f"{p_value:.3f}"

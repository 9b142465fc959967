"""Planner-facing names of KPIs in English and Chinese, with units."""

from __future__ import annotations

# key: (English, Chinese, unit)
KPI_LABELS: dict[str, tuple[str, str, str]] = {
    "needs_arisen": ("Needs arisen", "产生的需求", "needs"),
    "needs_met": ("Needs met", "已满足需求", "needs"),
    "needs_unmet": ("Needs closed unmet", "未满足需求", "needs"),
    "needs_pending": ("Needs still open", "仍在处理的需求", "needs"),
    "coverage": ("Coverage", "需求覆盖率", "share"),
    "coverage_elderly": ("Elderly coverage", "老年人需求覆盖率", "share"),
    "coverage_disabled": ("Disabled coverage", "残疾人需求覆盖率", "share"),
    "coverage_children": ("Child coverage", "儿童需求覆盖率", "share"),
    "coverage_hardship": ("Hardship coverage", "困难家庭需求覆盖率", "share"),
    "hidden_needs": ("Hidden needs", "隐性需求", "needs"),
    "hidden_discovered": ("Hidden needs discovered", "被发现的隐性需求", "needs"),
    "mean_days_to_service": ("Mean days to service", "平均等待天数", "days"),
    "volunteers_active": ("Active volunteers", "在岗志愿者", "people"),
    "volunteer_retention": ("Volunteer retention", "志愿者留存率", "share"),
    "volunteer_hours": ("Volunteer hours", "志愿服务时长", "hours"),
    "social_worker_hours": ("Social-worker hours", "社工服务时长", "hours"),
    "organization_hours": ("Organisation hours", "社会组织服务时长", "hours"),
    "activities_held": ("Activities held", "开展活动", "activities"),
    "person_times_served": ("Person-times served", "服务人次", "person-times"),
    "regular_attendance": ("Regular attendance at programmes (no recorded need)", "项目常规参与人次（无登记需求）", "person-times"),
    "charity_raised_yuan": ("Charity raised", "募集慈善资源", "yuan"),
    "government_spent_yuan": ("Government money spent", "政府投入", "yuan"),
    "leverage": ("Charity yuan per government yuan", "每元政府投入撬动的慈善资源", "ratio"),
    "cost_per_need_met_yuan": ("Cost per need met", "每个满足需求的成本", "yuan"),
    "unmet_gini": ("Inequality of unmet need (Gini)", "未满足需求不平等（基尼系数）", "index"),
    "satisfaction_mean": ("Mean satisfaction of residents with needs", "有需求居民的平均满意度", "0-1"),
}

# daily series that are not final KPIs
SERIES_LABELS: dict[str, tuple[str, str, str]] = {
    "needs_waiting": ("Needs waiting for a provider", "等待服务的需求", "needs"),
    "needs_unreported": ("Needs not yet known", "尚未发现的需求", "needs"),
    "needs_in_service": ("Needs being served", "正在服务的需求", "needs"),
    "fund_balance_yuan": ("Community fund balance", "社区基金余额", "yuan"),
}

# KPIs compared between options (counts that common random numbers keep equal are left out)
DECISION_KPIS = (
    "coverage", "coverage_elderly", "coverage_disabled", "coverage_children", "coverage_hardship",
    "hidden_discovered", "mean_days_to_service", "volunteers_active", "volunteer_retention", "volunteer_hours",
    "person_times_served", "charity_raised_yuan", "government_spent_yuan", "leverage", "cost_per_need_met_yuan",
    "unmet_gini", "satisfaction_mean",
)

UNIT_ZH = {
    "needs": "个", "share": "", "days": "天", "people": "人", "hours": "小时", "activities": "场",
    "person-times": "人次", "yuan": "元", "ratio": "", "index": "", "0-1": "",
}


# KPIs where a lower value is better (all others: higher is better, or neutral counts)
LOWER_IS_BETTER = {"needs_unmet", "needs_pending", "mean_days_to_service", "cost_per_need_met_yuan", "unmet_gini",
                   "government_spent_yuan"}


def label(key: str, lang: str = "en") -> str:
    """The display name of a KPI (the key itself when it has none)."""
    names = KPI_LABELS.get(key) or SERIES_LABELS.get(key)
    if names is None:
        return key
    return names[1] if lang == "zh" else names[0]


def unit(key: str, lang: str = "en") -> str:
    """The unit of a KPI in the language."""
    names = KPI_LABELS.get(key)
    if names is None:
        return ""
    return UNIT_ZH.get(names[2], names[2]) if lang == "zh" else names[2]

"""The KPI registry: every KPI defined once with its unit, direction, smallest important difference
and English and Chinese names.

``sim.metrics.kpis`` computes the values; this module says what they mean. The terminal table
(``sim.kpi_table``), the labels (``sim.labels``), the report and the classroom app read it. It
imports nothing from the model, so reports can read it without loading Mesa.

Adding a KPI is one line in ``_ENTRIES``: key, English, Chinese, unit, direction, smallest
important difference (a float in the KPI's own unit, or ``rel(0.05)`` for 5% of the baseline's
mean), then ``main``/``decision`` flags when it belongs in the main table or the comparison.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum


class Lang(StrEnum):
    """A language every planner-facing text exists in; command-line ``--lang`` values resolve into it."""

    EN = "en"
    ZH = "zh"


class Better(str, Enum):
    """Which way a KPI improves."""

    HIGHER = "higher"
    LOWER = "lower"
    NEUTRAL = "neutral"  # a count or a by-product: reported, never called better or worse


@dataclass(frozen=True)
class Unit:
    """A unit in both languages and how its numbers are written."""

    en: str
    zh: str
    kind: str  # "count" (integer), "share" (shown as % / points), "money", "decimal"


UNITS: dict[str, Unit] = {
    "needs": Unit("needs", "个需求", "count"),
    "share": Unit("%", "%", "share"),
    "days": Unit("days", "天", "decimal"),
    "people": Unit("people", "人", "count"),
    "households": Unit("residents", "人", "count"),
    "household-count": Unit("households", "户", "count"),
    "hours": Unit("hours", "小时", "count"),
    "activities": Unit("activities", "场", "count"),
    "person-times": Unit("person-times", "人次", "count"),
    "visits": Unit("visits", "次", "count"),
    "yuan": Unit("yuan", "元", "money"),
    "ratio": Unit("yuan per yuan", "元/元", "decimal"),
    "index": Unit("", "", "decimal"),  # a Gini index: the label says so
    "0-1": Unit("", "", "decimal"),  # a score from 0 to 1: the label says so
    "per-year": Unit("per year", "每年", "decimal"),
    "per-month": Unit("hours per month", "小时/月", "decimal"),
    "per-activity": Unit("person-times per activity", "人次/场", "decimal"),
    "per-community": Unit("per community", "每社区", "decimal"),
}


@dataclass(frozen=True)
class Relative:
    """A smallest important difference given as a share of the baseline's mean."""

    share: float


def rel(share: float) -> Relative:
    """``rel(0.05)``: 5% of the baseline's mean."""
    return Relative(share)


@dataclass(frozen=True)
class Kpi:
    """One KPI: what it is called, its unit, which way is better and what difference matters."""

    key: str
    en: str
    zh: str
    unit: str
    better: Better
    mid: float | Relative  # smallest important difference (default; --mid overrides)
    main: bool = False  # shown in the main tables
    decision: bool = False  # compared between options

    def label(self, lang: str) -> str:
        """The name in ``lang``."""
        return self.zh if lang == "zh" else self.en


H, L, N = Better.HIGHER, Better.LOWER, Better.NEUTRAL
MAIN, DECIDE = {"main": True}, {"main": True, "decision": True}

_ENTRIES: tuple[Kpi, ...] = (
    Kpi("needs_arisen", "Needs arisen", "产生的需求", "needs", N, rel(0.05), **MAIN),
    Kpi("needs_met", "Needs met", "已满足需求", "needs", H, rel(0.02), **MAIN),
    Kpi("needs_unmet", "Needs closed unmet", "未满足需求", "needs", L, rel(0.02), **MAIN),
    Kpi("needs_pending", "Needs still open", "仍在处理的需求", "needs", N, rel(0.05), **MAIN),
    Kpi("coverage", "Coverage", "需求覆盖率", "share", H, 0.01, **DECIDE),
    Kpi("coverage_elderly", "Elderly coverage", "老年人需求覆盖率", "share", H, 0.01, **DECIDE),
    Kpi("coverage_disabled", "Disabled coverage", "残疾人需求覆盖率", "share", H, 0.01, **DECIDE),
    Kpi("coverage_children", "Child coverage", "儿童需求覆盖率", "share", H, 0.01, **DECIDE),
    Kpi("coverage_hardship", "Hardship coverage", "困难家庭需求覆盖率", "share", H, 0.01, **DECIDE),
    Kpi("hidden_needs", "Hidden needs", "隐性需求", "needs", N, rel(0.05), **MAIN),
    Kpi("hidden_discovered", "Hidden needs discovered", "被发现的隐性需求", "needs", H, rel(0.05), **DECIDE),
    Kpi("mean_days_to_service", "Mean days to service", "平均等待天数", "days", L, 0.5, **DECIDE),
    Kpi("volunteers_active", "Active volunteers", "在岗志愿者", "people", H, rel(0.05), **DECIDE),
    Kpi("volunteer_retention", "Volunteer retention", "志愿者留存率", "share", H, 0.02, **DECIDE),
    Kpi("volunteer_hours", "Volunteer hours", "志愿服务时长", "hours", N, rel(0.05), **DECIDE),
    Kpi("social_worker_hours", "Social-worker hours", "社工服务时长", "hours", N, rel(0.05), **MAIN),
    Kpi("organization_hours", "Organisation hours", "社会组织服务时长", "hours", N, rel(0.05), **MAIN),
    Kpi("activities_held", "Activities held", "开展活动", "activities", H, rel(0.05), **MAIN),
    Kpi("person_times_served", "Person-times served", "服务人次", "person-times", H, rel(0.05), **DECIDE),
    Kpi("charity_raised_yuan", "Charity raised", "募集慈善资源", "yuan", H, rel(0.05), **DECIDE),
    Kpi("government_spent_yuan", "Government money spent", "政府投入", "yuan", L, rel(0.01), **DECIDE),
    Kpi("leverage", "Charity yuan per government yuan", "每元政府投入撬动的慈善资源", "ratio", H, rel(0.05), **DECIDE),
    Kpi("cost_per_need_met_yuan", "Cost per need met", "每个满足需求的成本", "yuan", L, rel(0.05), **DECIDE),
    Kpi("unmet_gini", "Inequality of unmet need (Gini, 0 = equal)", "未满足需求不平等（基尼系数，0为完全均衡）", "index", L, 0.02, **DECIDE),
    Kpi("satisfaction_mean", "Mean satisfaction of residents with needs (0 to 1)", "有需求居民的平均满意度（0至1）", "0-1", H, 0.01, **DECIDE),
    # reported in full tables and the appendix only
    Kpi("volunteers_recruited", "Volunteers recruited", "新招募志愿者", "people", H, rel(0.05)),
    Kpi("volunteers_quit", "Volunteers who quit", "退出的志愿者", "people", L, rel(0.05)),
    Kpi("list_visits", "List visits", "清单式走访", "visits", N, rel(0.05)),
    Kpi("needs_met_by_volunteer", "Needs met by volunteers", "志愿者满足的需求", "needs", N, rel(0.05)),
    Kpi("needs_met_by_social_worker", "Needs met by social workers", "社工满足的需求", "needs", N, rel(0.05)),
    Kpi("needs_met_by_professional", "Needs met by professional organisations", "专业社会组织满足的需求", "needs", N, rel(0.05)),
    Kpi("needs_met_by_programme", "Needs met by programmes", "服务项目满足的需求", "needs", N, rel(0.05)),
    Kpi("needs_met_by_fund", "Needs met by community funds", "社区基金满足的需求", "needs", N, rel(0.05)),
    Kpi("charity_goods_yuan", "Charity given in goods", "慈善物资折价", "yuan", N, rel(0.05)),
    Kpi("charity_matched_yuan", "Charity matched by the fund", "基金配捐", "yuan", N, rel(0.05)),
    Kpi("capacity_spent_yuan", "Money spent on service capacity", "用于服务能力的资金", "yuan", N, rel(0.05)),
    Kpi("grants_yuan", "Fund grants to households", "基金救助支出", "yuan", N, rel(0.05)),
    Kpi("fund_balance_yuan", "Community fund balance", "社区基金余额", "yuan", N, rel(0.05)),
    Kpi("person_times_per_activity", "Person-times per activity", "每场活动服务人次", "per-activity", N, rel(0.05)),
    Kpi("volunteer_hours_per_active_month", "Volunteer hours per active month", "在岗志愿者月均服务时长", "per-month", N, rel(0.05)),
    Kpi("volunteer_attrition_per_year", "Volunteer attrition a year", "志愿者年流失率", "share", L, 0.02),
    Kpi("volunteer_stock_ratio", "Volunteers now per volunteer at start", "志愿者存量比", "ratio", H, rel(0.05)),
    Kpi("volunteers_per_community", "Active volunteers per community", "每社区在岗志愿者", "per-community", H, rel(0.05)),
    Kpi("activities_per_community_year", "Activities per community a year", "每社区年活动场次", "per-community", H, rel(0.05)),
    Kpi("elderly_care_needs_per_elderly_year", "New care needs per elderly resident a year",
        "每位老人每年新增照料需求", "per-year", N, rel(0.05)),
    Kpi("hardship_residents_helped", "Hardship residents helped", "得到帮助的困难群众", "households", H, rel(0.05)),
    Kpi("hardship_reach_share", "Share of hardship residents helped", "困难群众受助比例", "share", H, 0.01),
    Kpi("charity_money_yuan", "Charity raised in money", "慈善资金（不含物资）", "yuan", H, rel(0.05)),
    Kpi("regular_attendance", "Regular attendance at programmes (no recorded need)", "项目常规参与人次（无登记需求）", "person-times", N, rel(0.05)),
    # discovery effort: whose hours find needs (sim.metrics.discovery_kpis)
    Kpi("discovery_hours", "Hours spent finding needs", "主动发现投入工时", "hours", L, rel(0.05), **DECIDE),
    Kpi("committee_staff_hours", "Committee staff hours on contacts, visits and meetings", "社区工作者走访联系工时", "hours", L, rel(0.05), **DECIDE),
    Kpi("representative_hours", "Resident representatives' hours", "居民代表联系走访工时", "hours", N, rel(0.05)),
    Kpi("outreach_hours", "Social-worker outreach hours", "社工外展走访工时", "hours", N, rel(0.05)),
    Kpi("patrol_hours", "Volunteer patrol hours", "志愿者巡访工时", "hours", N, rel(0.05)),
    Kpi("discovery_paid_yuan", "Cost of paid discovery hours", "有偿发现工时成本", "yuan", L, rel(0.05), **DECIDE),
    Kpi("households_on_register", "Households on the visit register", "走访台账在册户数", "household-count", N, rel(0.05)),
)

# daily series that are not final KPIs
_SERIES: tuple[Kpi, ...] = (
    Kpi("needs_waiting", "Needs waiting for a provider", "等待服务的需求", "needs", L, rel(0.05)),
    Kpi("needs_unreported", "Needs not yet known", "尚未发现的需求", "needs", L, rel(0.05)),
    Kpi("needs_in_service", "Needs being served", "正在服务的需求", "needs", N, rel(0.05)),
)

KPIS: dict[str, Kpi] = {k.key: k for k in _ENTRIES}
SERIES: dict[str, Kpi] = {k.key: k for k in _SERIES}


def get(key: str) -> Kpi | None:
    """The KPI or daily series called ``key`` (None when the registry has no entry)."""
    return KPIS.get(key) or SERIES.get(key)


def label(key: str, lang: str = "en") -> str:
    """The display name (the key itself when the registry has none)."""
    entry = get(key)
    return entry.label(lang) if entry else key


def unit_of(key: str) -> Unit:
    """The KPI's unit (a unitless decimal when unknown)."""
    entry = get(key)
    return UNITS[entry.unit] if entry else Unit("", "", "decimal")


def unit(key: str, lang: str = "en") -> str:
    """The unit's word in ``lang`` (shares: "%")."""
    found = unit_of(key)
    return found.zh if lang == "zh" else found.en


def is_share(key: str) -> bool:
    """Shares are shown as percentages and their differences as percentage points."""
    return unit_of(key).kind == "share"


def better_of(key: str) -> Better:
    """Which way the KPI improves (neutral when unknown)."""
    entry = get(key)
    return entry.better if entry else Better.NEUTRAL


def smallest_important(key: str, baseline_mean: float, override: float | Relative | None = None) -> float:
    """The smallest difference that matters, in the KPI's stored unit (shares as fractions)."""
    entry = get(key)
    mid = override if override is not None else (entry.mid if entry else Relative(0.05))
    if isinstance(mid, Relative):
        return abs(baseline_mean) * mid.share
    return float(mid)


MAIN_KPIS = tuple(k.key for k in _ENTRIES if k.main)
DECISION_KPIS = tuple(k.key for k in _ENTRIES if k.decision)

"""Scenario parameters and their values in the reader's language: ``budget.split_hub_awards`` becomes
"Budget: share for hub-organisation awards" / "预算：枢纽型社会组织奖励占比", ``per_capita`` becomes
"by population" / "按人口"."""

from __future__ import annotations

import re
from typing import Any

SECTIONS = {
    "budget": ("Budget", "预算"), "linkage": ("Linkage", "联动机制"), "discovery": ("Active discovery", "主动发现"),
    "volunteers": ("Volunteers", "志愿者"), "social_workers": ("Social workers", "社会工作者"),
    "organizations": ("Social organisations", "社会组织"), "giving": ("Charitable giving", "慈善捐赠"),
    "conversion": ("Unit costs", "单位成本"), "needs": ("Needs", "需求"), "communities": ("Community", "社区"),
    "city": ("City", "城市"),
}

# field: (English, Chinese); units are added from the value's kind
FIELDS: dict[str, tuple[str, str]] = {
    "total_yuan": ("total a year", "年度总额"),
    "budget_yuan": ("yearly budget of the whole city", "全市年度预算"), "communities": ("communities", "社区数"),
    "residents_share": ("share of the city's residents", "占全市居民比例"),
    "residents_cv": ("spread of community sizes", "社区规模离散程度"),
    "residents_per_community": ("mean residents per community", "每社区平均居民数"),
    "street_kind": ("kind of street unit", "街道或乡镇"), "unit": ("community or village", "社区或村"),
    "streets": ("urban streets", "街道数"), "towns": ("towns and townships", "乡镇数"),
    "scale": ("share of the full city generated", "生成的城市比例"), "cell_size_m": ("grid cell side", "网格边长"),
    "split_stations": ("share for social-work stations", "社工站建设占比"),
    "split_demonstration": ("share for demonstration communities", "示范社区创建占比"),
    "split_hub_awards": ("share for hub-organisation awards", "枢纽型社会组织奖励占比"),
    "split_purchased_services": ("share for purchased services", "购买专业服务占比"),
    "split_fund_seed": ("share for community-fund seed money", "社区基金种子资金占比"),
    "spread_rule": ("how money is spread across communities", "资金在社区间的分配方式"),
    "online_reporting": ("residents can report needs online", "居民线上报事"),
    "matching_scope": ("where a need may find a helper", "需求匹配范围"),
    "service_mode": ("how services are offered", "服务方式"),
    "list_share": ("share of volunteer hours for list visits", "清单走访占志愿时间比例"),
    "list_interval_days": ("days between list visits", "清单走访间隔天数"),
    "list_visit_hours": ("hours per list visit", "每次走访小时数"),
    "list_elderly_share": ("share of elderly on the visit list", "列入走访清单的老人比例"),
    "points_enabled": ("volunteers earn points", "志愿服务积分"),
    "points_quit_reduction": ("fewer volunteers quit with points", "积分降低的退出率"),
    "points_recruit_boost": ("extra recruitment with points", "积分带来的额外招募"),
    "fund_matching_ratio": ("government yuan added per donated yuan", "每捐1元政府配捐（元）"),
    "deliberation": ("residents deliberate on programmes", "居民议事调整服务项目"),
    "deliberation_share": ("share of places deliberation may move", "议事可调整的名额比例"),
    "deliberation_giving_boost": ("extra giving where residents deliberate", "议事带来的额外捐赠"),
    "patrol_share": ("share of volunteers on patrol", "巡访志愿者比例"),
    "patrol_hours_per_week": ("patrol hours a week", "每周巡访小时数"),
    "contact_interval_days": ("days between representatives' contacts", "居民代表联系间隔天数"),
    "visit_interval_days": ("days between home visits", "入户走访间隔天数"),
    "meeting_interval_days": ("days between residents' meetings", "居民会议间隔天数"),
    "outreach_share": ("share of hours for outreach", "外展工作时间占比"),
    "casework_share": ("share of hours for case work", "个案工作时间占比"),
    "hours_per_week": ("hours a week", "每周小时数"),
    "recruit_rate_per_year": ("yearly chance an adult volunteers", "居民每年加入志愿者的概率"),
    "quit_rate_per_year": ("yearly chance a volunteer quits", "志愿者每年退出的概率"),
    "base_workers": ("workers paid outside the budget", "预算外社工人数"),
    "sessions_per_week": ("programme sessions a week", "每周服务项目场次"),
    "service_orgs": ("service organisations per community", "每社区服务型组织数"),
    "hub_orgs": ("hub organisations per community", "每社区枢纽型组织数"),
    "yuan_per_place_year": ("cost of a programme place a year", "每个服务名额的年成本"),
    "yuan_per_social_worker_year": ("cost of a social worker a year", "每名社工的年成本"),
    "yuan_per_hub_hour": ("cost of a hub-organisation hour", "枢纽型组织每小时成本"),
    "yuan_per_professional_hour": ("cost of a professional hour", "专业服务每小时成本"),
    "residents": ("residents", "居民人数"), "volunteers": ("volunteers", "志愿者人数"),
    "has_station": ("has a social-work station", "设有社工站"), "programmes": ("programmes", "服务项目"),
    "days": ("days simulated", "模拟天数"), "seed": ("random seed", "随机种子"),
    "area_km2": ("area (km²)", "面积（平方公里）"), "compounds": ("residential compounds", "小区数"),
    "work_units": ("large work units", "驻区单位数"), "share_elderly": ("share elderly", "老年人比例"),
    "share_children": ("share children", "儿童比例"), "share_disabled": ("share disabled", "残疾人比例"),
    "share_hardship": ("share in hardship households", "困难家庭比例"),
    "digital_share_elderly": ("elderly who can report online", "能线上报事的老人比例"),
    "digital_share_other": ("others who can report online", "能线上报事的其他居民比例"),
    "vulnerable_clustering": ("how clustered vulnerable residents are", "困难群体聚集程度"),
    "rate_elderly_per_year": ("elderly care needs a year per elderly resident", "每位老人每年照料需求"),
    "rate_child_per_year": ("needs a year per child", "每名儿童每年需求"),
    "rate_working_per_year": ("needs a year per working-age resident", "每名劳动年龄居民每年需求"),
    "performance_prior": ("coverage assumed before performance is known", "绩效未知时假定的覆盖率"),
}

VALUES: dict[str, tuple[str, str]] = {
    "equal": ("equal shares", "平均分配"), "per_capita": ("by population", "按人口"),
    "need_weighted": ("by need", "按需求"), "performance": ("by performance", "按绩效"),
    "community": ("own community only", "本社区内"), "platform": ("the district platform", "全区平台"),
    "order": ("on request", "按需下单"), "list": ("scheduled visits", "清单服务"), "mixed": ("both", "清单与下单结合"),
    "canteen": ("canteen", "长者食堂"), "day_care": ("day care", "日间照料"), "classes": ("classes", "兴趣课堂"),
    "market": ("volunteer market", "志愿集市"), True: ("yes", "是"), False: ("no", "否"),
}


def parameter_name(key: str, lang: str, community_names: dict[str, str] | None = None) -> str:
    """A dotted key in words; unknown fields are spelled out from their words, never shown as a raw key."""
    parts = key.split(".")
    index = 1 if lang == "zh" else 0
    head = SECTIONS.get(parts[0], (parts[0], parts[0]))[index] if len(parts) > 1 else ""
    if parts[0] == "communities" and len(parts) > 2:
        head = f"{(community_names or {}).get(parts[1], parts[1])}"
    elif parts[0] == "linkage" and len(parts) > 2:
        head = SECTIONS.get(parts[1], (parts[1], parts[1]))[index]
    field = parts[-1]
    words = FIELDS.get(field, (field.replace("_", " "), field.replace("_", " ")))[index]
    separator = "：" if lang == "zh" else ": "
    return f"{head}{separator}{words}" if head else words


def parameter_value(key: str, value: Any, lang: str) -> str:
    """A value in words with its unit: shares as %, yuan with separators, enums and booleans translated."""
    index = 1 if lang == "zh" else 0
    if isinstance(value, bool) or (isinstance(value, str) and value in VALUES):
        return VALUES[value][index]
    if isinstance(value, list):
        return ("、" if lang == "zh" else ", ").join(parameter_value(key, v, lang) for v in value) or "-"
    if value is None or value == "-":
        return "-"
    if isinstance(value, (int, float)):
        field = key.rsplit(".", 1)[-1]
        if "yuan" in field:
            return f"{value:,.0f} 元" if lang == "zh" else f"{value:,.0f} yuan"
        if re.search(r"(share|split_|prob|reduction)", field):
            return f"{100 * value:.1f}%".replace(".0%", "%")
        if field.endswith("_days") or field == "days":
            return f"{value:,.0f} 天" if lang == "zh" else f"{value:,.0f} days"
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.3g}"
    return str(value)

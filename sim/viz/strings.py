"""Words of the classroom app in English and Chinese (KPI names come from ``sim.labels``)."""

from __future__ import annotations

LANGS = ("en", "zh")

# key: (English, Chinese)
STRINGS: dict[str, tuple[str, str]] = {
    "title": ("Five-society linkage classroom", "五社联动课堂"),
    "language": ("Language", "语言"),
    "levers": ("Scenario and levers", "情景与政策杠杆"),
    "scenario": ("Scenario file", "情景文件"),
    "apply_hint": ("Changes apply when you press Reset.", "修改后请按 Reset（重置）生效。"),
    "pending": ("Not yet applied: press Reset.", "尚未生效：请按 Reset（重置）。"),
    "bad_scenario": ("This scenario cannot be loaded", "该情景无法载入"),
    "budget_split": ("Budget split (shares sum to 1)", "预算分配（合计为 1）"),
    "split_stations": ("Social-work stations", "社工站建设"),
    "split_demonstration": ("Demonstration communities (programmes)", "示范社区（服务项目）"),
    "split_hub_awards": ("Awards to hub organisations", "枢纽型社会组织奖励"),
    "split_purchased_services": ("Purchased professional services", "购买专业服务"),
    "split_fund_seed": ("Seed money for community funds", "社区基金种子资金"),
    "budget_percent": ("Yearly budget, % of the scenario's", "年度预算（占情景预算的 %）"),
    "discovery": ("Active discovery", "主动发现"),
    "patrol_share": ("Share of volunteers on patrol", "参与巡访的志愿者比例"),
    "representatives": ("Representatives: weekly contact, monthly visit, quarterly meeting",
                        "居民代表：每周联系、每月走访、每季座谈"),
    "linkage": ("Linkage", "联动机制"),
    "online_reporting": ("Online reporting (report online, solve offline)", "线上报需求（线上报、线下办）"),
    "platform_matching": ("District platform matching", "区级平台匹配"),
    "points": ("Points for volunteers", "志愿者积分"),
    "fund_matching_ratio": ("Fund matching (government yuan per donated yuan)", "慈善配捐（每捐 1 元政府配比）"),
    "running": ("Running", "当前运行"),
    "day": ("day", "第"),
    "day_suffix": ("", "天"),
    "changed": ("changed", "已调整"),
    "nothing_changed": ("as in the file", "与文件一致"),
    "map": ("Residents and the five societies", "居民与五社"),
    "residents_shown": ("residents", "位居民"),
    "state_none": ("No need", "无需求"),
    "state_hidden": ("Need hidden (not yet known)", "需求未被发现"),
    "state_waiting": ("Waiting for help", "等待服务"),
    "state_in_service": ("Being served", "正在服务"),
    "state_unmet": ("Unmet (last 30 days)", "未满足（近 30 天）"),
    "marker_volunteer": ("Volunteer", "志愿者"),
    "marker_social_worker": ("Social worker", "社工"),
    "marker_service_point": ("Service point (community)", "社区服务站点"),
    "marker_station": ("Social-work station", "社工站"),
    "marker_venue": ("Organisation venue", "社会组织活动场地"),
    "marker_border": ("Community border", "社区边界"),
    "chart_coverage": ("Coverage of needs, overall and by group", "需求覆盖率（总体与分群体）"),
    "chart_waiting": ("Open needs", "未结需求"),
    "chart_volunteers": ("Active volunteers", "在岗志愿者"),
    "chart_money": ("Money (yuan)", "资金（元）"),
    "x_days": ("x: day of the run", "横轴：运行天数"),
    "on": ("on", "开"),
    "off": ("off", "关"),
}


def t(key: str, lang: str = "en") -> str:
    """The UI string ``key`` in ``lang`` (English for any language but Chinese)."""
    english, chinese = STRINGS[key]
    return chinese if lang == "zh" else english

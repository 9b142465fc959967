"""Words of the classroom app in English and Chinese; KPI names through ``kpi_label`` only."""

from __future__ import annotations

from sim.labels import label

LANGS = ("en", "zh")

# key: (English, Chinese)
STRINGS: dict[str, tuple[str, str]] = {
    "title": ("Five-society linkage classroom", "五社联动课堂"),
    "language": ("Language", "语言"),
    "levers": ("Scenario and levers", "情景与政策杠杆"),
    "scenario": ("Scenario", "情景"),
    "cannot_load": ("cannot be loaded", "无法载入"),
    "before_calibration": ("source values, before calibration", "校准前的来源数据"),
    "apply_hint": ("Changes apply when you press Reset.", "修改后请按“重置”生效。"),
    "pending": ("Not yet applied: press Reset.", "尚未生效：请按“重置”。"),
    "bad_scenario": ("This scenario cannot be loaded", "该情景无法载入"),
    "budget_split": ("Budget split", "预算分配"),
    "budget_split_hint": ("Moving one share rescales the others; the five always make 100%.",
                          "调整一项，其余按比例变化；五项合计始终为 100%。"),
    "split_stations": ("Social-work stations", "社工站建设"),
    "split_demonstration": ("Demonstration communities (programmes)", "示范社区（服务项目）"),
    "split_hub_awards": ("Awards to hub organisations", "枢纽型社会组织奖励"),
    "split_purchased_services": ("Purchased professional services", "购买专业服务"),
    "split_fund_seed": ("Seed money for community funds", "社区基金种子资金"),
    "budget_percent": ("Yearly budget", "年度预算"),
    "budget_percent_unit": ("% of the scenario's", "%（相对情景预算）"),
    "yuan_per_year": ("yuan a year", "元/年"),
    "discovery": ("Active discovery", "主动发现"),
    "patrol_share": ("Volunteers on patrol", "参与巡访的志愿者"),
    "patrol_share_unit": ("% of volunteers", "%（占志愿者）"),
    "representatives": ("Representatives: weekly contact, monthly visit, quarterly meeting",
                        "居民代表：每周联系、每月走访、每季座谈"),
    "linkage": ("Linkage", "联动机制"),
    "online_reporting": ("Online reporting (report online, solve offline)", "线上报需求（线上报、线下办）"),
    "platform_matching": ("District platform matching", "区级平台匹配"),
    "points": ("Points for volunteers", "志愿者积分"),
    "fund_matching_ratio": ("Fund matching", "慈善配捐"),
    "fund_matching_unit": ("yuan added per donated yuan", "元（每捐 1 元政府配比）"),
    "on": ("on", "开"),
    "off": ("off", "关"),
    # the run controls
    "controls": ("Run", "运行"),
    "reset": ("Reset", "重置"),
    "play": ("Play", "播放"),
    "pause": ("Pause", "暂停"),
    "step": ("Step", "单步"),
    "speed": ("Speed", "速度"),
    "days_per_second": ("days a second", "天/秒"),
    "day_of": ("Day {day} of {days}", "第 {day} 天（共 {days} 天）"),
    "finished": ("The run is over: press Reset to start again.", "运行结束：按“重置”重新开始。"),
    "busy": ("Computing…", "正在计算…"),
    "side_by_side": ("Side by side: the file's levers (left) and yours (right)",
                     "并排对比：文件中的设置（左）与您的设置（右）"),
    "side_by_side_hint": ("Both runs share the seed: the same residents and the same needs. Move a lever, then Reset.",
                          "两次运行使用同一随机种子：居民相同、需求相同。调整杠杆后按“重置”。"),
    "same_levers": ("No lever is moved: both sides are the same run. Move a lever and press Reset.",
                    "未调整任何杠杆：两侧是同一次运行。请调整杠杆并按“重置”。"),
    "left_title": ("As in the file", "文件中的设置"),
    "right_title": ("With your change", "您的调整"),
    "running": ("Running", "当前运行"),
    "changed": ("changed", "已调整"),
    "nothing_changed": ("levers as in the file", "杠杆与文件一致"),
    "difference": ("Difference, right minus left, today", "今日差异（右减左）"),
    "points_unit": ("points", "个百分点"),
    "needs_unit": ("needs", "个"),
    "needs_arisen": ("Needs arisen since day 1 (the same on both sides)", "第 1 天以来产生的需求（两侧相同）"),
    "coverage_so_far": ("Coverage since day 1", "需求覆盖率（第 1 天至今）"),
    "hardship_so_far": ("Hardship households' coverage since day 1", "困难家庭需求覆盖率（第 1 天至今）"),
    "not_served": ("Needs not yet served (hidden + waiting)", "尚未得到服务的需求（未发现＋等待）"),
    "too_few": ("too few closed", "已结需求太少"),
    # the map
    "map": ("Residents and the five societies", "居民与五社"),
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
    # the charts
    "chart_coverage": ("Coverage of needs closed in the last 30 days", "近 30 天已结需求的覆盖率"),
    "chart_coverage_note": ("Met share of the needs closed (met or unmet) in the 30 days before each day.",
                            "每天之前 30 天内结束（满足或未满足）的需求中，得到满足的比例。"),
    "chart_too_few": ("Not drawn today: fewer than {n} needs closed in the last 30 days for {groups}.",
                      "今日不画线：近 30 天已结需求少于 {n} 个的群体：{groups}。"),
    "chart_first_month": ("The lines start on day 30, once a full 30 days of needs have closed.",
                          "曲线从第 30 天开始，即满 30 天的已结需求之后。"),
    "chart_waiting": ("Open needs", "未结需求"),
    "chart_volunteers": ("Active volunteers", "在岗志愿者"),
    "chart_money": ("Money, cumulative (yuan)", "资金累计（元）"),
    "chart_compare_coverage": ("Coverage, last 30 days: left (dashed) and right (solid)",
                               "近 30 天覆盖率：左（虚线）与右（实线）"),
    "chart_compare_waiting": ("Needs not yet served: left (grey, dashed) and right (orange)",
                              "尚未得到服务的需求：左（灰色虚线）与右（橙色实线）"),
    "x_days": ("x: day of the run", "横轴：运行天数"),
    "series_all": ("All residents", "全体居民"),
    "series_elderly": ("Elderly", "老年人"),
    "series_disabled": ("Disabled", "残疾人"),
    "series_children": ("Children", "儿童"),
    "series_hardship": ("Hardship households", "困难家庭"),
    "series_hidden": ("Hidden", "未被发现"),
    "series_waiting": ("Waiting", "等待服务"),
    "series_in_service": ("Being served", "正在服务"),
}


def colon(lang: str) -> str:
    """": " in English, "：" in Chinese."""
    return "：" if lang == "zh" else ": "


def t(key: str, lang: str = "en", **fields: object) -> str:
    """The UI string ``key`` in ``lang`` (English for any language but Chinese), fields filled in."""
    english, chinese = STRINGS[key]
    text = chinese if lang == "zh" else english
    return text.format(**fields) if fields else text


def kpi_label(key: str, lang: str = "en") -> str:
    """A KPI's or daily series' display name: the one place the app reads KPI labels."""
    return label(key, lang)

"""``python -m sim describe SCENARIO [--set KEY=VALUE ...] [--lang en|zh] [--format text|csv]``.

Prints what a scenario file generates without building it: communities (by type for a city),
residents, streets and their social-work stations, the grid and the memory estimate of one run,
and the planned yuan of every budget line in every street, with totals equal to the budget.
"""

from __future__ import annotations

import argparse
import csv
import sys

from sim.commands.describe_plan import Description, StreetRow
from sim.commands.options import language, override
from sim.kpi_table import _width
from sim.kpis import Lang
from sim.scenario import BUDGET_LINES, SpreadRule

FORMATS = ("text", "csv")
GB = 2**30
# key: (English, Chinese)
WORDS: dict[str, tuple[str, str]] = {
    "generated": ("Generated from the city description (generation seed {seed}, scale {scale}): the streets and the budget "
                  "follow the generated size ({yuan:.2f} yuan per resident).",
                  "由城市描述生成（生成种子 {seed}，规模 {scale}）：街道数和预算随生成规模而定（每人 {yuan:.2f} 元）。"),
    "generated_budget_set": ("Generated from the city description (generation seed {seed}, scale {scale}): the streets follow "
                             "the generated size; the budget is the file's own total, not the city's {yuan:.2f} yuan per resident.",
                             "由城市描述生成（生成种子 {seed}，规模 {scale}）：街道数随生成规模而定；预算为文件指定的总额，"
                             "而非全市每人 {yuan:.2f} 元的标准。"),
    "communities": ("Communities", "社区和村"),
    "residents": ("Residents", "常住人口"),
    "streets": ("Streets", "街道（乡镇）"),
    "stations": ("Stations", "社工站"),
    "budget": ("Budget", "预算"),
    "grid": ("Grid", "网格"),
    "grid_value": ("{cells:,} cells of {cell:g} m; about {gb:.1f} GB of memory for one run",
                   "{cells:,} 个 {cell:g} 米网格；单次运行约需 {gb:.1f} GB 内存"),
    "budget_value": ("{total:,.0f} yuan a year = {per:.2f} yuan per resident, spread {rule}",
                     "每年 {total:,.0f} 元 = 每人 {per:.2f} 元，{rule}"),
    "per_capita_note": ("(the need-weighted rule's weights come from a run's residents: rows shown per capita)",
                        "（按需求分配的权重取决于运行中生成的居民：下表按人口显示）"),
    "plan_note": ("Planned yuan a year by line as the first quarter starts; a run pays a line only where it has a recipient "
                  "and up to what it can use.",
                  "下表为第一季度开始时各项资金的年度计划额（元）；运行中某项资金只拨付给有承接者的社区，且不超过其可用额。"),
    "district": ("District", "区县"),
    "street": ("Street", "街道（乡镇）"),
    "total": ("Total", "合计"),
    "yuan": ("yuan", "元"),
    "streets_value": ("{n:,} ({kinds})", "{n:,}（{kinds}）"),
    "kind_street": ("{n:,} street{s}", "街道 {n:,} 个"),
    "kind_town": ("{n:,} town{s} and township{s}", "乡镇 {n:,} 个"),
}
RULE_WORDS: dict[SpreadRule, tuple[str, str]] = {  # as sim.report.parameters words them (importing it loads matplotlib)
    SpreadRule.EQUAL: ("in equal shares", "平均"), SpreadRule.PER_CAPITA: ("by population", "按人口"),
    SpreadRule.NEED_WEIGHTED: ("by need", "按需求"), SpreadRule.PERFORMANCE: ("by performance", "按绩效"),
}
LINE_WORDS: dict[str, tuple[str, str]] = {
    "stations": ("Station funding", "社工站建设"),
    "demonstration": ("Demonstration", "示范社区"),
    "hub_awards": ("Hub awards", "枢纽组织奖励"),
    "purchased_services": ("Purchased services", "购买服务"),
    "fund_seed": ("Fund seed", "基金种子"),
}


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``describe``."""
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario TOML file, or a shipped scenario by name (e.g. changsha/city)")
    parser.add_argument("--set", dest="overrides", action="append", type=override, default=[], metavar="KEY=VALUE",
                        help="override a key, e.g. --set city.scale=0.01 or --set city.communities=100 (repeatable; TOML values)")
    parser.add_argument("--lang", type=language, metavar="{en,zh}", default=Lang.EN, help="language (default: en)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="text (default) or csv: one row per street")


def execute(args: argparse.Namespace) -> int:
    """Describe the file."""
    from sim.commands.describe_plan import describe

    description = describe(args.scenario, dict(args.overrides))
    if args.format == "csv":
        write_csv(description, args.lang)
    else:
        print(text(description, args.lang))
    return 0


def word(key: str, lang: Lang, **values: object) -> str:
    """A phrase in the reader's language, filled in."""
    return WORDS[key][1 if lang is Lang.ZH else 0].format(**values)


def header(d: Description, lang: Lang) -> list[tuple[str, str]]:
    """(label, value) lines above the table."""
    zh = lang is Lang.ZH
    s = d.scenario
    total = s.budget.total_yuan
    by_type = ("、" if zh else ", ").join(f"{t.name[zh]} {t.communities:,}" for t in d.types)
    communities = f"{len(s.communities):,}" + (f"（{by_type}）" if zh else f" ({by_type})") * bool(d.types)
    rule = RULE_WORDS[s.budget.spread_rule][zh]
    rule_text = (f"{rule}分配" if zh else rule) + (" " + word("per_capita_note", lang) if d.shown_per_capita else "")
    lines = [(word("communities", lang), communities),
             (word("residents", lang), f"{d.residents:,}" + (" 人" if zh else "")),
             (word("streets", lang), _streets_value(d, lang)),
             (word("stations", lang), f"{d.stations:,}"),
             (word("budget", lang), word("budget_value", lang, total=total, per=total / max(d.residents, 1), rule=rule_text)),
             (word("grid", lang), word("grid_value", lang, cells=d.cells, cell=s.cell_size_m, gb=d.memory_bytes / GB))]
    return lines


def _streets_value(d: Description, lang: Lang) -> str:
    """``189 (80 streets, 109 towns and townships)`` for a city; the count otherwise."""
    if d.city is None:
        return f"{len(d.streets):,}"
    kinds = {"street": 0, "town": 0}
    for street in d.streets:
        kinds[street.kind] += 1
    parts = [word(f"kind_{k}", lang, n=n, s="" if n == 1 else "s") for k, n in kinds.items() if n]
    return word("streets_value", lang, n=len(d.streets), kinds=("，" if lang is Lang.ZH else ", ").join(parts))


def columns(lang: Lang) -> list[str]:
    """Table headings."""
    zh = int(lang is Lang.ZH)
    return [word("district", lang), word("street", lang), word("communities", lang), word("residents", lang),
            word("stations", lang), *(LINE_WORDS[line][zh] for line in BUDGET_LINES), word("total", lang)]


def cells(row: StreetRow, lang: Lang) -> list[str]:
    """One street's cells, numbers with thousands separators."""
    zh = int(lang is Lang.ZH)
    return [row.district[zh], row.name[zh], f"{row.communities:,}", f"{row.residents:,}", f"{row.stations:,}",
            *(f"{row.yuan_by_line[line]:,.0f}" for line in BUDGET_LINES), f"{row.yuan:,.0f}"]


def total_row(d: Description) -> StreetRow:
    """The sum of every street."""
    rows = d.streets
    return StreetRow(("", ""), WORDS["total"], "", sum(r.communities for r in rows),
                     sum(r.residents for r in rows), sum(r.stations for r in rows),
                     {line: sum(r.yuan_by_line[line] for r in rows) for line in BUDGET_LINES})


def text(d: Description, lang: Lang) -> str:
    """The whole description as aligned text."""
    zh = lang is Lang.ZH
    s = d.scenario
    name = s.name_zh if zh and s.name_zh else s.name
    out = [f"{name}: {d.source}"]
    if d.city is not None:
        out.append(word("generated" if d.budget_from_city else "generated_budget_set", lang, seed=d.city.seed, scale=f"{d.city.scale:g}",
                        yuan=d.city.budget_yuan / d.city.residents))
    head = header(d, lang)
    pad = max(_width(label) for label, _ in head) + 2
    out += [f"  {label}{' ' * (pad - _width(label))}{value}" for label, value in head]
    out += ["", word("plan_note", lang)]
    table = [columns(lang), *(cells(r, lang) for r in d.streets), cells(total_row(d), lang)]
    if not any(r.district[0] for r in d.streets):
        table = [row[1:] for row in table]
    labels = 2 if len(table[0]) == len(columns(lang)) else 1  # text columns, left-aligned; numbers right-aligned
    widths = [max(_width(row[i]) for row in table) for i in range(len(table[0]))]
    for number, row in enumerate(table):
        texts = [cell + " " * (w - _width(cell)) if i < labels else " " * (w - _width(cell)) + cell
                 for i, (cell, w) in enumerate(zip(row, widths))]
        out.append("  " + "  ".join(texts).rstrip())
        if number in (0, len(table) - 2):
            out.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(out)


def write_csv(d: Description, lang: Lang) -> None:
    """One row per street and a total row, plain numbers (no separators)."""
    zh = int(lang is Lang.ZH)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns(lang))
    for row in [*d.streets, total_row(d)]:
        writer.writerow([row.district[zh], row.name[zh], row.communities, row.residents, row.stations,
                         *(round(row.yuan_by_line[line], 2) for line in BUDGET_LINES), round(row.yuan, 2)])

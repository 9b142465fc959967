"""HTML (self-contained: inline CSS and SVG, no external URL) and Markdown renderings of a report."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.kpi_table import format_difference, format_value, signed_number, with_unit
from sim.kpis import is_share, label, unit
from sim.report.context import MANY_COMMUNITIES, Context
from sim.report.parameters import parameter_name, parameter_value
from sim.report.stats import Interval
from sim.report.summary import Choice, decide_text
from sim.report.text import NOT_CAPTURED, p_text, t, verdict_word
from sim.report.verdicts import Judgement, Verdict

SPREAD_PERCENTILES = (0, 10, 50, 90, 100)
SPREAD_LABELS = ("lowest", "p10", "median", "p90", "highest")

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;
max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}
th:first-child,td:first-child,td.text,th.text{text-align:left}th{background:#f3f3f3}
.better{background:#e6f4ea}.worse{background:#fde8e6}.equivalent{color:#555}.unclear{color:#7a5b00}
figure{margin:1.5em 0}figcaption{font-weight:600;margin-bottom:.4em}figure svg{max-width:100%;height:auto}
.summary{background:#f6f8fa;border-left:4px solid #0969da;padding:.6em 1em}.summary li{margin:.3em 0}
.appendix{font-size:.78em}.appendix td{white-space:nowrap}.appendix td:nth-child(2){text-align:left;white-space:normal;min-width:9em}
.wide{overflow-x:auto}#verdicts td:nth-child(2){white-space:nowrap}
"""


@dataclass
class Report:
    """Everything a report shows, already computed from the store."""

    lang: str
    options: list[str]
    names: dict[str, str]
    baseline: str
    scenario_name: str  # the current plan's scenario name
    kpis: list[str]
    chosen: list[str]
    summary: list[str]
    context: Context
    differs: pd.DataFrame
    intervals: dict[tuple[str, str], Interval]
    judgements: dict[tuple[str, str], Judgement]
    choice: Choice
    figures: dict[str, str]
    metadata: list[tuple[str, str]]
    figure_files: dict[str, str] = field(default_factory=dict)
    sections: list = field(default_factory=list)  # extra sections (title, html, markdown), e.g. robustness

    @property
    def others(self) -> list[str]:
        """The options compared with the current plan."""
        return [o for o in self.options if o != self.baseline]


def _e(text: object) -> str:
    return html.escape(str(text))


def name_with_unit(kpi: str, lang: str) -> str:
    """"Needs met (needs)"; shares carry their % in the number."""
    word = unit(kpi, lang)
    if is_share(kpi) or not word:
        return label(kpi, lang)
    return f"{label(kpi, lang)}（{word}）" if lang == "zh" else f"{label(kpi, lang)} ({word})"


def interval_cell(kpi: str, iv: Interval) -> str:
    """``52.3% [51.0%, 53.6%]``: one format per row."""
    return f"{format_value(kpi, iv.mean)} [{format_value(kpi, iv.low)}, {format_value(kpi, iv.high)}]"


def difference_text(j: Judgement, lang: str) -> str:
    """``+1.8 points [1.2, 2.4]`` in the KPI's difference unit."""
    return f"{format_difference(j.kpi, j.diff.mean, lang)} {bounds(j.kpi, j.diff.low, j.diff.high)}"


def bounds(kpi: str, low: float, high: float) -> str:
    """``[+1.2, +2.4]`` (the unit is the difference's, written beside it)."""
    return f"[{signed_number(kpi, low)}, {signed_number(kpi, high)}]"


def verdict_cell(j: Judgement, lang: str) -> str:
    """The verdict and the difference, and for an unclear one the replications that would decide."""
    text = f"{verdict_word(j.verdict, lang)}: {difference_text(j, lang)}"
    if j.verdict is Verdict.UNCLEAR:
        text += ("；" if lang == "zh" else "; ") + decide_text(j.replications_needed, lang)
    return text


def to_html(report: Report) -> str:
    """The whole report as one self-contained HTML page."""
    lang = report.lang
    first, *rest = report.summary
    parts = [f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
             f"<title>{_e(t('title', lang))}</title><style>{CSS}</style></head><body>",
             f"<h1>{_e(t('title', lang))}</h1>",
             f"<h2>{t('summary', lang)}</h2><div class=\"summary\" id=\"summary\"><p><strong>{_e(first)}</strong></p>"
             + "<ul>" + "".join(f"<li>{_e(s)}</li>" for s in rest) + "</ul></div>",
             f"<h2>{t('context', lang)}</h2>", _context_html(report),
             f"<h2>{t('versus', lang)}</h2>", _verdict_html(report), _figure(report, "forest"),
             *(f'<h2>{_e(x.title)}</h2><div class="section">{x.html}</div>' for x in report.sections),
             f"<h2>{t('kpis', lang)}</h2>", _kpi_html(report),
             f"<h2>{t('figures', lang)}</h2>", *(_figure(report, k) for k in report.figures if k != "forest"),
             f"<h2>{t('appendix', lang)}</h2>", _appendix_html(report),
             f"<h2>{t('metadata', lang)}</h2><table>" + "".join(
                 f"<tr><th>{_e(k)}</th><td class=\"text\">{_e(v)}</td></tr>" for k, v in report.metadata) + "</table>",
             "</body></html>"]
    return "\n".join(parts)


def _figure(report: Report, key: str) -> str:
    return f'<figure id="fig-{key}"><figcaption>{_e(t("fig_" + key, report.lang))}</figcaption>{report.figures[key]}</figure>'


def context_lines(report: Report) -> list[str]:
    """The district, horizon, budget and the current plan in sentences."""
    c, lang = report.context, report.lang
    budget = with_unit("government_spent_yuan", c.budget_yuan, lang)
    per = f"{c.yuan_per_resident_year:,.1f}"
    if lang == "zh":
        return [f"辖区共{len(c.communities):,}个社区、{c.residents:,}名居民；模拟{c.days:,}天；政府年度预算{budget}，即每名居民每年{per}元。",
                f"现行方案为情景“{report.scenario_name}”；共比较{len(report.options)}个方案，每个方案的重复使用相同的随机种子（配对比较）。"]
    return [(f"{len(c.communities):,} communities with {c.residents:,} residents; {c.days:,} days simulated; a government budget of "
            f"{budget} a year, {per} yuan per resident a year."),
            (f"The current plan is the scenario \u201c{report.scenario_name}\u201d; {len(report.options)} options were compared, "
            "each run with the same random seeds (paired comparison).")]


def area_key(report: Report) -> str:
    """"city" for a city of many communities, else "district": the heading of the table of who lives there."""
    return "city" if len(report.context.communities) > MANY_COMMUNITIES else "district"


def district_table(report: Report) -> tuple[list[str], list[list[str]]]:
    """The district's table: one row per community, or, for a city of many communities, the spread of
    each measure over its communities (lowest, 10th percentile, median, 90th percentile, highest)."""
    lang, communities = report.lang, report.context.communities
    measures = ("elderly", "children", "disabled", "hardship")
    if len(communities) <= MANY_COMMUNITIES:
        return ([t(k, lang) for k in ("community", "residents", *measures)],
                [[m.name, f"{m.residents:,}", *(f"{100 * m.shares[g]:.0f}%" for g in measures)] for m in communities])
    rows = [[t("residents_per_community", lang),
             *(f"{v:,.0f}" for v in np.percentile([m.residents for m in communities], SPREAD_PERCENTILES))]]
    for g in measures:
        rows.append([t(g, lang), *(f"{100 * v:.0f}%" for v in np.percentile([m.shares[g] for m in communities], SPREAD_PERCENTILES))])
    return [t("across_communities", lang).format(n=len(communities)), *(t(k, lang) for k in SPREAD_LABELS)], rows


def _context_html(report: Report) -> str:
    lang = report.lang
    out = "".join(f"<p>{_e(line)}</p>" for line in context_lines(report))
    columns, table = district_table(report)
    head = "".join(f"<th>{_e(column)}</th>" for column in columns)
    rows = "".join("<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>" for row in table)
    out += f"<h3>{_e(t(area_key(report), lang))}</h3><table id=\"district\"><tr>{head}</tr>{rows}</table>"
    out += f"<h3>{_e(t('differs', lang))}</h3>" + _differs_html(report)
    out += f"<h3>{_e(t('sources', lang))}</h3>" + "".join(f"<p>{_e(line)}</p>" for line in source_lines(report))
    out += f"<h3>{_e(t('not_captured', lang))}</h3><ul>" + "".join(f"<li>{_e(x)}</li>" for x in NOT_CAPTURED[lang]) + "</ul>"
    return out


def source_lines(report: Report) -> list[str]:
    """Which inputs cite a source, which were fitted and which are assumed."""
    c, lang = report.context, report.lang
    if not c.sources_found:
        return ["情景文件已不在原处，无法列出各输入的来源；请查看情景文件中的注释。" if lang == "zh" else
                "The scenario files are no longer where the results say; see their comments for each input's source."]
    places = {m.key: m.name for m in c.communities}
    lines = []
    for mark, en, zh in (("sourced", "Cited from the source documents", "有文献来源"),
                         ("fitted", "Fitted to observed patterns (calibration)", "按观测模式校准"),
                         ("assumed", "Assumed (no source)", "假设（无来源）")):
        names = sorted(dict.fromkeys(_collapsed(k, lang, places) for k in c.provenance.get(mark, [])))
        if names:
            joined = ("、" if lang == "zh" else "; ").join(names)
            lines.append(f"{zh}（{len(c.provenance[mark])}项）：{joined}。" if lang == "zh" else f"{en} ({len(c.provenance[mark])}): {joined}.")
    return lines


def _collapsed(key: str, lang: str, places: dict[str, str]) -> str:
    """Per-community keys collapse to "each community: residents"."""
    parts = key.split(".")
    if parts[0] == "communities" and len(parts) > 2:
        head = "各社区" if lang == "zh" else "each community"
        return f"{head}：{parameter_name(parts[-1], lang)}" if lang == "zh" else f"{head}: {parameter_name(parts[-1], lang)}"
    return parameter_name(key, lang, places)


def _differs_html(report: Report) -> str:
    lang = report.lang
    if report.differs.empty:
        return f"<p>{t('no_differences', lang)}</p>"
    places = {m.key: m.name for m in report.context.communities}
    head = "".join(f"<th>{_e(report.names[o])}</th>" for o in report.differs.columns)
    rows = "".join(f"<tr><td>{_e(parameter_name(key, lang, places))}</td>"
                   + "".join(f"<td>{_e(parameter_value(key, v, lang))}</td>" for v in row) + "</tr>"
                   for key, row in report.differs.iterrows())
    return f"<table id=\"differs\"><tr><th>{t('parameter', lang)}</th>{head}</tr>{rows}</table>"


def _verdict_html(report: Report) -> str:
    lang = report.lang
    kpis = list(dict.fromkeys(k for (_, k) in report.judgements if k not in report.choice.equal))
    head = "".join(f"<th>{_e(report.names[o])}</th>" for o in report.others)
    rows = []
    for kpi in kpis:
        mid = format_difference(kpi, next(j.mid for (_, k), j in report.judgements.items() if k == kpi), lang).lstrip("+")
        cells = "".join(f'<td class="{report.judgements[(o, kpi)].verdict.value}">{_e(verdict_cell(report.judgements[(o, kpi)], lang))}</td>'
                        for o in report.others)
        rows.append(f"<tr><td>{_e(label(kpi, lang))}</td><td>±{_e(mid)}</td>{cells}</tr>")
    explain = ("更好／更差：整个95%置信区间超出最小重要差异；实际上相同：整个区间落在±最小重要差异之内（等效检验）；尚不明确：其余情况。"
               if lang == "zh" else "Better / worse: the whole 95% confidence interval lies beyond the smallest important "
               "difference; practically the same: the whole interval lies within ± that difference (an equivalence test); "
               "unclear: anything else.")
    return (f"<p>{_e(explain)}</p><table id=\"verdicts\"><tr><th>{t('indicator', lang)}</th><th>{t('mid', lang)}</th>{head}</tr>"
            + "".join(rows) + "</table>")


def _kpi_html(report: Report) -> str:
    lang = report.lang
    head = "".join(f"<th>{_e(report.names[o])}</th>" for o in report.options)
    rows = "".join(f"<tr><td>{_e(name_with_unit(k, lang))}</td>"
                   + "".join(f'<td data-kpi="{k}" data-value="{report.intervals[(o, k)].mean!r}">{_e(interval_cell(k, report.intervals[(o, k)]))}</td>'
                             for o in report.options) + "</tr>" for k in report.kpis)
    return f"<table id=\"kpis\"><tr><th>{t('indicator', lang)}</th>{head}</tr>{rows}</table>"


APPENDIX_COLUMNS = ("option", "indicator", "difference", "ci", "bootstrap", "p_value", "p_adjusted", "tost", "mid", "verdict", "needed")


def appendix_rows(report: Report) -> list[list[str]]:
    """Every comparison with every statistic (equal-by-design ones show no test)."""
    lang, rows = report.lang, []
    for (option, kpi), j in report.judgements.items():
        d = j.diff
        tested = j.verdict is not Verdict.EQUAL
        needed = f"{j.replications_needed:,.0f}" if math.isfinite(j.replications_needed) else "-"
        rows.append([report.names[option], label(kpi, lang), format_difference(kpi, d.mean, lang), bounds(kpi, d.low, d.high),
                     bounds(kpi, d.boot_low, d.boot_high) if tested else "-", p_text(d.p_value) if tested else "-",
                     p_text(d.p_adjusted) if tested else "-", p_text(j.equivalence_p) if tested else "-",
                     format_difference(kpi, j.mid, lang).lstrip("+"), verdict_word(j.verdict, lang), needed])
    return rows


def _appendix_html(report: Report) -> str:
    head = "".join(f"<th>{_e(t(k, report.lang))}</th>" for k in APPENDIX_COLUMNS)
    body = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>" for row in appendix_rows(report))
    return f"<div class=\"wide\"><table id=\"appendix\" class=\"appendix\"><tr>{head}</tr>{body}</table></div>"


def to_markdown(report: Report) -> str:
    """The same report in Markdown, figures linked from ``figures/``."""
    lang = report.lang
    first, *rest = report.summary
    lines = [f"# {t('title', lang)}", "", f"## {t('summary', lang)}", "", f"**{first}**", "", *[f"- {s}" for s in rest], "",
             f"## {t('context', lang)}", "", *context_lines(report), ""]
    columns, table = district_table(report)
    lines += [f"### {t(area_key(report), lang)}", "", "| " + " | ".join(columns) + " |", "|---" * len(columns) + "|",
              *["| " + " | ".join(row) + " |" for row in table], ""]
    lines += [f"### {t('differs', lang)}", ""]
    if report.differs.empty:
        lines += [t("no_differences", lang), ""]
    else:
        places = {m.key: m.name for m in report.context.communities}
        lines += [f"| {t('parameter', lang)} | " + " | ".join(report.names[o] for o in report.differs.columns) + " |",
                  "|---" * (len(report.differs.columns) + 1) + "|",
                  *[f"| {parameter_name(key, lang, places)} | " + " | ".join(parameter_value(key, v, lang) for v in row) + " |"
                    for key, row in report.differs.iterrows()], ""]
    lines += [f"### {t('sources', lang)}", "", *source_lines(report), "", f"### {t('not_captured', lang)}", "",
              *[f"- {x}" for x in NOT_CAPTURED[lang]], ""]
    lines += [f"## {t('versus', lang)}", "", f"| {t('indicator', lang)} | " + " | ".join(report.names[o] for o in report.others) + " |",
              "|---" * (len(report.others) + 1) + "|"]
    kpis = list(dict.fromkeys(k for (_, k) in report.judgements if k not in report.choice.equal))
    lines += [f"| {label(k, lang)} | " + " | ".join(verdict_cell(report.judgements[(o, k)], lang) for o in report.others) + " |" for k in kpis]
    for extra in report.sections:
        lines += ["", f"## {extra.title}", "", extra.markdown]
    lines += ["", f"## {t('kpis', lang)}", "", f"| {t('indicator', lang)} | " + " | ".join(report.names[o] for o in report.options) + " |",
              "|---" * (len(report.options) + 1) + "|"]
    lines += [f"| {name_with_unit(k, lang)} | " + " | ".join(interval_cell(k, report.intervals[(o, k)]) for o in report.options) + " |"
              for k in report.kpis]
    lines += ["", f"## {t('figures', lang)}", ""]
    lines += [f"![{t('fig_' + key, lang)}]({path})\n" for key, path in report.figure_files.items()]
    lines += [f"## {t('appendix', lang)}", "", "| " + " | ".join(t(k, lang) for k in APPENDIX_COLUMNS) + " |",
              "|---" * len(APPENDIX_COLUMNS) + "|", *["| " + " | ".join(row) + " |" for row in appendix_rows(report)], ""]
    lines += [f"## {t('metadata', lang)}", ""] + [f"- {k}: {v}" for k, v in report.metadata]
    return "\n".join(lines) + "\n"

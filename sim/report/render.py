"""HTML (self-contained: inline CSS and SVG, no external URL) and Markdown renderings of a report."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import pandas as pd

from sim.kpi_table import format_value
from sim.labels import label
from sim.report.stats import Difference, Interval
from sim.report.tables import Adequacy
from sim.report.text import amount, interval_text, p_text, sentence, t

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;
max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}
th:first-child,td:first-child,td.text,th.text{text-align:left}th{background:#f3f3f3}.better{color:#1a7f37}.worse{color:#b42318}
figure{margin:1.5em 0}figcaption{font-weight:600;margin-bottom:.4em}figure svg{max-width:100%;height:auto}
.summary{background:#f6f8fa;border-left:4px solid #0969da;padding:.6em 1em}code{font-size:.85em}
"""


@dataclass
class Report:
    """Everything a report shows, already computed from the store."""

    lang: str
    options: list[str]
    names: dict[str, str]
    baseline: str
    kpis: list[str]
    chosen: list[str]
    summary: list[str]
    differs: pd.DataFrame
    intervals: dict[tuple[str, str], Interval]
    diffs: dict[tuple[str, str], Difference]
    adequacy: list[Adequacy]
    figures: dict[str, str]
    metadata: list[tuple[str, str]]
    figure_files: dict[str, str] = field(default_factory=dict)


def _cell(kpi: str, iv: Interval) -> str:
    text = f"{format_value(kpi, iv.mean)} [{format_value(kpi, iv.low)}, {format_value(kpi, iv.high)}]"
    return f'<td data-kpi="{kpi}" data-value="{iv.mean!r}">{html.escape(text)}</td>'


def _option_name(report: Report, option: str) -> str:
    tag = f" ({t('baseline_tag', report.lang)})" if option == report.baseline else ""
    return report.names[option] + tag


def to_html(report: Report) -> str:
    """The whole report as one self-contained HTML page."""
    lang = report.lang
    parts = [f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
             f"<title>{html.escape(t('title', lang))}</title><style>{CSS}</style></head><body>",
             f"<h1>{html.escape(t('title', lang))}</h1>",
             f"<h2>{t('summary', lang)}</h2><div class=\"summary\"><p>{html.escape(report.summary[0])}</p>"
             + (f"<p><strong>{t('key_findings', lang)}</strong></p><ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in report.summary[1:]) + "</ul>"
                if len(report.summary) > 1 else "") + "</div>",
             f"<h2>{t('differs', lang)}</h2>", _differs_html(report),
             f"<h2>{t('kpis', lang)}</h2>", _kpi_html(report),
             f"<h2>{t('versus', lang)}</h2>", _diff_html(report),
             f"<h2>{t('enough', lang)}</h2>", _adequacy_html(report),
             f"<h2>{t('figures', lang)}</h2>"]
    for key, svg in report.figures.items():
        parts.append(f'<figure id="fig-{key}"><figcaption>{html.escape(t("fig_" + key, lang))}</figcaption>{svg}</figure>')
    parts.append(f"<h2>{t('metadata', lang)}</h2><table>" + "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in report.metadata) + "</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _differs_html(report: Report) -> str:
    if report.differs.empty:
        return f"<p>{t('no_differences', report.lang)}</p>"
    head = "".join(f"<th>{html.escape(_option_name(report, o))}</th>" for o in report.differs.columns)
    rows = "".join(f"<tr><td><code>{html.escape(key)}</code></td>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for key, row in report.differs.iterrows())
    return f"<table id=\"differs\"><tr><th>{t('parameter', report.lang)}</th>{head}</tr>{rows}</table>"


def _kpi_html(report: Report) -> str:
    head = "".join(f"<th>{html.escape(_option_name(report, o))}</th>" for o in report.options)
    rows = "".join(f"<tr><td>{html.escape(label(k, report.lang))}</td>" + "".join(_cell(k, report.intervals[(o, k)]) for o in report.options) + "</tr>"
                   for k in report.kpis)
    return f"<table id=\"kpis\"><tr><th>{t('indicator', report.lang)}</th>{head}</tr>{rows}</table>"


def _diff_html(report: Report) -> str:
    lang, rows = report.lang, []
    for (option, kpi), d in report.diffs.items():
        text = f"{amount(kpi, d.mean, lang)} {interval_text(kpi, d.low, d.high)}"
        p = p_text(d.p_adjusted).removeprefix("= ")
        boot = interval_text(kpi, d.boot_low, d.boot_high)
        rows.append(f"<tr><td>{html.escape(report.names[option])}</td><td class=\"text\">{html.escape(label(kpi, lang))}</td>"
                    f"<td>{html.escape(text)}</td><td>{html.escape(boot)}</td><td>{p}</td><td class=\"text\">{html.escape(sentence(report.names[option], report.names[report.baseline], kpi, d, lang))}</td></tr>")
    head = "".join(f"<th>{t(k, lang)}</th>" for k in ("option", "indicator", "difference", "bootstrap", "p_adjusted", "finding"))
    return f"<table id=\"differences\"><tr>{head}</tr>{''.join(rows)}</table>"


def _adequacy_html(report: Report) -> str:
    lang, rows = report.lang, []
    for a in report.adequacy:
        pair = " / ".join(report.names.get(o, o) for o in a.closest if o)
        needed = "-" if not math.isfinite(a.needed) else f"{a.needed:.0f}"
        rows.append(f"<tr><td>{html.escape(label(a.kpi, lang))}</td><td>{html.escape(amount(a.kpi, a.max_half_width, lang))}</td>"
                    f"<td>{html.escape(pair)}</td><td>{html.escape(amount(a.kpi, a.closest_difference, lang))}</td><td>{needed}</td></tr>")
    head = "".join(f"<th>{t(k, lang)}</th>" for k in ("indicator", "half_width", "closest", "closest_diff", "needed"))
    return f"<table id=\"adequacy\"><tr>{head}</tr>{''.join(rows)}</table>"


def to_markdown(report: Report) -> str:
    """The same report in Markdown, figures linked from ``figures/``."""
    lang = report.lang
    lines = [f"# {t('title', lang)}", "", f"## {t('summary', lang)}", "", report.summary[0], ""]
    if len(report.summary) > 1:
        lines += [f"**{t('key_findings', lang)}**", "", *[f"- {s}" for s in report.summary[1:]], ""]
    lines += [f"## {t('differs', lang)}", ""]
    if report.differs.empty:
        lines.append(t("no_differences", lang))
    else:
        lines += [f"| {t('parameter', lang)} | " + " | ".join(_option_name(report, o) for o in report.differs.columns) + " |",
                  "|---" * (len(report.differs.columns) + 1) + "|"]
        lines += [f"| `{key}` | " + " | ".join(str(v) for v in row) + " |" for key, row in report.differs.iterrows()]
    lines += ["", f"## {t('kpis', lang)}", "", f"| {t('indicator', lang)} | " + " | ".join(_option_name(report, o) for o in report.options) + " |",
              "|---" * (len(report.options) + 1) + "|"]
    for k in report.kpis:
        cells = [report.intervals[(o, k)] for o in report.options]
        lines.append(f"| {label(k, lang)} | " + " | ".join(f"{format_value(k, iv.mean)} [{format_value(k, iv.low)}, {format_value(k, iv.high)}]" for iv in cells) + " |")
    lines += ["", f"## {t('versus', lang)}", ""]
    lines += [f"- {sentence(report.names[o], report.names[report.baseline], k, d, lang)}" for (o, k), d in report.diffs.items()]
    lines += ["", f"## {t('enough', lang)}", ""]
    for a in report.adequacy:
        needed = "-" if not math.isfinite(a.needed) else f"{a.needed:.0f}"
        lines.append(f"- {label(a.kpi, lang)}: {t('half_width', lang)} {amount(a.kpi, a.max_half_width, lang)}; "
                     f"{t('closest', lang)} {' / '.join(report.names.get(o, o) for o in a.closest if o)} "
                     f"({amount(a.kpi, a.closest_difference, lang)}); {t('needed', lang)}: {needed}")
    lines += ["", f"## {t('figures', lang)}", ""]
    lines += [f"![{t('fig_' + key, lang)}]({path})\n" for key, path in report.figure_files.items()]
    lines += [f"## {t('metadata', lang)}", ""] + [f"- {k}: {v}" for k, v in report.metadata]
    return "\n".join(lines) + "\n"

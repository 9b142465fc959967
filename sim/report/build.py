"""Build a comparison report from a result store alone (it never re-runs the model)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import ScenarioError
from sim.kpis import DECISION_KPIS, KPIS, MAIN_KPIS
from sim.report import figures
from sim.report.context import build_context, in_model_order
from sim.report.render import Report, to_html, to_markdown
from sim.experiment.results import Completeness
from sim.report.summary import (
    decide,
    equal_line,
    option_lines,
    recommendation,
    same_line,
)
from sim.report.tables import (
    differences,
    differing_parameters,
    kpi_intervals,
    summary_frame,
)
from sim.report.text import t
from sim.report.verdicts import Mid

DEFAULT_KPIS = ("coverage", "coverage_hardship", "cost_per_need_met_yuan")
PEOPLE_KPIS = ("needs_met", "hardship_residents_helped")  # judged to put differences into people


def build_report(results_dir: str | Path, lang: str = "zh", baseline: str | None = None,
                 kpis: list[str] | None = None, out_dir: str | Path | None = None,
                 mids: dict[str, Mid] | None = None) -> Path:
    """Write report.html, report.md, figures/*.svg and summary.csv; returns the HTML's path.

    ``mids`` overrides KPIs' smallest important differences (``sim.kpis``) by key.
    """
    from sim.experiment import results as store

    results_dir = Path(results_dir)
    store.store_path(results_dir)  # ScenarioError when there is no store
    scenarios = store.load_scenarios(results_dir)
    settings = _settings(results_dir)
    swept = settings is None and bool(scenarios.duplicated("scenario").any())
    raw = store.load_results(results_dir)
    runs = _by_point(raw, swept, pooled=settings is not None)
    ok = runs[runs["status"] == "ok"]
    if ok.empty:
        raise ScenarioError([f"{results_dir}: no finished runs to report on"])
    scenarios = _by_point(scenarios, swept)
    options = _options(scenarios, ok)
    base = _baseline(baseline, options, scenarios, results_dir)
    chosen = _chosen(kpis, ok)
    report = _assemble(results_dir, store, runs, ok, scenarios, options, base, chosen, lang, swept, mids or {},
                       pooled=settings is not None)
    if settings is not None:
        from sim.advise.robustness import section

        report.sections.append(section(raw[raw["status"] == "ok"], settings, options, base, chosen, report.names,
                                       lang, mids))
    out = Path(out_dir) if out_dir else results_dir / f"report-{lang}"
    table = summary_frame(report.intervals, report.judgements, options, report.kpis, base, report.names, lang)
    return write(report, table, out)


def partial_lines(done: Completeness, names: dict[str, str], swept: bool, lang: str) -> list[str]:
    """A first warning when the store holds fewer runs than planned: how many, option by option."""
    if done.complete:
        return []
    totals: dict[str, list[int]] = {}  # per option's display name (sampled settings of one option add up)
    for o in done.options:
        name = names.get(f"{o.scenario} #{o.point}" if swept else o.scenario, o.scenario)
        have_want = totals.setdefault(name, [0, 0])
        have_want[0] += min(o.planned, o.stored)
        have_want[1] += o.planned
    counts = [(name, have, want) for name, (have, want) in totals.items()]
    stored, planned = sum(c[1] for c in counts), sum(c[2] for c in counts)
    missing = done.options_planned - len(done.options)
    if lang == "zh":
        each = "；".join(f"{name} {have}/{want} 次" for name, have, want in counts)
        more = f"；另有 {missing} 个方案尚无结果" if missing > 0 else ""
        return [f"结果不完整：计划 {planned:,} 次运行，已存 {stored:,} 次（{each}{more}）。以下结论仅基于已完成的运行，补齐后请重新生成报告。"]
    each = "; ".join(f"{name} {have} of {want}" for name, have, want in counts)
    more = f"; {missing} more options have no runs yet" if missing > 0 else ""
    return [f"Partial results: {stored:,} of {planned:,} planned runs are stored ({each}{more}). "
            "The findings below rest on the finished runs only; rerun the command to complete them, then rebuild the report."]


def _settings(results_dir: Path):
    """The sampled settings of uncertain inputs the store was run under (None for most stores)."""
    from sim.advise.robustness import stored_settings

    return stored_settings(results_dir)


def _by_point(frame: pd.DataFrame, swept: bool, pooled: bool = False) -> pd.DataFrame:
    """In a sweep each (scenario, point) is an option of its own: "label #point". Under sampled
    settings (``pooled``) the points are settings: runs pair by (setting, replication)."""
    if pooled:
        from sim.advise.robustness import pool_settings

        return pool_settings(frame)
    if not swept or frame.empty:
        return frame
    return frame.assign(scenario=frame["scenario"] + " #" + frame["point"].astype(str))


def _options(scenarios: pd.DataFrame, ok: pd.DataFrame) -> list[str]:
    order = list(dict.fromkeys(scenarios["scenario"]))
    return [o for o in order if o in set(ok["scenario"])]


def _baseline(requested: str | None, options: list[str], scenarios: pd.DataFrame, where: Path) -> str:
    if requested is None:
        return options[0]
    stem = Path(requested).stem
    for option, source in zip(scenarios["scenario"], scenarios["source_path"]):
        if requested in (option, source) or stem in (option, Path(str(source)).stem):
            if option in options:
                return option
    raise ScenarioError([f"--baseline: {requested} is not one of the compared scenarios (allowed: {', '.join(options)})"])


def _chosen(kpis: list[str] | None, ok: pd.DataFrame) -> list[str]:
    chosen = list(kpis or DEFAULT_KPIS)
    unknown = [k for k in chosen if k not in ok.columns]
    if unknown:
        allowed = ", ".join(k for k in KPIS if k in ok.columns)
        raise ScenarioError([f"--kpi: {k} is not a stored KPI (allowed: {allowed})" for k in unknown])
    return chosen


def _assemble(results_dir: Path, store, runs: pd.DataFrame, ok: pd.DataFrame, scenarios: pd.DataFrame,
              options: list[str], base: str, chosen: list[str], lang: str, swept: bool, mids: dict[str, Mid],
              pooled: bool = False) -> Report:
    first = scenarios.drop_duplicates("scenario").set_index("scenario")
    names = _names(first, options, lang, swept)
    scenario_name = names[base]
    names = {o: name[:1].upper() + name[1:] for o, name in names.items()}
    names[base] = t("current_plan", lang)
    resolved = first.loc[base, "resolved"]
    main = list(dict.fromkeys([*chosen, *(k for k in MAIN_KPIS if k in ok.columns)]))
    compared = list(dict.fromkeys([*chosen, *(k for k in (*DECISION_KPIS, *PEOPLE_KPIS) if k in ok.columns)]))
    intervals = kpi_intervals(ok, options, list(dict.fromkeys([*main, *compared])))
    judgements = differences(ok, options, base, compared, mids)
    choice = decide(options, base, chosen, judgements)
    summary = [recommendation(choice, names, base, chosen, judgements, intervals, int(resolved.get("days", 365)), lang),
               *option_lines(choice, names, base, intervals, lang)]
    summary += [line for line in (same_line(choice, names, base, chosen, lang), equal_line(choice, intervals, base, lang)) if line]
    summary = [*partial_lines(store.completeness(results_dir), names, swept, lang), *summary]
    ok_ids = set(ok["run_id"])
    context = build_context(resolved, first.loc[base, "source_path"], lang)
    places = {c.key: c.name for c in context.communities}  # in the model's order when known
    figs = {
        "forest": figures.forest(judgements, names, base, lang),
        "series": figures.series_bands(_by_point(_only(store.load_series(results_dir, list(figures.SERIES_KPIS)), ok_ids), swept, pooled),
                                       names, base, lang),
        "groups": figures.coverage_by_group(ok, names, base, lang),
        "equity": figures.equity(_by_point(_only(store.load_communities(results_dir), ok_ids), swept, pooled), names, base, places, lang),
        "map": figures.unmet_difference_maps(_mean_maps(results_dir, store, ok, options), names, base,
                                             _blocks(in_model_order(resolved, first.loc[base, "source_path"]), places), lang),
        "money": figures.money(ok, names, base, lang),
    }
    return Report(lang, options, names, base, scenario_name, main, chosen, summary, context,
                  differing_parameters({o: first.loc[o, "resolved"] for o in options}), intervals, judgements, choice,
                  figs, _metadata(results_dir, store, runs, ok, first, options, names, lang))


def _blocks(resolved: dict | None, places: dict[str, str]) -> list[tuple[str, tuple[int, int, int, int]]]:
    """Community rectangles of the district grid (the scenario's geometry, not a model run); none when
    the communities' order is unknown (``in_model_order``)."""
    from pydantic import ValidationError

    from sim.scenario import Scenario
    from sim.world import build_layout

    if resolved is None:
        return []
    try:
        layout = build_layout(Scenario.model_validate(resolved))
    except ValidationError:  # a store written by an older schema: maps without outlines
        return []
    return [(places.get(b.name, b.name), b.rect) for b in layout.blocks]


def _only(frame: pd.DataFrame, run_ids: set[str]) -> pd.DataFrame:
    """Rows of finished (ok) runs only."""
    return frame[frame["run_id"].isin(run_ids)]


def _names(first: pd.DataFrame, options: list[str], lang: str, swept: bool) -> dict[str, str]:
    """Display names: Chinese names in Chinese reports, a prefix shared by every variant dropped, sweep points numbered."""
    resolved = {o: first.loc[o, "resolved"] for o in options}
    names = {o: (lang == "zh" and resolved[o].get("name_zh")) or str(first.loc[o, "name"]) for o in options}
    names = _drop_shared_suffix(_drop_shared_prefix(names, options[1:]))
    if swept:
        names = {o: f"{names[o]} #{o.rpartition(' #')[2]}" for o in options}
    if len(set(names.values())) < len(names):
        return {o: f"{names[o]} ({o})" for o in options}
    return names


def _drop_shared_prefix(names: dict[str, str], variants: list[str]) -> dict[str, str]:
    """"Changsha district: platform matching" -> "platform matching" when every variant says "Changsha district: "."""
    heads = {names[o].partition(": ")[0] for o in variants if ": " in names[o]}
    if len(variants) < 2 or len(heads) != 1 or not all(": " in names[o] for o in variants):
        return names
    return {o: names[o].partition(": ")[2] if o in variants else names[o] for o in names}


def _drop_shared_suffix(names: dict[str, str]) -> dict[str, str]:
    """"Stations-heavy split (1,884 communities, 10,420,600 residents)" -> "Stations-heavy split" when every
    option ends with the same size in brackets (a generated city's names; the context states the size once)."""
    tails = set()
    for name in names.values():
        cut = max(name.rfind(" ("), name.rfind("（"))
        tails.add(name[cut:] if cut > 0 and name.endswith((")", "）")) else None)
    if len(names) < 2 or len(tails) != 1 or None in tails:
        return names
    tail = tails.pop()
    return {o: name[: -len(tail)] for o, name in names.items()}


def _mean_maps(results_dir: Path, store, ok: pd.DataFrame, options: list[str]) -> dict[str, np.ndarray]:
    maps = {}
    for option in options:
        grids = [store.load_unmet_map(results_dir, run_id) for run_id in ok.loc[ok["scenario"] == option, "run_id"]]
        maps[option] = np.mean(grids, axis=0)
    return maps


def _metadata(results_dir, store, runs, ok, first, options, names, lang) -> list[tuple[str, str]]:
    meta = store.load_metadata(results_dir)
    last = meta.iloc[-1] if len(meta) else {}
    seeds = sorted(set(ok["seed"].tolist()))
    failed = int((runs["status"] != "ok").sum())
    return [
        (t("meta_version", lang), str(last.get("package_version", "?"))),
        (t("meta_git", lang), str(last.get("git_hash", "") or "-")),
        (t("meta_date", lang), dt.date.today().isoformat()),
        (t("meta_runs", lang), f"{len(ok)} / {failed}" + (f" ({t('failed_note', lang)})" if failed else "")),
        (t("meta_replications", lang), ", ".join(f"{names[o]}: {int((ok['scenario'] == o).sum())}" for o in options)),
        (t("meta_seeds", lang), ", ".join(map(str, seeds[:20])) + (" ..." if len(seeds) > 20 else "")),
        (t("meta_hashes", lang), ", ".join(f"{names[o]}: {first.loc[o, 'scenario_hash']}" for o in options)),
        (t("meta_source", lang), str(results_dir)),
    ]


def write(report: Report, summary: pd.DataFrame, out: Path) -> Path:
    """Write the report's files into ``out``."""
    (out / "figures").mkdir(parents=True, exist_ok=True)
    for key, svg in report.figures.items():
        (out / "figures" / f"{key}.svg").write_text(svg, encoding="utf-8")
        report.figure_files[key] = f"figures/{key}.svg"
    for section in report.sections:  # shown inside their own section
        for key, svg in section.figures.items():
            (out / "figures" / f"{key}.svg").write_text(svg, encoding="utf-8")
    summary.to_csv(out / "summary.csv", index=False)
    (out / "report.md").write_text(to_markdown(report), encoding="utf-8")
    path = out / "report.html"
    path.write_text(to_html(report), encoding="utf-8")
    return path

"""``python -m sim optimise SCENARIO --kpi K [--constraint 'coverage>=BASE-1pt'] [--budget-runs N] ...``: the best split under noise."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from sim.commands.experiment_options import (
    add_executor_arguments,
    add_seed_and_days,
    add_uncertainty_arguments,
    paired_backend,
    uncertainty_settings,
)
from sim.commands.options import non_negative_int, positive_int


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``optimise``."""
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario TOML file")
    parser.add_argument("--kpi", default="coverage_hardship", help="KPI to improve (default: coverage_hardship)")
    parser.add_argument("--constraint", dest="constraints", action="append", default=[], metavar="RULE",
                        help="must still hold (repeatable): coverage>=BASE-1pt, cost_per_need_met_yuan<=BASE+5%%, coverage>=0.3")
    parser.add_argument("--budget-runs", type=positive_int, default=150,
                        help="runs the search may spend (default: 150; the confirmation adds 2 x --confirm-replications)")
    parser.add_argument("--candidates", type=non_negative_int, default=12,
                        help="low-discrepancy splits besides the scenario's own and each line alone (default: 12)")
    parser.add_argument("--max-replications", type=positive_int, default=12,
                        help="most replications a candidate gets in the race (default: 12)")
    parser.add_argument("--confirm-replications", type=positive_int, default=20,
                        help="fresh-seed replications of the winner and the scenario (default: 20)")
    add_seed_and_days(parser)
    add_uncertainty_arguments(parser, "pairs pooled by setting and replication")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="summary and report language (default: zh)")
    add_executor_arguments(parser)


def execute(args: argparse.Namespace) -> int:
    """Search, confirm, write optimised.toml, optimise.json and the report; print the verdict."""
    from sim.advise.optimise import OptimiseSettings, confirm, search, summary_text
    from sim.loading import load_scenario

    scenario = load_scenario(args.scenario)
    settings = OptimiseSettings(kpi=args.kpi, constraints=tuple(args.constraints), candidates=args.candidates,
                                max_replications=args.max_replications, budget_runs=args.budget_runs,
                                confirm_replications=args.confirm_replications)
    uncertain = uncertainty_settings(args)
    backend = paired_backend(args)
    overrides = dict(args.overrides)
    outcome = search(args.scenario, settings, args.out, backend, args.seed, args.days, overrides, uncertain)
    outcome = confirm(args.scenario, outcome, settings, backend, args.seed, args.days, overrides, scenario.name,
                      uncertain)
    if outcome.confirmation:
        from sim.report import build_report

        folder = outcome.confirmation["folder"]
        outcome.report = str(build_report(folder, lang=args.lang, baseline=outcome.confirmation["baseline"],
                                          kpis=_report_kpis(settings)))
    text = {lang: summary_text(outcome, lang) for lang in ("en", "zh")}
    _write(outcome, text, args)
    print(text[args.lang])
    print(f"results: {outcome.out_dir}")
    return 0


def _report_kpis(settings) -> list[str]:
    from sim.advise.optimise import parse_constraint

    keys = [settings.kpi] + [parse_constraint(c).kpi for c in settings.constraints]
    return list(dict.fromkeys([*keys, "coverage", "needs_met", "government_spent_yuan"]))


def _write(outcome, text: dict[str, str], args: argparse.Namespace) -> None:
    from pathlib import Path

    out = Path(outcome.out_dir)
    (out / "optimise.json").write_text(json.dumps(asdict(outcome), ensure_ascii=False, indent=1, default=str),
                                       encoding="utf-8")
    for lang, body in text.items():
        (out / f"optimise-{lang}.txt").write_text(body + "\n", encoding="utf-8")

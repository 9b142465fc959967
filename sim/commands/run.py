"""``python -m sim run SCENARIO [--seed N] [--days N] [--json]``."""

from __future__ import annotations

import argparse
import json

from sim.commands.options import days, language, override, seed
from sim.kpi_table import format_kpis
from sim.kpis import Lang


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``run``."""
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario TOML file, or a shipped scenario by name (e.g. changsha/base)")
    parser.add_argument("--seed", type=seed, default=None, help="seed (default: the scenario's)")
    parser.add_argument("--days", type=days, default=None, help="days to run (default: the scenario's)")
    parser.add_argument("--set", dest="overrides", action="append", type=override, default=[], metavar="KEY=VALUE",
                        help="override a scenario key, e.g. --set budget.total_yuan=8e5 (repeatable; TOML values)")
    parser.add_argument("--json", action="store_true", help="print one JSON object of KPIs")
    parser.add_argument("--lang", type=language, metavar="{en,zh}", default=Lang.EN, help="language of the table (default: en)")
    parser.add_argument("--all", action="store_true", help="show every KPI, not only the main ones")


def execute(args: argparse.Namespace) -> int:
    """Run once and print the KPIs."""
    from sim.limits import check_memory
    from sim.loading import load_scenario
    from sim.run import simulate

    scenario = load_scenario(args.scenario, dict(args.overrides))
    check_memory(scenario, args.scenario)
    result = simulate(scenario, seed=args.seed, days=args.days)
    if args.json:
        print(json.dumps(result.kpis, sort_keys=True))
    else:
        seed = scenario.seed if args.seed is None else args.seed
        days = scenario.days if args.days is None else args.days
        print(f"{scenario.name}: {args.scenario}, seed {seed}, {days} days")
        print(format_kpis(result.kpis, lang=args.lang, all_keys=args.all))
    return 0

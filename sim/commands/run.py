"""``python -m sim run SCENARIO [--seed N] [--days N] [--json]``.

Run as the process's one command (``python -m sim run``, the installed script), it exits as soon
as its output is flushed, without tearing the interpreter down object by object: a city-scale
run's teardown would cost time and show nothing. Called in-process (``sim.cli.main([...])``) it
returns its exit code like every command.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

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
    check_memory(scenario, args.scenario, days=args.days)
    result = simulate(scenario, seed=args.seed, days=args.days)
    if args.json:
        print(json.dumps(result.kpis, sort_keys=True))
    else:
        seed = scenario.seed if args.seed is None else args.seed
        days = scenario.days if args.days is None else args.days
        print(f"{scenario.name}: {args.scenario}, seed {seed}, {days} days")
        print(format_kpis(result.kpis, lang=args.lang, all_keys=args.all))
    if one_shot_process():
        exit_now(0)
    return 0


def one_shot_process() -> bool:
    """True when this process is the command line itself (``python -m sim``, ``five-society-sim``), not a caller of ``sim.cli.main``."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return (spec is not None and spec.name == "sim.__main__") or Path(sys.argv[0]).name == "five-society-sim"


def exit_now(code: int) -> None:
    """Flush what was written, then end the process with ``code`` without freeing every object first."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)

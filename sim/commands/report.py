"""``python -m sim report RESULTS_DIR [--lang zh|en] [--baseline S] [--kpi K]... [--mid KPI=VALUE]... [--out DIR]``: rebuild a report from the store alone."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from sim.commands.options import language
from sim.errors import ScenarioError
from sim.kpis import KPIS, Lang, Relative, is_share


def mid_argument(text: str) -> tuple[str, float | Relative]:
    """``--mid`` type: ``coverage=2`` (points for shares), ``cost_per_need_met_yuan=5%`` (of the baseline), ``mean_days_to_service=1``."""
    key, sep, raw = (part.strip() for part in text.partition("="))
    if not sep or not key or not raw:
        raise argparse.ArgumentTypeError(f"{text!r} is not KPI=VALUE (e.g. coverage=2 for 2 points, cost_per_need_met_yuan=5%)")
    if key not in KPIS:
        raise argparse.ArgumentTypeError(f"{key} is not a KPI (allowed: {', '.join(KPIS)})")
    relative = raw.endswith("%")
    try:
        value = float(raw.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: {raw!r} is not a number (e.g. {key}=2 or {key}=5%)") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: the smallest important difference must be >= 0")
    if relative:
        return key, Relative(value / 100.0)
    return key, value / 100.0 if is_share(key) else value


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """``--lang``, ``--baseline``, ``--mid``, ``--kpi`` (shared with ``compare``)."""
    parser.add_argument("--lang", type=language, metavar="{zh,en}", default=Lang.ZH, help="report language (default: zh)")
    parser.add_argument("--baseline", default=None, metavar="SCENARIO",
                        help="the option the others are compared with (default: the first scenario)")
    parser.add_argument("--mid", dest="mids", action="append", type=mid_argument, default=None, metavar="KPI=VALUE",
                        help="smallest difference that matters on a KPI (repeatable): coverage=2 (points for shares), "
                             "cost_per_need_met_yuan=5%% (of the current plan), mean_days_to_service=1 (the KPI's unit)")
    parser.add_argument("--kpi", dest="kpis", action="append", default=None, metavar="KPI",
                        help="KPI the summary ranks on (repeatable; default: coverage, coverage_hardship, cost_per_need_met_yuan)")


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``report``."""
    parser.add_argument("results", metavar="RESULTS_DIR", help="a folder written by compare or sweep")
    add_report_arguments(parser)
    parser.add_argument("--out", default=None, metavar="DIR", help="report folder (default: RESULTS_DIR/report-LANG)")


def execute(args: argparse.Namespace) -> int:
    """Build the report and print the HTML's path."""
    if not Path(args.results).is_dir():
        raise ScenarioError([f"{args.results}: not a folder (allowed: a results folder written by compare or sweep)"])
    from sim.experiment.results import completeness
    from sim.report import build_report

    for line in completeness(args.results).lines():
        print(line, file=sys.stderr)
    print(build_report(args.results, lang=args.lang, baseline=args.baseline, kpis=args.kpis, out_dir=args.out,
                       mids=dict(args.mids or [])))
    return 0

"""``python -m sim report RESULTS_DIR [--lang zh|en] [--baseline S] [--kpi K]... [--out DIR]``: rebuild a report from the store alone."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.errors import ScenarioError


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """``--lang``, ``--baseline``, ``--kpi`` (shared with ``compare``)."""
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="report language (default: zh)")
    parser.add_argument("--baseline", default=None, metavar="SCENARIO",
                        help="the option the others are compared with (default: the first scenario)")
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
    print(build_report(args.results, lang=args.lang, baseline=args.baseline, kpis=args.kpis, out_dir=args.out))
    return 0

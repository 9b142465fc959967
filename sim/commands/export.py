"""``python -m sim export RESULTS_DIR [--format csv|parquet] [--out DIR]``: a store as tidy tables.

Writes ``runs`` (one row per run: identity, status, swept parameters), ``kpis`` (one row per run
and KPI), ``series`` (one row per run, KPI and day) and ``community_kpis`` (one row per run,
community and KPI), each a CSV or Parquet file that R, DuckDB and spreadsheets read.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.errors import ScenarioError

FORMATS = ("csv", "parquet")


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``export``."""
    parser.add_argument("results", metavar="RESULTS_DIR", help="a folder written by compare or sweep")
    parser.add_argument("--format", choices=FORMATS, default="csv", help="table format (default: csv; parquet needs pyarrow)")
    parser.add_argument("--out", default=None, metavar="DIR", help="where to write the tables (default: RESULTS_DIR/export-FORMAT)")


def execute(args: argparse.Namespace) -> int:
    """Write the tables and print their paths."""
    from sim.experiment.export import export_tables

    if not Path(args.results).is_dir():
        raise ScenarioError([f"{args.results}: not a folder (allowed: a results folder written by compare or sweep)"])
    if args.format == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise ScenarioError(["--format parquet: needs pyarrow (pip install 'five-society-sim[parquet]'), "
                                 "or use --format csv"]) from None
    out = Path(args.out) if args.out else Path(args.results) / f"export-{args.format}"
    for path in export_tables(args.results, out, args.format):
        print(path)
    return 0

"""Arguments shared by ``sweep`` and ``compare``: executor, workers, scheduler, output, overrides."""

from __future__ import annotations

import argparse

from sim.commands.options import MAX_WORKERS, override, workers

EXECUTORS = ("serial", "process", "dask")


def add_executor_arguments(parser: argparse.ArgumentParser) -> None:
    """``--executor``, ``--workers``, ``--scheduler``, ``--out``, ``--set``, ``--no-progress``."""
    parser.add_argument("--executor", choices=EXECUTORS, default="process",
                        help="where runs execute (default: process)")
    parser.add_argument("--workers", type=workers, default=None,
                        help=f"worker processes for process/local dask, 1 to {MAX_WORKERS} (default: every core, never more than the runs to do)")
    parser.add_argument("--scheduler", default=None, metavar="ADDR",
                        help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster on 127.0.0.1)")
    parser.add_argument("--out", default=None, metavar="DIR",
                        help="result folder (default: results/<name>-<experiment key>); rerun to resume")
    parser.add_argument("--set", dest="overrides", action="append", type=override, default=[],
                        metavar="KEY=VALUE", help="override a scenario key for every run (TOML value; repeatable)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def check_scheduler(args: argparse.Namespace) -> str | None:
    """Problems combining ``--scheduler`` with a non-Dask executor, as a message or None."""
    if args.scheduler is not None and args.executor != "dask":
        return f"--scheduler needs --executor dask (got --executor {args.executor})"
    return None

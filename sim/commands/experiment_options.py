"""Arguments shared by the experiment commands: seed and days, executor, workers, scheduler, output, overrides."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sim.commands.options import MAX_WORKERS, days, override, replications, seed, workers
from sim.errors import quote

if TYPE_CHECKING:
    from sim.advise.paired import Backend
    from sim.advise.uncertainties import Settings

EXECUTORS = ("serial", "process", "dask")


def add_seed_and_days(parser: argparse.ArgumentParser, days_help: str = "days per run (default: the scenario's)") -> None:
    """``--seed`` (0 to 2^63 - 1) and ``--days`` (1 to 36,500) of an experiment, bounded like the schema."""
    parser.add_argument("--seed", type=seed, default=0, help="experiment seed (default: 0)")
    parser.add_argument("--days", type=days, default=None, help=days_help)


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


# tcp://HOST:PORT, HOST:PORT, or tcp://HOST (Dask's default port 8786)
SCHEDULER_ADDRESS = re.compile(r"^(?:(?P<scheme>tcp|tls|ws|wss|ucx)://)?(?P<host>\[[0-9A-Fa-f:]+\]|[A-Za-z0-9._-]+)"
                               r"(?::(?P<port>\d{1,5}))?/?$")


def check_scheduler(args: argparse.Namespace) -> str | None:
    """Problems with ``--scheduler``: without ``--executor dask``, or not an address; a message or None."""
    if args.scheduler is None:
        return None
    if args.executor != "dask":
        return f"--scheduler needs --executor dask (got --executor {args.executor})"
    match = SCHEDULER_ADDRESS.match(args.scheduler)
    bad_port = match is not None and match["port"] is not None and not 1 <= int(match["port"]) <= 65535
    if match is None or bad_port or (match["scheme"] is None and match["port"] is None):
        return (f"--scheduler: {quote(args.scheduler)} is not a scheduler address "
                "(allowed: tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786)")
    return None


def report_failures(out_dir: Path | str) -> bool:
    """Print the failed runs of a store (first lines of each error) on stderr; True when any failed."""
    from sim.experiment.results import failures

    lines, count = failures(out_dir)
    if not count:
        return False
    print(f"{count} runs failed inside the model (exit 1); the first:", file=sys.stderr)
    for line in lines:
        print(line, file=sys.stderr)
    if count > len(lines):
        print(f"  ... and {count - len(lines)} more (sim.load_results({str(out_dir)!r}) has every error)", file=sys.stderr)
    return True


def paired_backend(args: argparse.Namespace) -> Backend:
    """The executor the arguments name for the advice commands; a bad ``--scheduler`` is one line, exit 2."""
    from sim.advise.paired import Backend
    from sim.errors import ScenarioError

    problem = check_scheduler(args)
    if problem:
        raise ScenarioError([problem])
    return Backend(args.executor, args.workers, args.scheduler, progress=not args.no_progress)


def add_uncertainty_arguments(parser: argparse.ArgumentParser, what: str) -> None:
    """``--uncertainties FILE`` and ``--samples K``: every option under the same sampled settings."""
    parser.add_argument("--uncertainties", default=None, metavar="FILE",
                        help="run every option under the same sampled settings of these uncertain inputs "
                             f"(e.g. scenarios/uncertainties/changsha.toml); {what}")
    parser.add_argument("--samples", type=replications, default=None, metavar="K",
                        help="settings sampled by Latin hypercube from the experiment seed (default: 8; needs --uncertainties)")


def uncertainty_settings(args: argparse.Namespace) -> Settings | None:
    """The sampled settings of ``--uncertainties`` (None without it); bad files are one line, exit 2."""
    from sim.errors import ScenarioError

    if args.uncertainties is None:
        if args.samples is not None:
            raise ScenarioError(["--samples needs --uncertainties FILE"])
        return None
    from sim.advise.uncertainties import DEFAULT_SAMPLES, load_uncertainties, sample_settings

    items = load_uncertainties(args.uncertainties)
    return sample_settings(items, args.samples or DEFAULT_SAMPLES, args.seed, source=str(args.uncertainties))

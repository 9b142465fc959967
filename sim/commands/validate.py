"""``python -m sim validate SCENARIO...``: every problem of every file, one line each."""

from __future__ import annotations

import argparse

from sim.errors import ScenarioError
from sim.loading import load_scenario


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``validate``."""
    parser.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario TOML files, or shipped scenarios by name (e.g. changsha/base)")


def execute(args: argparse.Namespace) -> int:
    """Validate each file; 0 when all are valid, 2 otherwise."""
    problems: list[str] = []
    for path in args.scenarios:
        try:
            load_scenario(path)
        except ScenarioError as exc:
            problems.extend(exc.problems)
        else:
            print(f"{path}: ok")
    if problems:
        raise ScenarioError(problems)
    return 0

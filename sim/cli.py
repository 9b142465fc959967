"""Command line: ``python -m sim COMMAND ...``. Exit codes: 0 success, 2 bad input, 1 internal error.

Each command lives in a module exposing ``configure(parser)`` and ``execute(args) -> int``; the
module is imported only when its command runs, so ``--help`` and ``validate`` stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback

from sim.errors import ScenarioError

# command name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("sim.commands.run", "run one scenario and print its KPIs"),
    "validate": ("sim.commands.validate", "check scenario files; exit 2 with one line per problem"),
    "calibrate": ("sim.commands.calibrate", "fit free parameters to observed patterns, or --check a scenario against them"),
    "sweep": ("sim.commands.sweep", "run or resume a sweep file (experiments/*.toml) into a result store"),
    "compare": ("sim.commands.compare", "run the same replications of several scenarios into a result store"),
    "sensitivity": ("sim.commands.sensitivity", "which uncertain inputs drive each KPI (Morris screening or Sobol indices, SALib)"),
    "report": ("sim.commands.report", "rebuild the comparison report of a results folder (never re-runs the model)"),
    "viz": ("sim.commands.viz", "serve the classroom app in a browser (127.0.0.1:8765 by default)"),
}


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad arguments in one line and exits 2, never with a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every command's sub-parser."""
    parser = _Parser(prog="python -m sim", description="Five-society linkage (五社联动) simulator")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, (module, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        importlib.import_module(module).configure(command)
        command.set_defaults(_module=module)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the command, map errors to exit codes."""
    args = build_parser().parse_args(argv)
    try:
        return importlib.import_module(args._module).execute(args)
    except ScenarioError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - the one place internal errors become exit 1
        traceback.print_exc()
        print("internal error (exit 1): please report it with the traceback above", file=sys.stderr)
        return 1

"""Command line: ``python -m sim COMMAND ...``. Exit codes: 0 success, 2 bad input, 1 internal error.

Each command lives in a module exposing ``configure(parser)`` and ``execute(args) -> int``; the
module is imported only when its command runs, so ``--help`` and ``validate`` stay fast.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import sys
import traceback

from sim.errors import ScenarioError, capped

# command name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("sim.commands.run", "run one scenario and print its KPIs"),
    "validate": ("sim.commands.validate", "check scenario files; exit 2 with one line per problem"),
    "describe": ("sim.commands.describe", "what a scenario file generates: communities, residents, streets, budget per line per street"),
    "calibrate": ("sim.commands.calibrate", "fit free parameters to observed patterns, or --check a scenario against them"),
    "sweep": ("sim.commands.sweep", "run or resume a sweep file (experiments/*.toml) into a result store"),
    "compare": ("sim.commands.compare", "run the same replications of several scenarios into a result store"),
    "margins": ("sim.commands.margins", "where the next step of yuan does most: paired finite differences per budget line"),
    "optimise": ("sim.commands.optimise", "search the budget split and spreading rule under noise; confirm on fresh seeds"),
    "sensitivity": ("sim.commands.sensitivity", "which uncertain inputs drive each KPI (Morris screening or Sobol indices, SALib)"),
    "report": ("sim.commands.report", "rebuild the comparison report of a results folder (never re-runs the model)"),
    "viz": ("sim.commands.viz", "serve the classroom app in a browser (127.0.0.1:8765 by default)"),
    "export": ("sim.commands.export", "write a results folder's runs, KPIs and daily series as CSV or Parquet tables"),
}

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what `cat` or `yes` report when `head` stops reading
# what to do about an environment problem, by errno
OS_HINTS = {
    errno.ENOSPC: "free some disk space or choose another folder",
    errno.EROFS: "choose a folder on a writable disk",
    errno.EACCES: "check the permissions or choose another folder",
    errno.EPERM: "check the permissions or choose another folder",
    errno.EDQUOT: "free some disk quota or choose another folder",
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
        code = importlib.import_module(args._module).execute(args)
        sys.stdout.flush()
        return code
    except ScenarioError as exc:
        for line in capped(exc.problems):
            print(line, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except MemoryError:
        print("out of memory: the machine cannot hold this work (allowed: fewer or smaller communities, "
              "fewer --workers)", file=sys.stderr)
        return 2
    except OSError as exc:
        print(os_error_line(exc), file=sys.stderr)
        return 2
    except Exception:  # noqa: BLE001 - the one place internal errors become exit 1
        traceback.print_exc()
        print("internal error (exit 1): please report it with the traceback above", file=sys.stderr)
        return 1


def os_error_line(exc: OSError) -> str:
    """``FILE: what went wrong (what to do)`` for a disk or permission problem."""
    where = exc.filename if exc.filename is not None else "output"
    hint = OS_HINTS.get(exc.errno or 0, "check the path and the disk")
    return f"{where}: {exc.strerror or exc} ({hint})"


def _quiet_broken_pipe() -> int:
    """The reader of our output went away (``... | head``): stop quietly, write nothing more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return EXIT_BROKEN_PIPE

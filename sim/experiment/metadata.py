"""Stamps for every stored experiment: versions, git hash, host, time (as Covasim does)."""

from __future__ import annotations

import ast
import datetime as dt
import functools
import hashlib
import platform
import subprocess
from pathlib import Path


def now_utc() -> str:
    """The current time, ISO 8601 in UTC, to the second."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def git_hash(where: Path | None = None) -> str | None:
    """The commit of the source tree (``+dirty`` when it has changes), or None outside git."""
    directory = where or Path(__file__).resolve().parent
    try:
        head = _git(directory, "rev-parse", "HEAD")
        dirty = _git(directory, "status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{head}+dirty" if dirty else head


def _git(directory: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(directory), *args], capture_output=True, text=True,
                          timeout=10, check=True)
    return done.stdout.strip()


def python_version() -> str:
    """``CPython 3.11.7``."""
    return f"{platform.python_implementation()} {platform.python_version()}"


def host_name() -> str:
    """The machine's name."""
    return platform.node()


# Parts of the package that cannot change a run's numbers: edits there leave stored runs valid.
NOT_MODEL_DIRS = {"report", "viz", "commands", "calibration", "_scenarios"}
NOT_MODEL_FILES = {"cli.py", "__main__.py", "docs.py", "kpi_table.py", "labels.py"}


@functools.cache
def source_hash(package_dir: Path | None = None) -> str:
    """A hash of the model's source: every module that can change a run's numbers.

    Each module counts by its syntax tree (``ast.dump``), so comments and layout do not count but
    any change to code, constants or docstrings does. Report, UI and command modules are left out.
    """
    root = package_dir or Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in NOT_MODEL_DIRS or relative.as_posix() in NOT_MODEL_FILES:
            continue
        source = path.read_text(encoding="utf-8")
        try:
            text = ast.dump(ast.parse(source))
        except SyntaxError:
            text = source
        digest.update(f"{relative.as_posix()}\n{text}\n".encode())
    return digest.hexdigest()[:12]


def code_version() -> str:
    """``0.1.0+src.<hash>``: the package version and the model's source, stored with every run."""
    import sim

    return f"{sim.__version__}+src.{source_hash()}"

"""Stamps for every stored experiment: versions, git hash, host, time (as Covasim does)."""

from __future__ import annotations

import datetime as dt
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

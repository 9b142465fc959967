"""The shipped scenario library: ``scenarios/`` of the checkout, installed as ``sim/_scenarios``.

``sim/_scenarios`` is a symbolic link to ``../scenarios`` in the checkout; a wheel build copies
the files it points to, so an installed package holds the same tree as real files. Commands
take a library scenario by name (``changsha/base``) wherever they take a scenario path.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

LIBRARY_PACKAGE_DIR = "_scenarios"
SUFFIX = ".toml"


def library_dir() -> Path:
    """The folder of shipped scenario files (the linked folder in a checkout, a real one in a wheel).

    A checkout made without symbolic links (git on Windows by default) has a small text file in
    place of the link; the checkout's ``scenarios/`` is used then.
    """
    packaged = Path(str(files("sim") / LIBRARY_PACKAGE_DIR))
    if packaged.is_dir():
        return packaged
    checkout = packaged.parent.parent / "scenarios"
    return checkout if checkout.is_dir() else packaged


NOT_SCENARIOS = ("targets", "uncertainties")  # folders of the library holding other files than scenarios


def shipped_names() -> list[str]:
    """Every shipped scenario by name (``baseline``, ``changsha/base``, ...), sorted."""
    root = library_dir()
    if not root.is_dir():
        return []
    return sorted(p.relative_to(root).with_suffix("").as_posix() for p in root.rglob(f"*{SUFFIX}")
                  if not set(p.relative_to(root).parts) & set(NOT_SCENARIOS))


def find_scenario(name_or_path: str | Path) -> Path:
    """A path as given when it exists; else the shipped scenario of that name; else the path as given.

    ``changsha/base`` and ``changsha/base.toml`` both name ``<library>/changsha/base.toml``. A path
    that exists always wins, so a local file shadows a shipped one of the same name.
    """
    path = Path(name_or_path)
    if path.exists() or path.is_symlink() or path.is_absolute():
        return path
    relative = path.as_posix().removeprefix("scenarios/")
    candidate = library_dir() / (relative if relative.endswith(SUFFIX) else relative + SUFFIX)
    return candidate if candidate.is_file() else path

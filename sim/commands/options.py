"""Argument types shared by commands: bad values become one-line argparse errors (exit 2)."""

from __future__ import annotations

import argparse
import tomllib
from typing import Any

from sim.errors import quote
from sim.kpis import Lang

MAX_DAYS = 36_500  # the scenario schema's bound on days
MAX_SEED = 2**63 - 1  # the schema's and the result store's (SQLite INTEGER) bound on seeds
MAX_WORKERS = 1024  # worker processes on one machine or local cluster
MAX_REPLICATIONS = 100_000


def positive_int(text: str) -> int:
    """A whole number >= 1."""
    return _bounded_int(text, 1)


def non_negative_int(text: str) -> int:
    """A whole number >= 0."""
    return _bounded_int(text, 0)


def days(text: str) -> int:
    """``--days``: 1 to 36,500, like the scenario's ``days``."""
    return _bounded_int(text, 1, MAX_DAYS)


def seed(text: str) -> int:
    """``--seed``: 0 to 2^63 - 1, like the scenario's ``seed``."""
    return _bounded_int(text, 0, MAX_SEED)


def workers(text: str) -> int:
    """``--workers``: 1 to 1,024."""
    return _bounded_int(text, 1, MAX_WORKERS)


def replications(text: str) -> int:
    """``--replications``: 1 to 100,000."""
    return _bounded_int(text, 1, MAX_REPLICATIONS)


def language(text: str) -> Lang:
    """A ``--lang`` value, resolved once into a ``Lang``."""
    try:
        return Lang(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a language (allowed: {', '.join(Lang)})") from None


def _bounded_int(text: str, low: int, high: int | None = None) -> int:
    allowed = f">= {low}" if high is None else f"{low} to {high}"
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quote(text)} is not a whole number (allowed: {allowed})") from None
    if value < low:
        raise argparse.ArgumentTypeError(f"{value} is too small (allowed: {allowed})")
    if high is not None and value > high:
        raise argparse.ArgumentTypeError(f"{quote(value)} is too large (allowed: {allowed})")
    return value


def override(text: str) -> tuple[str, Any]:
    """``--set`` argument type: ``budget.total_yuan=8e5`` -> ``("budget.total_yuan", 800000.0)``."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"{quote(text)} is not KEY=VALUE (e.g. budget.total_yuan=8e5)")
    return key.strip(), toml_value(raw.strip())


def toml_value(text: str) -> Any:
    """A TOML value (number, boolean, string, array); anything else is taken as a bare string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise argparse.ArgumentTypeError(f"{quote(text)}: {exc}") from None
    except RecursionError:
        raise argparse.ArgumentTypeError(f"{quote(text)}: nested too deeply (allowed: a number, string, boolean or flat array)") from None

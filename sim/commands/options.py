"""Argument types shared by commands: bad values become one-line argparse errors (exit 2)."""

from __future__ import annotations

import argparse
import tomllib
from typing import Any

from sim.kpis import Lang


def positive_int(text: str) -> int:
    """A whole number >= 1."""
    return _bounded_int(text, 1)


def non_negative_int(text: str) -> int:
    """A whole number >= 0."""
    return _bounded_int(text, 0)


def language(text: str) -> Lang:
    """A ``--lang`` value, resolved once into a ``Lang``."""
    try:
        return Lang(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a language (allowed: {', '.join(Lang)})") from None


def _bounded_int(text: str, low: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number (allowed: >= {low})") from None
    if value < low:
        raise argparse.ArgumentTypeError(f"{value} is too small (allowed: >= {low})")
    return value


def override(text: str) -> tuple[str, Any]:
    """``--set`` argument type: ``budget.total_yuan=8e5`` -> ``("budget.total_yuan", 800000.0)``."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not KEY=VALUE (e.g. budget.total_yuan=8e5)")
    return key.strip(), toml_value(raw.strip())


def toml_value(text: str) -> Any:
    """A TOML value (number, boolean, string, array); anything else is taken as a bare string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text

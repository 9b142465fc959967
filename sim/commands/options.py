"""Argument types shared by commands: bad values become one-line argparse errors (exit 2)."""

from __future__ import annotations

import argparse


def positive_int(text: str) -> int:
    """A whole number >= 1."""
    return _bounded_int(text, 1)


def non_negative_int(text: str) -> int:
    """A whole number >= 0."""
    return _bounded_int(text, 0)


def _bounded_int(text: str, low: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number (allowed: >= {low})") from None
    if value < low:
        raise argparse.ArgumentTypeError(f"{value} is too small (allowed: >= {low})")
    return value

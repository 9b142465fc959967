"""Bad input: one line per problem, ``FILE: dotted.key: what is wrong (what is allowed)``."""

from __future__ import annotations

QUOTE_CHARS = 200  # most characters of a value quoted in a message
MAX_LINES = 50  # most problem lines printed; a count stands for the rest


class ScenarioError(Exception):
    """A scenario file, an override or an argument is invalid; ``problems`` holds every line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def quote(value: object, limit: int = QUOTE_CHARS) -> str:
    """``repr(value)`` cut to ``limit`` characters, saying how many were left out."""
    try:
        text = repr(value)
    except RecursionError:
        text = f"<{type(value).__name__} nested too deeply to show>"
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters)"


def shorten(line: str, limit: int = 4 * QUOTE_CHARS) -> str:
    """One message line cut to ``limit`` characters (a safety net behind ``quote``)."""
    return line if len(line) <= limit else f"{line[:limit]}... ({len(line) - limit} more characters)"


def capped(problems: list[str], limit: int = MAX_LINES) -> list[str]:
    """At most ``limit`` lines, each shortened, with a count of the lines left out."""
    lines = [shorten(line) for line in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"... and {len(problems) - limit} more problems like these")
    return lines

"""Bad input: one line per problem, ``FILE: dotted.key: what is wrong (what is allowed)``."""

from __future__ import annotations


class ScenarioError(Exception):
    """A scenario file, an override or an argument is invalid; ``problems`` holds every line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

"""The report's context: the district, the horizon, the budget, and which inputs are sourced.

Everything but the sources comes from the resolved scenarios in the store. Which value is cited and
which is ``[assumed]`` lives in the scenario files' comments, which the store does not keep; the
context reads them from the files named in the store when they are still there, and says so when not.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANY_COMMUNITIES = 30  # beyond this, a city: communities are shown as spreads, maps without names

MARKS = (("fitted", re.compile(r"\[fitted\]")), ("assumed", re.compile(r"\[assumed")),
         ("sourced", re.compile(r"source:|\[seed|\[lit")))


@dataclass
class Community:
    """One community as the reader sees it."""

    key: str
    name: str
    residents: int
    shares: dict[str, float]  # elderly, children, disabled, hardship


@dataclass
class Context:
    """What was compared."""

    communities: list[Community]
    days: int
    budget_yuan: float
    provenance: dict[str, list[str]] = field(default_factory=dict)  # mark -> dotted keys
    sources_found: bool = False

    @property
    def residents(self) -> int:
        """Residents of the district."""
        return sum(c.residents for c in self.communities)

    @property
    def yuan_per_resident_year(self) -> float:
        """Government budget a year per resident."""
        return self.budget_yuan / self.residents if self.residents else 0.0


def source_file(source_path: str | None) -> Path | None:
    """The scenario file the results name: a path, or a shipped scenario's name (``changsha/city``); None when gone."""
    from sim.library import find_scenario

    if not source_path:
        return None
    path = find_scenario(source_path)
    return path if path.is_file() else None


def in_model_order(resolved: dict[str, Any], source_path: str | None) -> dict[str, Any] | None:
    """The resolved scenario with its communities in the model's order, or None when it cannot be known.

    Older stores keep the resolved scenario with sorted keys, but the model lays communities out in
    the order of the scenario file; the map needs that order, so it is read from the file when the
    file is still there and names the same communities. A city's communities are generated, not
    listed in its file: its stores keep the model's order.
    """
    from sim.errors import ScenarioError
    from sim.loading import read_merged

    source = source_file(source_path)
    if source is None:
        return None
    try:
        merged = read_merged(source)
    except (ScenarioError, OSError, tomllib.TOMLDecodeError):
        return None
    if "city" in merged:  # generated communities: stores keep the resolved scenario in the model's order
        return resolved
    order = list(merged.get("communities", {}))
    communities = resolved.get("communities", {})
    if sorted(order) != sorted(communities):
        return None
    return {**resolved, "communities": {key: communities[key] for key in order}}


def community_names(resolved: dict[str, Any], lang: str) -> dict[str, str]:
    """Community display names: ``name_zh`` in Chinese when the scenario gives one, else the key."""
    names = {}
    for key, spec in resolved.get("communities", {}).items():
        english = spec.get("name") or key.replace("_", " ").capitalize()
        names[key] = (spec.get("name_zh") or key) if lang == "zh" else english
    return names


def build_context(resolved: dict[str, Any], source_path: str | None, lang: str) -> Context:
    """The district, horizon and budget of the current plan, and the sources of its inputs."""
    resolved = in_model_order(resolved, source_path) or resolved
    names = community_names(resolved, lang)
    communities = [Community(key, names[key], int(spec.get("residents", 0)),
                             {g: float(spec.get(f"share_{g}", 0.0)) for g in ("elderly", "children", "disabled", "hardship")})
                   for key, spec in resolved.get("communities", {}).items()]
    context = Context(communities, int(resolved.get("days", 365)), float(resolved.get("budget", {}).get("total_yuan", 0.0)))
    source = source_file(source_path)
    if source is not None:
        context.provenance = provenance(source)
        context.sources_found = True
    return context


def provenance(path: Path) -> dict[str, list[str]]:
    """Dotted keys of the file and its ``extends`` parents by mark (a child's mark wins)."""
    marks: dict[str, str] = {}
    for file in reversed(_chain(path)):
        marks.update(_marks(file))
    found: dict[str, list[str]] = {"sourced": [], "fitted": [], "assumed": []}
    for key, mark in marks.items():
        found[mark].append(key)
    return found


def _chain(path: Path) -> list[Path]:
    chain, seen = [], set()
    while path and path.is_file() and path not in seen:
        seen.add(path)
        chain.append(path)
        parent = tomllib.loads(path.read_text(encoding="utf-8")).get("extends")
        path = (path.parent / parent).resolve() if parent else None  # type: ignore[assignment]
    return chain


def _marks(path: Path) -> dict[str, str]:
    """``key = value  # comment`` lines whose comment carries a mark, under their ``[table]``."""
    table, found = "", {}
    for line in path.read_text(encoding="utf-8").splitlines():
        header = re.match(r"\s*\[([^\]]+)\]", line)
        if header:
            table = header.group(1).strip() + "."
            continue
        pair = re.match(r"\s*([A-Za-z0-9_]+)\s*=.*#(.*)$", line)
        if not pair:
            continue
        for mark, pattern in MARKS:
            if pattern.search(pair.group(2)):
                found[table + pair.group(1)] = mark
                break
    return found

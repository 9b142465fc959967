"""What a scenario file generates, without building it: communities, residents, streets, stations
and the planned budget of each line in each street (the rows ``sim describe`` prints).

The planned yuan are each line's share of the budget spread over communities by the file's
spreading rule as the first funding period starts: per capita, equal shares, or residents x
``performance_prior`` (performance); the need-weighted rule's weights come from the residents a
run draws, so they are shown per capita and the header says so. In a run, a line is not paid
where it has no recipient (no programme, no organisation), nor beyond what it can use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.city import CityPlan
from sim.policies.funding import spread_weights
from sim.scenario import BUDGET_LINES, City, Scenario, SpreadRule


@dataclass(frozen=True)
class StreetRow:
    """One street (or town) and what it receives a year, by budget line."""

    district: tuple[str, str]  # (English, Chinese); ("", "") without districts
    name: tuple[str, str]
    kind: str  # "street" or "town" in a city, "" otherwise
    communities: int
    residents: int
    stations: int
    yuan_by_line: dict[str, float]

    @property
    def yuan(self) -> float:
        """All lines together."""
        return float(sum(self.yuan_by_line.values()))


@dataclass(frozen=True)
class TypeCount:
    """How many communities of one city type were generated, and their residents."""

    name: tuple[str, str]
    communities: int
    residents: int


@dataclass(frozen=True)
class Description:
    """Everything ``sim describe`` shows about one scenario file."""

    source: str
    scenario: Scenario
    city: City | None
    streets: list[StreetRow]
    types: list[TypeCount]
    cells: int
    memory_bytes: int
    city_budget_yuan: float | None = None  # what the city description gives (None: not a city)

    @property
    def residents(self) -> int:
        """Residents of every community."""
        return sum(c.residents for c in self.scenario.communities.values())

    @property
    def stations(self) -> int:
        """Communities that host their street's social-work station."""
        return sum(c.has_station for c in self.scenario.communities.values())

    @property
    def budget_from_city(self) -> bool:
        """The budget is the city's yuan per resident x the generated residents (not set by ``budget.total_yuan``)."""
        given = self.city_budget_yuan
        return given is not None and abs(self.scenario.budget.total_yuan - given) <= 1e-6 * max(1.0, given)

    @property
    def shown_per_capita(self) -> bool:
        """The spreading rule's weights depend on a run; the rows are per capita."""
        return self.scenario.budget.spread_rule is SpreadRule.NEED_WEIGHTED


def describe(path: str | Path, overrides: Mapping[str, Any] | None = None) -> Description:
    """Load ``path`` (with dotted overrides) and say what it generates; ``ScenarioError`` on bad input."""
    from sim.library import find_scenario
    from sim.limits import scenario_size
    from sim.loading import apply_overrides, read_merged, validate_with_plan

    found = find_scenario(path)
    data = read_merged(found)
    if overrides:
        data = apply_overrides(data, overrides, source=f"{found} (override)")
    scenario, city_plan = validate_with_plan(data, source=str(found))
    city = City.model_validate(data["city"]) if city_plan is not None else None
    size = scenario_size(scenario)
    rows = street_rows(scenario, city, city_plan)
    return Description(str(path), scenario, city, rows, type_counts(scenario, city, city_plan), size.cells, size.memory_bytes,
                       city_plan.budget_yuan if city_plan else None)


def planned_yuan(scenario: Scenario) -> dict[str, np.ndarray]:
    """Each line's yuan a year per community as spread at the start of the first period (before caps)."""
    communities = list(scenario.communities.values())
    residents = np.array([c.residents for c in communities], dtype=float)
    prior = np.array([c.performance_prior for c in communities])
    weights = spread_weights(scenario.budget.spread_rule, residents, residents, prior)  # need-weighted: shown per capita
    extra = np.array([c.extra_budget_yuan for c in communities])
    budget = scenario.budget
    return {line: (budget.total_yuan * weights + extra) * getattr(budget, f"split_{line}") for line in BUDGET_LINES}


def street_rows(scenario: Scenario, city: City | None, city_plan: CityPlan | None) -> list[StreetRow]:
    """One row per street, in the file's order (a community without a street is a street of its own)."""
    keys = list(scenario.communities)
    index = {key: i for i, key in enumerate(keys)}
    yuan = planned_yuan(scenario)
    rows = []
    for district, name, kind, members in _streets(scenario, city, city_plan):
        at = [index[k] for k in members]
        communities = [scenario.communities[k] for k in members]
        rows.append(StreetRow(district, name, kind, len(members), sum(c.residents for c in communities),
                              sum(c.has_station for c in communities),
                              {line: float(yuan[line][at].sum()) for line in BUDGET_LINES}))
    return rows


def _streets(scenario: Scenario, city: City | None,
             city_plan: CityPlan | None) -> list[tuple[tuple[str, str], tuple[str, str], str, list[str]]]:
    """(district, street name, kind, community keys) of every street."""
    if city_plan is not None and city is not None:
        out = []
        for street in city_plan.streets:
            district = city.districts.get(street.district)
            names = (district.name, district.name_zh) if district else ("", "")
            out.append((names, (street.name, street.name_zh), street.kind.value, list(street.communities)))
        return out
    groups: dict[str, list[str]] = {}
    for key, community in scenario.communities.items():
        groups.setdefault(community.street or f"\0{key}", []).append(key)
    plain = []
    for group, members in groups.items():
        if group.startswith("\0"):
            key = group[1:]
            shown = (key.replace("_", " ").capitalize(), scenario.communities[key].name_zh or key)
        else:
            shown = (group.replace("_", " ").capitalize(), group)
        plain.append((("", ""), shown, "", members))
    return plain


def type_counts(scenario: Scenario, city: City | None, city_plan: CityPlan | None) -> list[TypeCount]:
    """Generated communities and residents by city type (empty for an ordinary scenario)."""
    if city is None or city_plan is None:
        return []
    counts = []
    for type_key, spec in city.types.items():
        members = [k for k, t in city_plan.type_of.items() if t == type_key]
        counts.append(TypeCount((spec.name, spec.name_zh), len(members), sum(scenario.communities[k].residents for k in members)))
    return counts

"""A whole city from a compact description: ``[city]`` expanded into streets and communities.

A scenario file may hold a ``[city]`` table (``sim.scenario.City``) instead of
``[communities.*]``. The loader expands it after the ``extends`` merge and the dotted overrides
and before validation, so ``--set city.scale=0.01`` and files that extend a city work like any
other scenario. Generation draws only from ``city.seed`` (its own stream, not the run seed): the
city's geography is the same in every replication and under every policy.

What is generated, in order:

1. the number of communities (``communities``, else the full city's count x ``scale``), shared
   across types in proportion to the full city's counts (largest remainders);
2. the residents (``communities x residents_per_community``, else the full city's residents x
   the generated share of its communities when ``communities`` is given, else x ``scale``),
   shared across the present types by ``residents_share`` and within a type by lognormal
   weights of spread ``residents_cv``;
3. the street units of each kind (``streets``, ``towns``) in proportion to the communities of
   that kind, at least one where a kind has communities; districts get theirs in proportion to
   their full-city counts; the communities of a kind are dealt round-robin over its units, type
   by type, and the first community of each unit hosts its social-work station;
4. the budget: ``budget_yuan`` x generated residents / ``residents`` (the city's yuan per
   resident), unless the scenario sets ``budget.total_yuan`` itself.

``[communities.<name>]`` tables (or ``communities.<name>.<key>`` overrides) next to ``[city]``
patch generated communities by name (``sim describe`` lists the streets; names read
``furong_street_3_community_12``); a name the city does not generate is an error.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.rng import stream_key
from sim.scenario import City, CityType, District, StreetKind, Unit

__all__ = ["CityPlan", "Street", "city_scenario", "expand", "generate", "plan"]

CITY_FILE = "changsha/city"  # the shipped full city, the base of ``city_scenario``
MIN_AREA_KM2 = 0.01  # a generated community's smallest area (the schema needs > 0)
MAX_AREA_KM2 = 100.0  # the schema's largest community area
WORDS = {  # unit -> (English word in keys and names, Chinese word)
    StreetKind.STREET: ("street", "街道"), StreetKind.TOWN: ("town", "乡镇"),
    Unit.COMMUNITY: ("community", "社区"), Unit.VILLAGE: ("village", "村"),
}


@dataclass(frozen=True)
class Street:
    """One generated street unit (街道 or 镇/乡): its key, names, district and communities."""

    key: str
    name: str
    name_zh: str
    kind: StreetKind
    district: str  # the district's key, "" without districts
    communities: tuple[str, ...]


@dataclass(frozen=True)
class CityPlan:
    """What a city description generates: communities (scenario tables), streets, budget."""

    communities: dict[str, dict[str, Any]]
    streets: tuple[Street, ...]
    type_of: dict[str, str]  # community key -> type key
    residents: int
    budget_yuan: float


def generate(description: City | Mapping[str, Any]) -> dict[str, Any]:
    """The ``[communities.*]`` tables a city description generates (deterministic in ``city.seed``)."""
    return plan(description).communities


def plan(description: City | Mapping[str, Any]) -> CityPlan:
    """Everything a city description generates: communities, streets, residents and budget."""
    city = description if isinstance(description, City) else City.model_validate(dict(description))
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy=city.seed, spawn_key=(stream_key("city"),))))
    counts = _type_counts(city)
    residents = _total_residents(city, sum(counts.values()))
    sizes = _sizes(city, counts, residents, rng)
    units = {kind: _units(city, kind, counts) for kind in StreetKind}
    members = _deal(city, counts, units)
    communities, type_of, streets = _communities(city, sizes, units, members)
    budget = city.budget_yuan * residents / city.residents
    return CityPlan(communities, tuple(streets), type_of, residents, budget)


def expand(data: Mapping[str, Any]) -> tuple[dict[str, Any], CityPlan]:
    """A scenario table whose ``[city]`` is replaced by the communities and budget it generates.

    The scenario's names gain the generated size ("Changsha city (19 communities, 104,206
    residents)"), so a reduced city is never mistaken for the whole one.

    ``data["city"]`` must already be a validated ``City`` or a table ``City`` accepts (the
    loader reports its problems as ``city.*`` keys first). ``[communities.<generated name>]``
    tables in ``data`` patch the communities of those names (the loader refuses other names);
    an explicit ``budget.total_yuan`` replaces the city's budget (``sim margins`` steps it).
    """
    result = {key: value for key, value in data.items() if key != "city"}
    city_plan = plan(data["city"])
    patches = dict(data.get("communities") or {})
    result["communities"] = {key: {**table, **dict(patches.get(key) or {})} for key, table in city_plan.communities.items()}
    result["budget"] = {"total_yuan": city_plan.budget_yuan, **dict(data.get("budget") or {})}
    n = len(city_plan.communities)
    sizes = [table.get("residents") for table in result["communities"].values()]
    residents = sum(sizes) if all(isinstance(x, int) for x in sizes) else city_plan.residents  # a bad patch is reported later
    name = str(data.get("name") or "city")
    result["name"] = f"{name} ({n:,} communities, {residents:,} residents)"
    result["name_zh"] = f"{data.get('name_zh') or name}（{n:,}个社区和村，{residents:,}人）"
    return result, city_plan


def city_scenario(communities: int | None = None, residents_per_community: int | None = None, scale: float | None = None,
                  overrides: Mapping[str, Any] | None = None, path: str | Path = CITY_FILE) -> Any:
    """The validated ``Scenario`` of a (reduced) city: ``city_scenario(communities=100, residents_per_community=10_000)``.

    ``path`` is a city scenario file or shipped name (default ``changsha/city``); ``overrides``
    are further dotted keys (``{"budget.split_stations": 0.6, ...}``).
    """
    from sim.loading import load_scenario

    keys: dict[str, Any] = {}
    for key, value in (("communities", communities), ("residents_per_community", residents_per_community), ("scale", scale)):
        if value is not None:
            keys[f"city.{key}"] = value
    return load_scenario(path, {**keys, **dict(overrides or {})})


def _largest_remainders(total: int, weights: list[float]) -> list[int]:
    """``total`` split into whole parts in proportion to ``weights`` (ties to the earlier entry)."""
    weight_sum = float(sum(weights))
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    parts = [math.floor(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _type_counts(city: City) -> dict[str, int]:
    """Communities of each type: the full city's counts, or ``communities`` / ``scale`` of them."""
    full = [t.communities for t in city.types.values()]
    wanted = city.communities if city.communities is not None else max(1, round(sum(full) * city.scale))
    return dict(zip(city.types, _largest_remainders(wanted, [float(n) for n in full])))


def _total_residents(city: City, communities: int) -> int:
    """Residents of the generated city (see the module docstring, step 2)."""
    if city.residents_per_community is not None:
        return communities * city.residents_per_community
    full = sum(t.communities for t in city.types.values())
    if city.communities is not None:
        return max(communities, round(city.residents * communities / full))
    return max(communities, round(city.residents * city.scale))


def _sizes(city: City, counts: dict[str, int], residents: int, rng: np.random.Generator) -> dict[str, list[int]]:
    """Residents of each generated community, type by type, summing to ``residents`` exactly."""
    present = [key for key in city.types if counts[key] > 0]
    totals = _largest_remainders(residents, [city.types[k].residents_share or 1e-12 for k in present])
    sizes: dict[str, list[int]] = {}
    for key, total in zip(present, totals):
        n, cv = counts[key], city.types[key].residents_cv
        sigma = math.sqrt(math.log1p(cv * cv))
        weights = np.exp(rng.normal(0.0, sigma, n)) if sigma > 0 else np.ones(n)
        floor = min(1, total // n)  # every community keeps at least one resident when the type has enough
        parts = _largest_remainders(total - floor * n, weights.tolist())
        sizes[key] = [floor + p for p in parts]
    return sizes


def _units(city: City, kind: StreetKind, counts: dict[str, int]) -> list[tuple[str, int]]:
    """The generated street units of one kind as (district key, number within the district)."""
    full_units = city.streets if kind is StreetKind.STREET else city.towns
    held_full = sum(t.communities for t in city.types.values() if t.street_kind is kind)
    held = sum(counts[k] for k, t in city.types.items() if t.street_kind is kind)
    if held == 0:
        return []
    wanted = min(held, max(1, round(full_units * held / held_full))) if held_full else 1
    if not city.districts:
        return [("", i + 1) for i in range(wanted)]
    field = f"{kind.value}s"
    per_district = _largest_remainders(wanted, [float(getattr(d, field)) for d in city.districts.values()])
    return [(key, i + 1) for key, n in zip(city.districts, per_district) for i in range(n)]


def _deal(city: City, counts: dict[str, int], units: dict[StreetKind, list[tuple[str, int]]]) -> dict[StreetKind, list[list[tuple[str, int]]]]:
    """Each unit's communities as (type key, index within the type), dealt round-robin type by type."""
    members: dict[StreetKind, list[list[tuple[str, int]]]] = {kind: [[] for _ in units[kind]] for kind in StreetKind}
    for kind in StreetKind:
        slot = 0
        for key, spec in city.types.items():
            if spec.street_kind is not kind:
                continue
            for index in range(counts[key]):
                members[kind][slot % len(units[kind])].append((key, index))
                slot += 1
    return members


def _communities(city: City, sizes: dict[str, list[int]], units: dict[StreetKind, list[tuple[str, int]]],
                 members: dict[StreetKind, list[list[tuple[str, int]]]]) -> tuple[dict[str, dict[str, Any]], dict[str, str], list[Street]]:
    """The community tables in district, street and community order, and the streets."""
    order = [(district, kind, number, unit_members) for kind in StreetKind
             for (district, number), unit_members in zip(units[kind], members[kind])]
    districts = list(city.districts)
    order.sort(key=lambda item: (districts.index(item[0]) if item[0] else 0, list(StreetKind).index(item[1]), item[2]))
    communities: dict[str, dict[str, Any]] = {}
    type_of: dict[str, str] = {}
    streets = []
    for district_key, kind, number, unit_members in order:
        district = city.districts.get(district_key)
        street = _street_names(district_key, district, kind, number)
        keys: list[str] = []
        numbers = dict.fromkeys(Unit, 0)  # communities and villages are numbered apart within a street
        for type_key, index in unit_members:
            spec = city.types[type_key]
            word, word_zh = WORDS[spec.unit]
            numbers[spec.unit] += 1
            key = f"{street[0]}_{word}_{numbers[spec.unit]}"
            communities[key] = _community(city, spec, sizes[type_key][index], street[0], has_station=not keys,
                                          name_zh=f"{street[2]} {word_zh}{numbers[spec.unit]}")
            type_of[key] = type_key
            keys.append(key)
        streets.append(Street(street[0], street[1], street[2], kind, district_key, tuple(keys)))
    return communities, type_of, streets


def _street_names(district_key: str, district: District | None, kind: StreetKind, number: int) -> tuple[str, str, str]:
    """(key, English name, Chinese name) of a street unit: ``furong_street_3``, "Furong street 3", "芙蓉区 第3街道"."""
    word, word_zh = WORDS[kind]
    if district is None:
        return f"{word}_{number}", f"{word.capitalize()} {number}", f"第{number}{word_zh}"
    return f"{district_key}_{word}_{number}", f"{district.name} {word} {number}", f"{district.name_zh} 第{number}{word_zh}"


def _community(city: City, spec: CityType, residents: int, street: str, has_station: bool, name_zh: str) -> dict[str, Any]:
    """One community's scenario table: the type's values, its size, an area at the type's density."""
    full_mean = city.residents * spec.residents_share / max(spec.communities, 1)
    area = spec.area_km2 * residents / full_mean if full_mean > 0 else spec.area_km2
    table = spec.model_dump(mode="json", include=_COMMUNITY_KEYS)
    table.update(residents=residents, area_km2=round(min(MAX_AREA_KM2, max(MIN_AREA_KM2, area)), 4),
                 street=street, has_station=has_station, name_zh=name_zh)
    return table


_COMMUNITY_KEYS = {"compounds", "work_units", "share_elderly", "share_children", "share_disabled", "share_hardship",
                   "digital_share_elderly", "digital_share_other", "vulnerable_clustering", "volunteers", "programmes"}

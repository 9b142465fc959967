"""The app's levers: which scenario keys the controls set, and the scenario files it offers.

A lever's value is read from the loaded scenario, so the controls start where the file is;
only levers the user moved become dotted overrides (``sim.run.resolve``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from sim.errors import ScenarioError
from sim.library import NOT_SCENARIOS, find_scenario
from sim.loading import load_scenario, read_merged
from sim.run import resolve
from sim.scenario import BUDGET_LINES, MatchingScope, Scenario

LeverValue = float | bool
SPLIT_LEVERS = tuple(f"split_{line}" for line in BUDGET_LINES)
REPRESENTATIVE_INTERVALS_DAYS = {"contact_interval_days": 7, "visit_interval_days": 30, "meeting_interval_days": 90}
EXCLUDED_SCENARIO_DIRS = NOT_SCENARIOS


# A city file in class: a dozen communities the map can show, at the city's yuan per resident; the
# scenario's name carries the generated size, so it is never taken for the whole city. [assumed]
CLASSROOM_CITY = {"city.communities": 12, "city.residents_per_community": 1_500}


def load_for_class(path: str | Path) -> Scenario:
    """A scenario as the classroom app runs it: a ``[city]`` file reduced to ``CLASSROOM_CITY``."""
    is_city = "city" in read_merged(find_scenario(path))
    return load_scenario(path, CLASSROOM_CITY if is_city else None)


@dataclass(frozen=True)
class Lever:
    """One control: a slider (``low``..``high`` by ``step``) or a switch."""

    name: str
    kind: Literal["slider", "switch"]
    group: str
    low: float = 0.0
    high: float = 1.0
    step: float = 0.01


LEVERS: tuple[Lever, ...] = (
    *(Lever(name, "slider", "budget_split") for name in SPLIT_LEVERS),
    Lever("budget_percent", "slider", "budget_split", 0.0, 200.0, 5.0),
    Lever("patrol_share", "slider", "discovery", 0.0, 0.6, 0.05),
    Lever("representatives", "switch", "discovery"),
    Lever("online_reporting", "switch", "linkage"),
    Lever("platform_matching", "switch", "linkage"),
    Lever("points", "switch", "linkage"),
    Lever("fund_matching_ratio", "slider", "linkage", 0.0, 3.0, 0.25),
)
LEVER_GROUPS = ("budget_split", "discovery", "linkage")


def read_levers(scenario: Scenario) -> dict[str, LeverValue]:
    """Every lever's value in ``scenario``."""
    budget, link = scenario.budget, scenario.linkage
    values: dict[str, LeverValue] = {name: float(getattr(budget, name)) for name in SPLIT_LEVERS}
    values.update(
        budget_percent=100.0,
        patrol_share=float(link.discovery.patrol_share),
        representatives=any(getattr(link.discovery, key) > 0 for key in REPRESENTATIVE_INTERVALS_DAYS),
        online_reporting=bool(link.online_reporting),
        platform_matching=link.matching_scope == MatchingScope.PLATFORM,
        points=bool(link.points_enabled),
        fund_matching_ratio=float(link.fund_matching_ratio),
    )
    return values


def lever_overrides(scenario: Scenario, values: Mapping[str, LeverValue]) -> dict[str, Any]:
    """Dotted overrides for the levers whose value differs from ``scenario``'s."""
    base = read_levers(scenario)
    moved = {name for name, value in values.items() if value != base[name]}
    overrides: dict[str, Any] = {}
    if moved & set(SPLIT_LEVERS):
        overrides.update({f"budget.{name}": float(values[name]) for name in SPLIT_LEVERS})
    if "budget_percent" in moved:
        overrides["budget.total_yuan"] = scenario.budget.total_yuan * float(values["budget_percent"]) / 100.0
    if "patrol_share" in moved:
        overrides["linkage.discovery.patrol_share"] = float(values["patrol_share"])
    if "representatives" in moved:
        on = bool(values["representatives"])
        overrides.update({f"linkage.discovery.{key}": days if on else 0 for key, days in REPRESENTATIVE_INTERVALS_DAYS.items()})
    if "online_reporting" in moved:
        overrides["linkage.online_reporting"] = bool(values["online_reporting"])
    if "platform_matching" in moved:
        scope = MatchingScope.PLATFORM if values["platform_matching"] else MatchingScope.COMMUNITY
        overrides["linkage.matching_scope"] = scope.value
    if "points" in moved:
        overrides["linkage.points_enabled"] = bool(values["points"])
    if "fund_matching_ratio" in moved:
        overrides["linkage.fund_matching_ratio"] = float(values["fund_matching_ratio"])
    return overrides


def rescale_split(values: Mapping[str, LeverValue], changed: str, share: float) -> dict[str, LeverValue]:
    """Set one budget share and rescale the other shares so that all five sum to 1."""
    share = min(1.0, max(0.0, float(share)))
    others = [name for name in SPLIT_LEVERS if name != changed]
    rest = sum(float(values[name]) for name in others)
    result = dict(values)
    result[changed] = share
    for name in others:
        weight = float(values[name]) / rest if rest > 0 else 1.0 / len(others)
        result[name] = (1.0 - share) * weight
    # absorb rounding in the largest other share so the sum is 1 within 1e-12
    largest = max(others, key=lambda name: result[name])
    result[largest] = max(0.0, 1.0 - share - sum(result[name] for name in others if name != largest))
    return result


@dataclass(frozen=True)
class Settings:
    """What the controls say: a scenario file (relative to the scenarios folder) and lever values."""

    scenario_file: str
    scenarios_dir: Path
    values: Mapping[str, LeverValue] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        """The scenario file's path."""
        return self.scenarios_dir / self.scenario_file

    def with_value(self, name: str, value: LeverValue) -> Settings:
        """These settings with one lever moved (budget shares rescale the others)."""
        if name in SPLIT_LEVERS:
            return replace(self, values=rescale_split(self.values, name, float(value)))
        return replace(self, values={**self.values, name: value})


def settings_for(scenarios_dir: Path, scenario_file: str) -> Settings:
    """Settings whose levers sit where the scenario file puts them (raises ``ScenarioError``)."""
    scenario = load_for_class(scenarios_dir / scenario_file)
    return Settings(scenario_file, scenarios_dir, read_levers(scenario))


def build_scenario(settings: Settings) -> tuple[Scenario, dict[str, Any]]:
    """The scenario file with the moved levers applied (validated), and those overrides."""
    scenario = load_for_class(settings.path)
    overrides = lever_overrides(scenario, settings.values)
    return resolve(scenario, overrides), overrides


def list_scenarios(scenarios_dir: Path) -> list[str]:
    """Every ``.toml`` file under ``scenarios_dir`` except calibration targets and uncertainty ranges, as sorted relative paths."""
    files = []
    for path in sorted(scenarios_dir.rglob("*.toml")):
        relative = path.relative_to(scenarios_dir)
        if relative.parts[0] not in EXCLUDED_SCENARIO_DIRS:
            files.append(relative.as_posix())
    return files


def split_percents(values: Mapping[str, LeverValue]) -> dict[str, int]:
    """The five budget shares as whole percentages that sum to exactly 100 (largest remainders)."""
    exact = {name: float(values[name]) * 100.0 for name in SPLIT_LEVERS}
    total = sum(exact.values())
    if total > 0:
        exact = {name: share * 100.0 / total for name, share in exact.items()}
    whole = {name: int(share) for name, share in exact.items()}
    by_remainder = sorted(SPLIT_LEVERS, key=lambda name: whole[name] - exact[name])
    for name in by_remainder[: 100 - sum(whole.values())]:
        whole[name] += 1
    return whole


def moved_levers(file_values: Mapping[str, LeverValue], values: Mapping[str, LeverValue]) -> list[str]:
    """Names of the levers whose value differs from the file's (budget shares count as one lever per share)."""
    return [lever.name for lever in LEVERS if values[lever.name] != file_values[lever.name]]


@lru_cache(maxsize=256)
def _scenario_names(path: Path, modified_ns: int) -> tuple[str, str] | None:
    try:
        scenario = load_for_class(path)
    except ScenarioError:
        return None
    return scenario.name, scenario.name_zh or scenario.name


def calibration_sources(scenarios_dir: Path, files: list[str] | tuple[str, ...]) -> set[str]:
    """Files that another listed file ``extends`` under the same name (the source values of a calibrated file)."""
    sources = set()
    for name in files:
        path = scenarios_dir / name
        try:
            parent = tomllib.loads(path.read_text(encoding="utf-8")).get("extends")
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if not isinstance(parent, str):
            continue
        base = (path.parent / parent).resolve()
        if not base.is_relative_to(scenarios_dir.resolve()):
            continue
        relative = base.relative_to(scenarios_dir.resolve()).as_posix()
        if relative in files and scenario_title(scenarios_dir, relative, "en") == scenario_title(scenarios_dir, name, "en"):
            sources.add(relative)
    return sources


def scenario_title(scenarios_dir: Path, scenario_file: str, lang: str) -> str | None:
    """The scenario's ``name`` (``name_zh`` in Chinese), or None when the file cannot be loaded."""
    path = scenarios_dir / scenario_file
    try:
        names = _scenario_names(path, path.stat().st_mtime_ns)
    except OSError:
        return None
    return None if names is None else names[1 if lang == "zh" else 0]

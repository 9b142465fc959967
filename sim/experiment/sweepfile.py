"""Sweep files (``experiments/*.toml``): scenarios, levers, uncertainties, sampler, replications.

::

    name = "budget-split"
    scenarios = ["../scenarios/baseline.toml"]     # relative to this file
    replications = 5
    seed = 2024
    days = 180                                      # optional: default each scenario's days

    [overrides]                                     # fixed, for every run
    "communities.baseline.residents" = 2000

    [sampler]
    method = "lhs"                                  # grid | lhs | sobol
    samples = 16                                    # lhs/sobol only (sobol: a power of 2)
    seed = 7                                        # optional: default the experiment seed

    [levers."budget.split_stations"]                # the planner chooses these
    low = 0.2
    high = 0.5
    [uncertainties."needs.disabled_multiplier"]     # nobody chooses these
    values = [1.5, 2.0, 3.0]

    [[variants]]                                    # optional: named sets of overrides,
    name = "patrols"                                # each a new scenario label
    overrides = { "linkage.discovery.patrol_share" = 0.2 }

    [[balance]]                                     # keep shares summing to a total
    parts = ["budget.split_stations"]
    rest = { "budget.split_demonstration" = 0.9, "budget.split_fund_seed" = 0.1 }
    total = 1.0

Validated with pydantic v2: unknown keys are rejected; each problem is one line
``FILE: dotted.key: message``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

from sim.errors import ScenarioError, quote
from sim.experiment.samplers import (
    FactorRange,
    Points,
    SamplerMethod,
    is_power_of_two,
    sample_points,
)
from sim.experiment.spec import Experiment, Factor, FactorRole
from sim.loading import (
    apply_overrides,
    format_error,
    not_a_file,
    read_merged,
    read_toml,
)

Value = StrictBool | StrictInt | StrictFloat | StrictStr


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


class RangeSpec(_Strict):
    """One swept key: ``values = [...]`` or ``low``/``high`` (+ ``levels`` for a grid)."""

    low: float | None = Field(None, description="lowest value of a range")
    high: float | None = Field(None, description="highest value of a range")
    values: list[Value] | None = Field(None, min_length=1, description="explicit values (any sampler)")
    levels: int | None = Field(None, ge=2, le=1000, description="grid only: evenly spaced points from low to high")
    integer: bool = Field(False, description="draw whole numbers from the range")

    @model_validator(mode="after")
    def _one_form(self) -> RangeSpec:
        has_range = self.low is not None or self.high is not None
        if self.values is not None and (has_range or self.levels is not None):
            raise ValueError("give either values or low/high, not both")
        if self.values is None and (self.low is None or self.high is None):
            raise ValueError("give values = [...] or both low and high")
        if has_range and self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"low must be below high (got low {self.low}, high {self.high})")
        return self


class SamplerSpec(_Strict):
    """How points are drawn."""

    method: Annotated[SamplerMethod, Field(strict=False)] = Field(description="grid, lhs or sobol")
    samples: int | None = Field(None, ge=1, le=1_000_000, description="points to draw (lhs, sobol)")
    seed: int | None = Field(None, ge=0, le=2**63 - 1, description="sampler seed (default: the experiment seed)")


class Balance(_Strict):
    """Keys in ``rest`` share ``total`` minus the sum of ``parts``, by weight."""

    parts: list[str] = Field(min_length=1, description="swept or overridden keys subtracted from total")
    rest: dict[str, Annotated[float, Field(gt=0.0)]] = Field(min_length=1, description="key -> weight")
    total: float = Field(1.0, description="what parts and rest sum to")


class Variant(_Strict):
    """A named set of overrides: one more scenario label in the results."""

    name: str = Field(min_length=1, max_length=100)
    overrides: dict[str, Value] = Field(default_factory=dict, description="dotted key -> value")


class SweepFile(_Strict):
    """A whole sweep file."""

    name: str = Field(min_length=1, max_length=100, description="names the results folder")
    description: str = Field("", max_length=10_000)
    scenarios: list[str] = Field(min_length=1, description="scenario files, relative to this file")
    replications: int = Field(ge=1, le=100_000)
    seed: int = Field(ge=0, le=2**63 - 1, description="experiment seed: replication seeds derive from it")
    days: int | None = Field(None, ge=1, le=36_500)
    overrides: dict[str, Value] = Field(default_factory=dict, description="dotted key -> value for every run")
    sampler: SamplerSpec = SamplerSpec(method=SamplerMethod.GRID)
    levers: dict[str, RangeSpec] = Field(default_factory=dict, description="dotted key -> range")
    uncertainties: dict[str, RangeSpec] = Field(default_factory=dict, description="dotted key -> range")
    balance: list[Balance] = Field(default_factory=list)
    variants: list[Variant] = Field(default_factory=list)

    def factor_ranges(self) -> list[FactorRange]:
        """Levers then uncertainties, in file order."""
        specs = [*self.levers.items(), *self.uncertainties.items()]
        return [FactorRange(key, r.low, r.high, None if r.values is None else tuple(r.values), r.levels, r.integer)
                for key, r in specs]


def load_sweep(path: str | Path, samples: int | None = None) -> Experiment:
    """Read and check a sweep file; the ``Experiment`` it describes (points already drawn).

    ``samples`` replaces the file's ``sampler.samples`` (scripts use it to pick a size).
    """
    path = Path(path)
    sweep = _parse(path)
    if samples is not None:
        sweep = sweep.model_copy(update={"sampler": sweep.sampler.model_copy(update={"samples": samples})})
    scenario_paths = _scenario_paths(path, sweep)
    _check_keys(path, sweep, scenario_paths[0])
    _check_shape(path, sweep)
    seed = sweep.seed if sweep.sampler.seed is None else sweep.sampler.seed
    points = sample_points(sweep.sampler.method, sweep.factor_ranges(), sweep.sampler.samples, seed)
    if sweep.balance:
        points = points.map(lambda point: apply_balance(point, sweep)) if isinstance(points, Points) else \
            [apply_balance(point, sweep) for point in points]
    factors = [Factor(k, FactorRole.LEVER) for k in sweep.levers] + [Factor(k, FactorRole.UNCERTAINTY) for k in sweep.uncertainties]
    factors += [Factor(k, FactorRole.DERIVED) for b in sweep.balance for k in b.rest]
    return Experiment(scenarios=scenario_paths, replications=sweep.replications, seed=sweep.seed, days=sweep.days,
                      overrides=dict(sweep.overrides), points=points, factors=factors, name=sweep.name,
                      source=str(path), variants=[(v.name, dict(v.overrides)) for v in sweep.variants])


def _parse(path: Path) -> SweepFile:
    data = read_toml(path)
    try:
        return SweepFile.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError([_format(path, error) for error in exc.errors()]) from None


def _format(path: Path, error: Any) -> str:
    """One line per pydantic error; unknown keys list the allowed ones."""
    if error["type"] == "extra_forbidden":
        return f"{path}: {'.'.join(str(p) for p in error['loc'])}: unknown key (allowed: {_allowed(error['loc'])})"
    return format_error(str(path), error)


def _allowed(loc: tuple[Any, ...]) -> str:
    tables: dict[str, type[BaseModel]] = {"sampler": SamplerSpec, "levers": RangeSpec,
                                          "uncertainties": RangeSpec, "balance": Balance, "variants": Variant}
    model = tables.get(str(loc[0]), SweepFile) if len(loc) > 1 else SweepFile
    return ", ".join(model.model_fields)


def _scenario_paths(path: Path, sweep: SweepFile) -> list[Path]:
    paths = [path.parent / item for item in sweep.scenarios]
    missing = [f"{path}: scenarios.{i}: file {p} {problem}" for i, p in enumerate(paths) if (problem := not_a_file(p))]
    if missing:
        raise ScenarioError(missing)
    return paths


def _check_keys(path: Path, sweep: SweepFile, scenario: Path) -> None:
    """Every dotted key must name a scenario field (checked once, not per point)."""
    base = read_merged(scenario)
    named = [("overrides", k) for k in sweep.overrides] + [("levers", k) for k in sweep.levers]
    named += [("uncertainties", k) for k in sweep.uncertainties]
    named += [(f"balance.{i}.rest", k) for i, b in enumerate(sweep.balance) for k in b.rest]
    named += [(f"variants.{i}.overrides", k) for i, v in enumerate(sweep.variants) for k in v.overrides]
    problems = []
    for section, key in named:
        try:
            apply_overrides(base, {key: None}, source="")
        except ScenarioError as exc:
            problems.extend(f"{path}: {section}.{line.removeprefix(': ')}" for line in exc.problems)
    if problems:
        raise ScenarioError(problems)


def _check_shape(path: Path, sweep: SweepFile) -> None:
    """Sampler and factor combinations that cannot work, and balances that can go negative."""
    problems = []
    method, samples = sweep.sampler.method, sweep.sampler.samples
    if method is SamplerMethod.GRID and samples is not None:
        problems.append(f"{path}: sampler.samples: not used by grid (allowed: omit it; the grid size is the product of levels)")
    if method is not SamplerMethod.GRID and samples is None:
        problems.append(f"{path}: sampler.samples: missing (allowed: a whole number >= 1 for {method.value})")
    if method is SamplerMethod.SOBOL and samples is not None and not is_power_of_two(samples):
        problems.append(f"{path}: sampler.samples: {samples} is not a power of 2 (allowed: 1, 2, 4, 8, ... for sobol)")
    for section, specs in (("levers", sweep.levers), ("uncertainties", sweep.uncertainties)):
        for key, spec in specs.items():
            if method is SamplerMethod.GRID and spec.values is None and spec.levels is None:
                problems.append(f"{path}: {section}.{key}.levels: missing (allowed: levels >= 2 or values = [...] for a grid)")
            if method is not SamplerMethod.GRID and spec.levels is not None:
                problems.append(f"{path}: {section}.{key}.levels: grid only (allowed: omit it for {method.value})")
    problems += _check_balances(path, sweep)
    if problems:
        raise ScenarioError(problems)


def _check_balances(path: Path, sweep: SweepFile) -> list[str]:
    ranges = {**sweep.levers, **sweep.uncertainties}
    problems = []
    for index, balance in enumerate(sweep.balance):
        highest = 0.0
        for key in balance.parts:
            if key in ranges:
                spec = ranges[key]
                highest += spec.high if spec.values is None else max(_number(v, path) for v in spec.values)
            elif key in sweep.overrides:
                highest += _number(sweep.overrides[key], path)
            else:
                problems.append(f"{path}: balance.{index}.parts: {key} is neither swept nor in overrides")
        overlap = sorted(set(balance.rest) & (set(ranges) | set(sweep.overrides)))
        if overlap:
            problems.append(f"{path}: balance.{index}.rest: {', '.join(overlap)} also swept or overridden")
        if highest > balance.total + 1e-12:
            problems.append(f"{path}: balance.{index}.parts: can sum to {highest:g}, above total {balance.total:g} "
                            "(allowed: ranges whose highest values sum to at most total)")
    return problems


def apply_balance(point: dict[str, Any], sweep: SweepFile) -> dict[str, Any]:
    """The point with each balance's ``rest`` keys set to their share of what is left."""
    values = {**sweep.overrides, **point}
    result = dict(point)
    for balance in sweep.balance:
        left = balance.total - sum(_number(values[key], sweep.name) for key in balance.parts)
        weight_sum = sum(balance.rest.values())
        for key, weight in balance.rest.items():
            result[key] = left * weight / weight_sum
    return result


def _number(value: Any, source: Path | str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError([f"{source}: balance: {quote(value)} is not a number"])
    return float(value)

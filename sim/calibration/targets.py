"""The targets file: observed patterns, their tolerances and sources, and the free parameters.

A targets file is TOML validated by a strict pydantic schema (unknown keys rejected)::

    name = "Xiangmin"
    seeds = 2                       # replications per evaluation (common random numbers)
    days = 365                      # optional; the scenario's days otherwise

    [parameters."volunteers.quit_rate_per_year"]
    low = 0.05
    high = 0.8
    source = "[assumed] not in any source; fitted to the attrition pattern"

    [targets.attrition]
    kpi = "volunteer_attrition_per_year"   # a KPI of ``python -m sim run --json``
    per = ""                               # optional: divide by this KPI (a ratio target)
    observed = 0.29
    tolerance = 0.15                       # allowed relative error, |sim - obs| / |obs|
    source = "[lit: ...]"
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sim.errors import ScenarioError
from sim.loading import apply_overrides, format_error, read_toml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


class Parameter(_Strict):
    """A free scenario parameter (a dotted key) and the box it is searched in."""

    low: float = Field(description="lower bound, in the key's own unit")
    high: float = Field(description="upper bound, in the key's own unit")
    source: str = Field(min_length=1, description="why the value is not in any source, where the bounds come from")

    @model_validator(mode="after")
    def _ordered(self) -> Parameter:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high}) (allowed: low < high)")
        return self


class Target(_Strict):
    """An observed value of a KPI (or of a ratio of two KPIs) with its tolerance and source."""

    kpi: str = Field(min_length=1, description="KPI key of a run")
    per: str = Field("", description="optional KPI key to divide by")
    observed: float = Field(description="observed value, in the KPI's unit")
    tolerance: Annotated[float, Field(gt=0.0, le=10.0)] = Field(description="allowed relative error")
    weight: Annotated[float, Field(gt=0.0, le=100.0)] = Field(1.0, description="weight in the objective")
    source: str = Field(min_length=1, description="where the observed value comes from")

    @model_validator(mode="after")
    def _nonzero(self) -> Target:
        if self.observed == 0.0:
            raise ValueError("observed must not be 0 (allowed: a non-zero value; errors are relative)")
        return self


class TargetsFile(_Strict):
    """A whole targets file."""

    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=10_000)
    seeds: Annotated[int, Field(ge=1, le=100)] = Field(2, description="replications per evaluation")
    days: Annotated[int, Field(ge=1, le=36_500)] | None = Field(None, description="days per run (default: the scenario's)")
    max_evaluations: Annotated[int, Field(ge=1, le=10_000)] = Field(40, description="fitting budget, in evaluations")
    parameters: dict[str, Parameter] = Field(default_factory=dict, description="free parameters by dotted scenario key")
    targets: dict[str, Target] = Field(min_length=1, description="observed patterns by short name")


def load_targets(path: str | Path) -> TargetsFile:
    """Read and validate a targets file; ``ScenarioError`` with one line per problem otherwise."""
    path = Path(path)
    data = read_toml(path)
    try:
        targets = TargetsFile.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError([_format(path, error) for error in exc.errors()]) from None
    problems = [_key_problem(path, key) for key in targets.parameters]
    problems = [p for p in problems if p]
    if problems:
        raise ScenarioError(problems)
    return targets


def _format(path: Path, error: Any) -> str:
    """One line per error; unknown keys list the allowed ones."""
    loc = error["loc"]
    if error["type"] == "extra_forbidden":
        model = _model_at(loc[:-1])
        return f"{path}: {'.'.join(map(str, loc))}: unknown key (allowed: {', '.join(sorted(model.model_fields))})"
    return format_error(str(path), error)


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel]:
    if not loc:
        return TargetsFile
    return Parameter if loc[0] == "parameters" else Target


def _key_problem(path: Path, key: str) -> str | None:
    """Why a dotted key names no scenario field, or None."""
    try:
        apply_overrides({}, {key: 0.0}, source=f"{path}: parameters")
    except ScenarioError as exc:
        return exc.problems[0]
    return None

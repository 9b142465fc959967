"""The joint targets file: places, shared and place-specific parameters, fitted and held-out patterns.

One TOML file, validated by a strict pydantic schema (unknown keys rejected), paths relative to it::

    name = "Joint calibration"
    seeds = 1                          # common-random-number replications per place and evaluation
    check_seeds = 3                    # replications per place of --check (default: seeds)
    days = 365
    max_evaluations = 12               # full evaluations (every place) the search may spend
    shared_out = "joint_fitted.toml"   # the shared-constants record

    [places.xiangmin]
    scenario = "../places/sources/xiangmin.toml"   # the hand-written source the fit extends
    out = "../places/xiangmin.toml"                # the fitted file

    [shared."volunteers.quit_rate_per_year"]       # one value for every place
    low = 0.05
    high = 0.9
    source = "[assumed] ..."

    [places.qiaotou.parameters."giving.donors_per_1000_per_year"]   # this place only
    low = 1.0
    high = 400.0
    source = "source: seed, Qiaotou: ... (why this place differs)"

    [patterns.attrition_xiangmin]
    place = "xiangmin"
    kpi = "volunteer_attrition_per_year"
    observed = 0.29
    tolerance = 0.15
    role = "fit"                      # or "held_out": reported as validation, never in the objective
    identity = ""                     # the one parameter that sets this pattern alone, if any
    label = "Volunteer attrition"
    label_zh = "志愿者年流失率"
    source = "[lit: ...]"
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sim.calibration.targets import Parameter, _key_problem
from sim.errors import ScenarioError
from sim.loading import format_error, read_toml


class Role(str, Enum):
    """Whether a pattern is fitted or held out for validation."""

    FIT = "fit"
    HELD_OUT = "held_out"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


class Place(_Strict):
    """A place: its source scenario, where its fitted file goes, and its own free parameters."""

    scenario: str = Field(min_length=1, description="source scenario, relative to the joint file")
    out: str = Field(min_length=1, description="fitted scenario written by the fit, relative to the joint file")
    parameters: dict[str, Parameter] = Field(default_factory=dict, description="place-specific free parameters (replace a shared one here)")


class Pattern(_Strict):
    """An observed value of a KPI (or a ratio of two KPIs) in one place."""

    place: str = Field("", description="the place whose KPI this is")
    places: list[str] = Field(default_factory=list, description="or: the places whose KPI is averaged (a pooled pattern)")
    kpi: str = Field(min_length=1)
    per: str = ""
    observed: float
    tolerance: Annotated[float, Field(gt=0.0, le=10.0)]
    weight: Annotated[float, Field(gt=0.0, le=100.0)] = 1.0
    role: Role = Role.FIT
    identity: str = Field("", description="the one free parameter that sets this pattern alone, if any")
    label: str = ""
    label_zh: str = ""
    source: str = Field(min_length=1)

    model_config = ConfigDict(extra="forbid", strict=False, allow_inf_nan=False, frozen=True)

    @model_validator(mode="after")
    def _nonzero(self) -> Pattern:
        if self.observed == 0.0:
            raise ValueError("observed must not be 0 (allowed: a non-zero value; errors are relative)")
        if bool(self.place) == bool(self.places):
            raise ValueError("give place (one place) or places (a pooled pattern), not both or neither")
        return self

    @property
    def where(self) -> list[str]:
        """The places this pattern is measured in (averaged when several)."""
        return self.places or [self.place]

    @property
    def where_label(self) -> str:
        """The place, or how many places are pooled."""
        return self.place or f"{len(self.places)} places"


class JointSpec(_Strict):
    """A whole joint targets file."""

    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=10_000)
    seeds: Annotated[int, Field(ge=1, le=100)] = 1
    check_seeds: Annotated[int, Field(ge=1, le=100)] | None = None  # --check without --seeds (default: seeds)
    days: Annotated[int, Field(ge=1, le=36_500)] | None = None
    max_evaluations: Annotated[int, Field(ge=1, le=10_000)] = 12
    shared_out: str = Field("joint_fitted.toml", min_length=1)
    places: dict[str, Place] = Field(min_length=1)
    shared: dict[str, Parameter] = Field(default_factory=dict)
    patterns: dict[str, Pattern] = Field(min_length=1)

    @property
    def fitted(self) -> dict[str, Pattern]:
        """The patterns the objective uses."""
        return {n: p for n, p in self.patterns.items() if p.role is Role.FIT}

    @property
    def held_out(self) -> dict[str, Pattern]:
        """The validation patterns, never in the objective."""
        return {n: p for n, p in self.patterns.items() if p.role is Role.HELD_OUT}

    def free_keys(self) -> list[tuple[str, str]]:
        """Every free parameter as (place or "" for shared, dotted key), shared ones first."""
        keys = [("", key) for key in self.shared]
        return keys + [(place, key) for place, spec in self.places.items() for key in spec.parameters]

    def bounds(self, place: str, key: str) -> Parameter:
        """The box of a free parameter."""
        return self.shared[key] if not place else self.places[place].parameters[key]


def load_joint(path: str | Path) -> JointSpec:
    """Read and validate a joint targets file; ``ScenarioError`` with one line per problem otherwise."""
    path = Path(path)
    try:
        spec = JointSpec.model_validate(read_toml(path))
    except ValidationError as exc:
        raise ScenarioError([_format(path, error) for error in exc.errors()]) from None
    problems = _cross_problems(path, spec)
    if problems:
        raise ScenarioError(problems)
    return spec


def _format(path: Path, error: Any) -> str:
    loc = error["loc"]
    if error["type"] == "extra_forbidden":
        return f"{path}: {'.'.join(map(str, loc))}: unknown key (allowed: {', '.join(sorted(_model_at(loc[:-1]).model_fields))})"
    return format_error(str(path), error)


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel]:
    if not loc:
        return JointSpec
    if loc[0] == "patterns":
        return Pattern
    if loc[0] == "places" and len(loc) == 2:
        return Place
    return Parameter


def _cross_problems(path: Path, spec: JointSpec) -> list[str]:
    """Unknown places, keys or identities, missing files, nothing fitted."""
    problems = [p for key in spec.shared if (p := _key_problem(path, key))]
    for name, place in spec.places.items():
        problems += [p for key in place.parameters if (p := _key_problem(path, key))]
        if not (path.parent / place.scenario).is_file():
            problems.append(f"{path}: places.{name}.scenario: file {path.parent / place.scenario} does not exist")
    for name, pattern in spec.patterns.items():
        field = "place" if pattern.place else "places"
        unknown = [p for p in pattern.where if p not in spec.places]
        if unknown:
            problems.append(f"{path}: patterns.{name}.{field}: unknown place {unknown[0]!r} (allowed: {', '.join(spec.places)})")
        elif pattern.identity and pattern.identity not in spec.shared and not all(
                pattern.identity in spec.places[p].parameters for p in pattern.where):
            problems.append(f"{path}: patterns.{name}.identity: {pattern.identity!r} is not a free parameter of {pattern.where_label}")
    if not spec.fitted:
        problems.append(f"{path}: patterns: no pattern has role = \"fit\" (allowed: at least one)")
    return problems

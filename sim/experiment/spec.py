"""An experiment: scenarios x sweep points x replications, planned into runs with identities."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sim.errors import ScenarioError
from sim.experiment.seeds import replication_seeds, run_identity
from sim.experiment.worker import RunTask
from sim.loading import apply_overrides, read_merged, validate
from sim.run import scenario_hash
from sim.scenario import Scenario


@dataclass(frozen=True)
class Factor:
    """A swept dotted key: a lever (the planner chooses it) or an uncertainty (nobody does)."""

    key: str
    role: str  # "lever" or "uncertainty"


class Settings(Protocol):
    """Sampled settings of uncertain inputs (``sim.advise.uncertainties.Settings``)."""

    def __len__(self) -> int: ...

    def overrides(self, data: Mapping[str, Any], setting: int) -> dict[str, Any]: ...

    def describe(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Experiment:
    """What to run: each scenario (x each variant) at each point, ``replications`` times.

    Overrides are dotted keys. ``overrides`` apply to every run, then the variant's, then the
    point's. A variant is a named set of overrides that makes a new scenario label
    (``"<scenario>: <variant>"``, or just the variant's name with one scenario). ``days`` None
    means each scenario's own ``days``. Replication ``i`` uses the same seed everywhere.
    ``settings`` (instead of ``points``): point k of every scenario runs under sampled setting k
    of the uncertain inputs, resolved against that scenario (a ``scale`` uncertainty multiplies
    the scenario's own value), so every option meets the same K settings.
    """

    scenarios: Sequence[str | Path | Scenario]
    replications: int = 1
    seed: int = 0
    days: int | None = None
    overrides: Mapping[str, Any] = field(default_factory=dict)
    points: Sequence[Mapping[str, Any]] = ({},)
    variants: Sequence[tuple[str, Mapping[str, Any]]] = ()
    factors: Sequence[Factor] = ()
    name: str = "experiment"
    source: str = ""  # the sweep file this came from, if any
    settings: Settings | None = None


@dataclass(frozen=True)
class ScenarioRecord:
    """One resolved scenario of the experiment, as stored in the ``scenarios`` table."""

    scenario_hash: str
    label: str
    name: str
    source_path: str
    point: int
    overrides: dict[str, Any]
    resolved: dict[str, Any]


@dataclass
class Plan:
    """Every run of an experiment, in a fixed order, with the scenarios they use."""

    tasks: list[RunTask]
    scenarios: list[ScenarioRecord]
    seeds: list[int]

    @property
    def key(self) -> str:
        """Identity of the whole experiment: a hash of its sorted run identities."""
        ids = "\n".join(sorted(task.run_id for task in self.tasks))
        return hashlib.sha256(ids.encode("utf-8")).hexdigest()[:12]


def plan_experiment(experiment: Experiment, model_version: str) -> Plan:
    """Resolve every scenario at every point and list the runs; bad input raises ``ScenarioError``."""
    check_experiment(experiment)
    seeds = replication_seeds(experiment.seed, experiment.replications)
    bases, labels = _with_variants([_base(item) for item in experiment.scenarios], experiment.variants)
    tasks: list[RunTask] = []
    records: list[ScenarioRecord] = []
    problems: list[str] = []
    seen: set[str] = set()
    for (source, data, variant), label in zip(bases, labels, strict=True):
        for index, point in enumerate(_points(experiment, data, variant)):
            overrides = {**experiment.overrides, **variant, **point}
            try:
                if experiment.settings is not None:
                    point = experiment.settings.overrides(apply_overrides(data, overrides, source or label), index)
                    overrides = {**overrides, **point}
                scenario = resolve_point(data, overrides, f"{source or label} ({label}, point {index})")
            except ScenarioError as exc:
                problems.extend(line for line in exc.problems if line not in problems)
                continue
            record = _record(scenario, label, source, index, {**variant, **point})
            records.append(record)
            days = scenario.days if experiment.days is None else experiment.days
            for replication, seed in enumerate(seeds):
                run_id = run_identity(record.scenario_hash, seed, days, model_version)
                if run_id in seen:
                    continue  # two points resolve to the same scenario: run it once
                seen.add(run_id)
                tasks.append(RunTask(run_id, scenario, record.scenario_hash, label, index, replication, seed, days))
    if problems:
        raise ScenarioError(_capped(problems))
    return Plan(tasks, records, seeds)


def _points(experiment: Experiment, data: dict[str, Any], variant: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    """The sweep points, or one empty point per sampled setting (filled in per scenario)."""
    if experiment.settings is None:
        return experiment.points
    return [{} for _ in range(len(experiment.settings))]


def _capped(problems: list[str], limit: int = 20) -> list[str]:
    """At most ``limit`` lines (a bad value can fail every point of a big sweep)."""
    if len(problems) <= limit:
        return problems
    return [*problems[:limit], f"... and {len(problems) - limit} more problems like these"]


def check_experiment(experiment: Experiment) -> None:
    """Problems with the experiment's own numbers, one line each."""
    problems = []
    if not experiment.scenarios:
        problems.append("experiment: scenarios: empty (allowed: at least one path or Scenario)")
    if not _is_int(experiment.replications) or experiment.replications < 1:
        problems.append(f"experiment: replications: must be a whole number >= 1 (got {experiment.replications!r})")
    if not _is_int(experiment.seed) or experiment.seed < 0:
        problems.append(f"experiment: seed: must be a whole number >= 0 (got {experiment.seed!r})")
    if experiment.days is not None and (not _is_int(experiment.days) or not 1 <= experiment.days <= 36_500):
        problems.append(f"experiment: days: must be a whole number from 1 to 36500 (got {experiment.days!r})")
    names = [name for name, _ in experiment.variants]
    if len(set(names)) != len(names):
        problems.append(f"experiment: variants: names repeat ({', '.join(names)}) (allowed: unique names)")
    if experiment.settings is not None and (len(experiment.points) > 1 or any(experiment.points)):
        problems.append("experiment: settings and points: use one or the other (settings are sampled points)")
    if experiment.settings is not None and len(experiment.settings) < 1:
        problems.append("experiment: settings: empty (allowed: at least one sampled setting)")
    if not experiment.points:
        problems.append("experiment: points: empty (allowed: at least one dict of overrides, {} for none)")
    if problems:
        raise ScenarioError(problems)


def resolve_point(data: dict[str, Any], overrides: Mapping[str, Any], source: str) -> Scenario:
    """A scenario table with dotted overrides applied, validated like a file."""
    if overrides:
        data = apply_overrides(data, overrides, source=source)
    return validate(data, source=source)


def _base(item: str | Path | Scenario) -> tuple[str, dict[str, Any]]:
    """(source path or "", scenario table) for a path or a ``Scenario``."""
    if isinstance(item, Scenario):
        return "", item.model_dump(mode="json")
    if isinstance(item, (str, Path)):
        data = read_merged(Path(item))
        validate(data, source=str(item))  # report file problems against the file itself
        return str(item), data
    raise ScenarioError([f"experiment: scenarios: expected a path or a Scenario (got {type(item).__name__})"])


def _with_variants(bases: list[tuple[str, dict[str, Any]]], variants: Sequence[tuple[str, Mapping[str, Any]]],
                   ) -> tuple[list[tuple[str, dict[str, Any], dict[str, Any]]], list[str]]:
    """(source, table, variant overrides) per scenario label, crossing scenarios with variants."""
    labels = _labels(bases)
    if not variants:
        return [(source, data, {}) for source, data in bases], labels
    crossed = [(source, data, dict(overrides)) for source, data in bases for _, overrides in variants]
    names = [name if len(bases) == 1 else f"{label}: {name}" for label in labels for name, _ in variants]
    return crossed, names


def _labels(bases: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """Short unique names: the scenario's ``name``, else the file stem, made unique with ``-2``..."""
    labels: list[str] = []
    for source, data in bases:
        label = str(data.get("name") or (Path(source).stem if source else "scenario"))
        if label in labels and source and Path(source).stem not in labels:
            label = Path(source).stem
        candidate, number = label, 2
        while candidate in labels:
            candidate, number = f"{label}-{number}", number + 1
        labels.append(candidate)
    return labels


def _record(scenario: Scenario, label: str, source: str, point: int, overrides: dict[str, Any]) -> ScenarioRecord:
    resolved = json.loads(json.dumps(scenario.model_dump(mode="json")))
    return ScenarioRecord(scenario_hash(scenario), label, scenario.name, source, point, overrides, resolved)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)

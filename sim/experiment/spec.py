"""An experiment: scenarios x sweep points x replications, planned into runs with identities."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from enum import StrEnum
from typing import Any, Protocol

import numpy as np

from sim.errors import ScenarioError
from sim.experiment.samplers import point_count
from sim.experiment.seeds import replication_seeds, run_identity
from sim.experiment.worker import RunTask
from sim.library import find_scenario
from sim.limits import Size, scenario_size
from sim.loading import apply_overrides, read_merged, validate
from sim.run import scenario_hash
from sim.scenario import Scenario


class FactorRole(StrEnum):
    """What a swept key is: a planner's choice, something not known, or a share balanced to keep a sum."""

    LEVER = "lever"
    UNCERTAINTY = "uncertainty"
    DERIVED = "derived"


@dataclass(frozen=True)
class Factor:
    """A swept dotted key: a lever (the planner chooses it) or an uncertainty (nobody does)."""

    key: str
    role: FactorRole


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


MAX_RUNS = 1_000_000  # runs in one experiment: ~6 CPU-days at 0.5 s a run; more is a mistake
MAX_PROBLEMS = 20  # problem lines kept while checking a plan's cells
CACHE_CELLS = 1_000  # plans with at most this many (scenario, point) cells keep their resolved scenarios
# ... and at most this many communities in them: a resolved Scenario holds ~1.6 KB a community
# (the 1,884-community city: 3.1 MB, measured Nov 2026), so 1,000 city cells would hold 3 GB; past
# this bound (~80 MB) the cells are resolved again as their runs are handed out (~0.2 s a city cell).
CACHE_COMMUNITIES = 50_000


@dataclass
class Plan:
    """Every run of an experiment, made on demand in a fixed order (``tasks``) with their scenarios.

    Planning resolves each (scenario label, point) cell once to check it and hash it, keeping only
    16 bytes of hash and the days per cell; ``cells`` resolves them again as the runs are handed
    out, so memory stays small however many points a sweep has. Measured (2 shared cores, Nov 2026):
    a grid of 10^6 points, one replication, planned in 704 s with peak RSS 140 MB above the idle
    process (the per-run arrays and their sorted copies); holding every resolved scenario, as plans
    did before, would take gigabytes.
    """

    experiment: Experiment
    seeds: list[int]
    model_version: str
    bases: list[tuple[str, dict[str, Any], dict[str, Any]]]
    labels: list[str]
    key: str
    size: int  # runs, duplicates (two points giving the same scenario) counted once
    first: np.ndarray  # per cell: its scenario is not an earlier cell's
    largest: Size | None = None  # the most memory-hungry scenario of the plan
    _cache: list[Scenario] | None = None

    @property
    def cell_count(self) -> int:
        """(scenario label, point) cells: the options a report compares."""
        return len(self.first)

    def cells(self) -> Iterator[tuple[ScenarioRecord, list[RunTask]]]:
        """Each cell's scenario record and its runs (none for a cell repeating an earlier one)."""
        for cell, (label_index, index) in enumerate(_cell_indices(len(self.labels), cell_points(self.experiment))):
            (source, data, variant), label = self.bases[label_index], self.labels[label_index]
            point, overrides = cell_overrides(self.experiment, source, data, variant, label, index)
            scenario = self._cache[cell] if self._cache is not None else resolve_point(
                data, overrides, _where(self.experiment, source, label, index))
            record = _record(scenario, label, source, index, {**variant, **point})
            days = scenario.days if self.experiment.days is None else self.experiment.days
            tasks = [RunTask(run_identity(record.scenario_hash, seed, days, self.model_version), scenario,
                             record.scenario_hash, label, index, replication, seed, days)
                     for replication, seed in enumerate(self.seeds)] if self.first[cell] else []
            yield record, tasks

    def tasks(self) -> Iterator[RunTask]:
        """Every run once, in plan order."""
        for _, tasks in self.cells():
            yield from tasks


def plan_experiment(experiment: Experiment, model_version: str) -> Plan:
    """Check every cell, count and key the runs; bad input raises ``ScenarioError``.

    A plan of more than ``MAX_RUNS`` runs is refused by its count before any point is made.
    """
    check_experiment(experiment)
    seeds = replication_seeds(experiment.seed, experiment.replications)
    bases, labels = _with_variants([_base(item) for item in experiment.scenarios], experiment.variants)
    n_cells = len(labels) * cell_points(experiment)
    hashes = np.zeros(n_cells, dtype="S24")
    run_ids = np.zeros(n_cells * len(seeds), dtype="S24")
    cache: list[Scenario] | None = [] if n_cells <= CACHE_CELLS else None
    cached_communities = 0
    problems: list[str] = []
    more_problems = 0
    largest: Size | None = None
    for cell, (label_index, index) in enumerate(_cell_indices(len(labels), cell_points(experiment))):
        (source, data, variant), label = bases[label_index], labels[label_index]
        try:
            _, overrides = cell_overrides(experiment, source, data, variant, label, index)
            scenario = resolve_point(data, overrides, _where(experiment, source, label, index))
        except ScenarioError as exc:
            for line in exc.problems:
                if line in problems:
                    continue
                if len(problems) < MAX_PROBLEMS:
                    problems.append(line)
                else:
                    more_problems += 1  # a bad value can fail every point of a big sweep
            continue
        if cache is not None:
            cache.append(scenario)
            cached_communities += len(scenario.communities)
            if cached_communities > CACHE_COMMUNITIES:
                cache = None
        size = scenario_size(scenario)
        largest = size if largest is None or size.memory_bytes > largest.memory_bytes else largest
        digest = scenario_hash(scenario)
        days = scenario.days if experiment.days is None else experiment.days
        hashes[cell] = f"{digest}{days:08d}".encode()
        run_ids[cell * len(seeds):(cell + 1) * len(seeds)] = [
            run_identity(digest, seed, days, model_version).encode() for seed in seeds]
    if problems:
        raise ScenarioError(problems + ([f"... and {more_problems} more problems like these"] if more_problems else []))
    first = np.zeros(n_cells, dtype=bool)
    first[np.unique(hashes, return_index=True)[1]] = True
    unique_ids = np.unique(run_ids)
    key = _key(unique_ids)
    return Plan(experiment, seeds, model_version, bases, labels, key, len(unique_ids), first, largest, cache)


def _key(sorted_ids: np.ndarray) -> str:
    """Identity of the whole experiment: a hash of its sorted run identities (one a line)."""
    digest = hashlib.sha256()
    for start in range(0, len(sorted_ids), 65_536):
        chunk = b"\n".join(sorted_ids[start:start + 65_536].tolist())
        digest.update((b"\n" if start else b"") + chunk)
    return digest.hexdigest()[:12]


def _cell_indices(n_labels: int, n_points: int) -> Iterator[tuple[int, int]]:
    """(label, point) in plan order: every point of the first label, then the next label's."""
    for label_index in range(n_labels):
        for index in range(n_points):
            yield label_index, index


def _where(experiment: Experiment, source: str, label: str, index: int) -> str:
    """How a cell's problems start: the sweep file first, when there is one."""
    where = f"{source or label} ({label}, point {index})"
    return f"{experiment.source}: {where}" if experiment.source else where


def cell_points(experiment: Experiment) -> int:
    """Points per scenario label: the sweep's, or one per sampled setting of uncertain inputs."""
    return len(experiment.settings) if experiment.settings is not None else point_count(experiment.points)


def cell_overrides(experiment: Experiment, source: str, data: dict[str, Any], variant: Mapping[str, Any], label: str,
                   index: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """A cell's own point (sweep point, or sampled setting resolved against this scenario) and all its overrides."""
    if experiment.settings is None:
        point = dict(experiment.points[index])
        return point, {**experiment.overrides, **variant, **point}
    base = {**experiment.overrides, **variant}
    point = experiment.settings.overrides(apply_overrides(data, base, source or label), index)
    return point, {**base, **point}


def check_experiment(experiment: Experiment) -> None:
    """Problems with the experiment's own numbers, one line each."""
    problems = []
    if not experiment.scenarios:
        problems.append("experiment: scenarios: empty (allowed: at least one path or Scenario)")
    if not _is_int(experiment.replications) or experiment.replications < 1:
        problems.append(f"experiment: replications: must be a whole number >= 1 (got {experiment.replications!r})")
    if not _is_int(experiment.seed) or not 0 <= experiment.seed <= 2**63 - 1:
        problems.append(f"experiment: seed: must be a whole number from 0 to {2**63 - 1} (got {experiment.seed!r})")
    if experiment.days is not None and (not _is_int(experiment.days) or not 1 <= experiment.days <= 36_500):
        problems.append(f"experiment: days: must be a whole number from 1 to 36500 (got {experiment.days!r})")
    names = [name for name, _ in experiment.variants]
    if len(set(names)) != len(names):
        problems.append(f"experiment: variants: names repeat ({', '.join(names)}) (allowed: unique names)")
    if experiment.settings is not None and (point_count(experiment.points) > 1 or any(experiment.points)):
        problems.append("experiment: settings and points: use one or the other (settings are sampled points)")
    if experiment.settings is not None and len(experiment.settings) < 1:
        problems.append("experiment: settings: empty (allowed: at least one sampled setting)")
    if not point_count(experiment.points):
        problems.append("experiment: points: empty (allowed: at least one dict of overrides, {} for none)")
    if problems:
        raise ScenarioError(problems)
    check_run_count(experiment)


def check_run_count(experiment: Experiment) -> None:
    """Refuse more than ``MAX_RUNS`` runs, saying how many were asked for and why."""
    labels = len(experiment.scenarios) * max(1, len(experiment.variants))
    points = cell_points(experiment)
    runs = labels * points * experiment.replications
    if runs > MAX_RUNS:
        where = experiment.source or "experiment"
        raise ScenarioError([f"{where}: {runs:,} runs planned ({labels:,} scenarios x {points:,} points x "
                             f"{experiment.replications:,} replications) (allowed: at most {MAX_RUNS:,}; "
                             "use fewer levels, samples, variants or replications)"])


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
        data = read_merged(find_scenario(item))
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

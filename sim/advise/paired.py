"""Paired runs for the advice commands: candidates built from one scenario, run on shared seeds.

Every candidate is the scenario with a few dotted overrides; replication ``i`` of every candidate
uses the same seed (common random numbers), so differences between candidates are paired. All
runs go to one result store (``sim.experiment.store``) whose key names the question asked, not
the runs done so far, so an adaptive search can add replications and a rerun after ``kill -9``
skips every run already stored.

With sampled ``settings`` of uncertain inputs (``sim.advise.uncertainties``), every candidate
runs under each of the K settings (the setting's overrides on top of the candidate's), and each
(setting k, replication i) pair uses replication i's seed: the KPIs of a candidate come back in
(k, i) order, so differences between candidates are still paired, now pooled over the settings
as ``compare --uncertainties`` pools them.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from sim.errors import ScenarioError
from sim.experiment.executors import ExecutorKind, Finished, default_workers, run_dask, run_pool, run_serial
from sim.experiment.metadata import git_hash, host_name, now_utc, python_version
from sim.experiment.runner import RESULTS_ROOT, default_out_dir, model_version, parse_executor
from sim.experiment.seeds import replication_seeds, run_identity
from sim.experiment.spec import ScenarioRecord, resolve_point
from sim.experiment.store import ResultStore
from sim.experiment.worker import RunFunction, RunTask, Status, simulate_run
from sim.library import find_scenario
from sim.loading import apply_overrides, read_merged, validate
from sim.run import scenario_hash
from sim.scenario import Scenario

if TYPE_CHECKING:
    from sim.advise.uncertainties import Settings



@dataclass(frozen=True)
class Candidate:
    """One option: a label and the dotted overrides that make it from the scenario."""

    label: str
    overrides: dict[str, Any] = field(default_factory=dict)


@dataclass
class Backend:
    """Where runs execute and how they report (the options every experiment command takes)."""

    executor: ExecutorKind | str = ExecutorKind.PROCESS
    workers: int | None = None
    scheduler: str | None = None
    progress: bool = True
    run_fn: RunFunction = simulate_run
    batch_size: int = 1
    log: Any = None


class PairedRuns:
    """Runs candidates of one scenario on shared seeds into one result store (a context manager).

    ``question`` is what identifies the store (command, scenario, settings): the same question
    finds the same folder and resumes it; another question is refused there.
    """

    def __init__(self, source: str | Path, question: Mapping[str, Any], name: str, out_dir: str | Path | None = None,
                 backend: Backend | None = None, overrides: Mapping[str, Any] | None = None,
                 days: int | None = None, seed: int = 0, settings: Settings | None = None) -> None:
        self.source = str(source)
        self.data = read_merged(find_scenario(source))  # a path or a shipped name (changsha/city)
        self.scenario = validate(self.data, source=self.source)
        self.overrides = dict(overrides or {})
        self.days = self.scenario.days if days is None else days
        self.seed = seed
        self.settings = settings
        self.backend = backend or Backend()
        self.kind = parse_executor(self.backend.executor)
        self.version = model_version()
        asked = {**question, "scenario": scenario_hash(self.scenario), "days": self.days, "seed": seed,
                 "overrides": self.overrides, "version": self.version}
        if settings is not None:
            asked["settings"] = settings.describe()
        self.key = question_key(asked)
        self.name = name
        self.out_dir = Path(out_dir) if out_dir is not None else default_out_dir(name, self.key, RESULTS_ROOT)
        self.store = ResultStore(self.out_dir, self.version)
        self.store.claim(self.key, name)
        if settings is not None:
            from sim.experiment.runner import SETTINGS_META

            self.store.put_meta(SETTINGS_META, json.dumps(settings.describe(), sort_keys=True))
        self._resolved: dict[tuple[str, int | None], tuple[Scenario, str]] = {}
        self.runs_done = 0

    def __enter__(self) -> PairedRuns:
        return self

    def __exit__(self, *exc: object) -> None:
        self.store.close()

    def seeds(self, first: int, count: int) -> list[int]:
        """Replication seeds ``first .. first + count - 1`` of this question's seed sequence."""
        return replication_seeds(self.seed, first + count)[first:]

    @property
    def setting_count(self) -> int:
        """Settings each replication runs under (1 without uncertainties)."""
        return len(self.settings) if self.settings is not None else 1

    def resolve(self, candidate: Candidate, setting: int | None = None) -> tuple[Scenario, str]:
        """The candidate's validated scenario (under sampled setting ``setting``) and its hash (cached; stored)."""
        key = (candidate.label, setting)
        if key not in self._resolved:
            own = dict(candidate.overrides)
            where = f"{self.source} ({candidate.label})"
            if setting is not None and self.settings is not None:
                data = apply_overrides(self.data, {**self.overrides, **own}, where)
                own.update(self.settings.overrides(data, setting))
            scenario = resolve_point(self.data, {**self.overrides, **own}, where)
            digest = scenario_hash(scenario)
            resolved = json.loads(json.dumps(scenario.model_dump(mode="json")))
            self.store.add_scenarios([ScenarioRecord(digest, candidate.label, scenario.name, self.source, setting or 0,
                                                     own, resolved)])
            self._resolved[key] = (scenario, digest)
        return self._resolved[key]

    def evaluate(self, candidates: Sequence[Candidate], first: int, count: int) -> dict[str, list[dict[str, float]]]:
        """KPIs of replications ``first .. first + count - 1`` of each candidate, running what is missing.

        Returns ``{label: [kpis of each replication in order]}`` (with settings: every setting's
        replications in turn, so position j is the same (setting, replication) pair for every
        candidate); a failed run raises, naming it.
        """
        seeds = self.seeds(first, count)
        settings: list[int | None] = list(range(len(self.settings))) if self.settings is not None else [None]
        tasks = []
        for candidate in candidates:
            for setting in settings:
                scenario, digest = self.resolve(candidate, setting)
                for offset, seed in enumerate(seeds):
                    run_id = run_identity(digest, seed, self.days, self.version)
                    tasks.append(RunTask(run_id, scenario, digest, candidate.label, setting or 0, first + offset, seed,
                                         self.days))
        self._run_missing(tasks)
        kpis = self._stored_kpis([task.run_id for task in tasks])
        table: dict[str, list[dict[str, float]]] = {c.label: [] for c in candidates}
        for task in tasks:
            if task.run_id not in kpis:
                raise ScenarioError([(f"{self.out_dir}: run {task.label!r} seed {task.seed} failed; "
                                      "see the runs table (status, error) and rerun to retry it")])
            table[task.label].append(kpis[task.run_id])
        return table

    def _run_missing(self, tasks: list[RunTask]) -> None:
        unique = {task.run_id: task for task in tasks}
        done = self.store.ok_run_ids()
        todo = [task for task in unique.values() if task.run_id not in done]
        if not todo:
            return
        log = self.backend.log or sys.stderr
        workers = self.backend.workers or default_workers()
        experiment_id = self.store.start_experiment(self._stamp(len(unique), len(unique) - len(todo), workers))
        bar = tqdm(total=len(todo), unit="run", file=log, disable=not self.backend.progress, dynamic_ncols=True, leave=False,
                   mininterval=0.5, desc=self.name[:30])
        ran = failed = 0
        with bar:
            for task, outcome in self._finished(todo, workers):
                self.store.write(task, outcome, now_utc())
                ran += 1
                failed += outcome.status == Status.FAILED
                bar.update(1)
        self.store.finish_experiment(experiment_id, now_utc(), ran, failed)
        self.runs_done += ran

    def _finished(self, todo: list[RunTask], workers: int) -> Iterator[Finished]:
        backend = self.backend
        if self.kind is ExecutorKind.SERIAL:
            return run_serial(todo, backend.run_fn)
        if self.kind is ExecutorKind.PROCESS:
            return run_pool(todo, backend.run_fn, workers, backend.batch_size)
        return run_dask(todo, backend.run_fn, workers, backend.scheduler, backend.batch_size)

    def _stored_kpis(self, run_ids: list[str]) -> dict[str, dict[str, float]]:
        wanted = set(run_ids)
        rows = self.store.conn.execute("SELECT run_id, kpis_json FROM runs WHERE status = ?", (Status.OK,))
        return {run_id: json.loads(text) for run_id, text in rows if run_id in wanted}

    def _stamp(self, planned: int, skipped: int, workers: int) -> dict[str, Any]:
        serial = self.kind is ExecutorKind.SERIAL
        spec = {"name": self.name, "source": self.source, "key": self.key, "seed": self.seed, "days": self.days,
                "overrides": self.overrides}
        return {"started_at": now_utc(), "package_version": self.version, "git_hash": git_hash(),
                "python": python_version(), "host": host_name(), "experiment_seed": self.seed,
                "replications": 0, "days": self.days, "executor": self.kind.value,
                "workers": 1 if serial else workers, "planned": planned, "skipped": skipped,
                "spec_json": json.dumps(spec, sort_keys=True, default=str)}


def settings_note(settings: Settings | None, lang: str) -> str:
    """"Computed over K sampled settings of: ... (FILE)." in ``lang`` ("" without settings)."""
    if settings is None:
        return ""
    names = ("、" if lang == "zh" else ", ").join(u.label(lang) for u in settings.uncertainties)
    where = f"（{settings.source}）" if lang == "zh" and settings.source else f" ({settings.source})" if settings.source else ""
    if lang == "zh":
        return f"在不确定输入的 {len(settings)} 组抽样设定下计算（拉丁超立方，配对按设定与重复汇总）：{names}{where}。"
    return (f"Computed over {len(settings)} sampled settings (Latin hypercube; pairs pooled by setting and "
            f"replication) of the uncertain inputs: {names}{where}.")


def question_key(question: Mapping[str, Any]) -> str:
    """A short stable hash of what was asked."""
    text = json.dumps(question, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
